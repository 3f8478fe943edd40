// Gives a test file its own database, cloned from the run's template, as the process's Prisma client.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, setDb, type Db } from "../db";
import { testPgAdminUrl, withDatabase } from "./migrations";

export type TTestDb = { db: () => Db; provider: "sqlite" | "postgres"; url: () => string };

export function useTestDb(): TTestDb {
  let db: Db | undefined;
  let url = "";
  const provider = inject("dbProvider");
  beforeAll(async () => {
    const name = `f${randomBytes(5).toString("hex")}`;
    if (provider === "sqlite") {
      const file = path.join(path.dirname(inject("sqliteTemplate")), `${name}.db`);
      fs.copyFileSync(inject("sqliteTemplate"), file);
      url = `file:${file}`;
    } else {
      const database = `prefloop_t_${inject("runId")}_${name}`;
      const admin = new pg.Client({ connectionString: testPgAdminUrl() });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${inject("pgTemplate")}"`);
      await admin.end();
      url = withDatabase(testPgAdminUrl(), database);
    }
    process.env.DB_PROVIDER = provider;
    process.env.DATABASE_URL = url;
    db = createDb({ provider, url });
    setDb(db);
  });
  afterAll(async () => {
    await db?.$disconnect();
    setDb(undefined);
  });
  return {
    provider,
    url: () => url,
    db: () => {
      if (!db) throw new Error("useTestDb(): the database exists only inside tests (after beforeAll)");
      return db;
    },
  };
}
