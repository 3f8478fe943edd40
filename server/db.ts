// One Prisma client per process, for the database DB_PROVIDER names (SQLite by default).
// Built on first use, not at import, so `next build` needs no database.
import path from "node:path";
import fs from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgClient } from "../generated/postgres/client";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { env } from "./env";

/** The app-wide client type: the SQLite client's API is the subset both databases share. */
export type Db = SqliteClient;
/** A client or an interactive transaction's client. */
export type DbTx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export const DEFAULT_SQLITE_URL = "file:./data/prefloop.db";

export function createDb(options: { provider: "sqlite" | "postgres"; url?: string }): Db {
  if (options.provider === "postgres") {
    if (!options.url) throw new Error("DATABASE_URL is required when DB_PROVIDER=postgres");
    return new PgClient({ adapter: new PrismaPg({ connectionString: options.url }) }) as unknown as Db;
  }
  const url = options.url ?? DEFAULT_SQLITE_URL;
  const file = url.replace(/^file:/, "");
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // NOTE: a busy timeout lets the web and worker processes share the file without SQLITE_BUSY.
  return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url, timeout: 10_000 }) });
}

const holder = globalThis as unknown as { __prefloopDb?: Db };
export function getDb(): Db {
  if (!holder.__prefloopDb) {
    const e = env();
    holder.__prefloopDb = createDb({ provider: e.DB_PROVIDER, url: e.DATABASE_URL });
  }
  return holder.__prefloopDb;
}

/** For tests and CLIs that manage their own client. */
export function setDb(db: Db | undefined): void {
  holder.__prefloopDb = db;
}
