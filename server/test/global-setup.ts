// Vitest global set-up: builds one template database per run from the committed migrations
// (SQLite file or PostgreSQL database, per TEST_DB_PROVIDER); each test file clones it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrationSql, testPgAdminUrl, testProvider, withDatabase } from "./migrations";

declare module "vitest" {
  export interface ProvidedContext {
    dbProvider: "sqlite" | "postgres";
    sqliteTemplate: string;
    pgTemplate: string;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const provider = testProvider();
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  project.provide("dbProvider", provider);
  project.provide("runId", runId);
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-test-"));
    const file = path.join(dir, "template.db");
    const db = new Database(file);
    for (const sql of migrationSql("sqlite")) db.exec(sql);
    db.close();
    project.provide("sqliteTemplate", file);
    project.provide("pgTemplate", "");
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const admin = new pg.Client({ connectionString: testPgAdminUrl() });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${testPgAdminUrl()} (${(e as Error).message}). Start it (see README: Tests) or set TEST_PG_URL.`,
    );
  }
  const template = `prefloop_t_${runId}_tpl`;
  await admin.query(`CREATE DATABASE "${template}"`);
  const t = new pg.Client({ connectionString: withDatabase(testPgAdminUrl(), template) });
  await t.connect();
  for (const sql of migrationSql("postgres")) await t.query(sql);
  await t.end();
  project.provide("pgTemplate", template);
  project.provide("sqliteTemplate", "");
  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `prefloop_t_${runId}_%`,
    ]);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await admin.end();
  };
}
