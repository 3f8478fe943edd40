// One Prisma client per process, for the database DB_PROVIDER names (SQLite by default).
// Built on first use, not at import, so `next build` needs no database.
import path from "node:path";
import fs from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as PgClient } from "../generated/postgres/client";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
// Raw-SQL helpers (Prisma.sql, Prisma.empty) for the code allowed to query the database; the same for both clients.
export { Prisma } from "../generated/sqlite/client";
import { env } from "./env";

/** The app-wide client type: the SQLite client's API is the subset both databases share. */
export type Db = SqliteClient;
/** A client or an interactive transaction's client. */
export type DbTx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export const DEFAULT_SQLITE_URL = "file:./data/prefloop.db";

const providers = new WeakMap<object, "sqlite" | "postgres">();
/** Which database a client talks to (raw SQL differs between the two). */
export const dbProvider = (db: DbTx): "sqlite" | "postgres" => providers.get(db) ?? "sqlite";

export function createDb(options: { provider: "sqlite" | "postgres"; url?: string }): Db {
  if (options.provider === "postgres") {
    if (!options.url) throw new Error("DATABASE_URL is required when DB_PROVIDER=postgres");
    const db = new PgClient({ adapter: new PrismaPg({ connectionString: options.url }) }) as unknown as Db;
    providers.set(db, "postgres");
    return db;
  }
  const url = options.url ?? DEFAULT_SQLITE_URL;
  const file = url.replace(/^file:/, "");
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new SqliteClient({ adapter: sqliteAdapter(url) });
  providers.set(db, "sqlite");
  return db;
}

// WAL lets readers (every web request) run while a writer (an import batch, a submit) commits, and
// lets the web and worker processes share the file; synchronous=NORMAL is durable in WAL except for
// the last commits on power loss. The busy timeout (better-sqlite3's `timeout`) makes a writer wait
// for the lock instead of failing at once. The adapter has no hook for per-connection pragmas, so
// its factory is wrapped: each connection it opens runs them first.
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;
const SQLITE_PRAGMAS = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

function sqliteAdapter(url: string): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url, timeout: SQLITE_BUSY_TIMEOUT_MS });
  const withPragmas = async (open: () => Promise<SqlDriverAdapter>) => {
    const adapter = serialised(await open());
    await adapter.executeScript(SQLITE_PRAGMAS);
    return adapter;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => withPragmas(() => inner.connect()),
    connectToShadowDb: () => withPragmas(() => inner.connectToShadowDb()),
  };
}

/**
 * The better-sqlite3 adapter has one connection. It serialises interactive transactions among themselves but
 * runs every other query on that connection meanwhile, so a statement of another request issued while a
 * transaction is open becomes part of it: it reads that transaction's uncommitted rows, and a rollback takes
 * its writes too (a submit acknowledged to one labeller, gone because an import batch failed). Here one FIFO
 * lock orders the connection's work: a lone statement holds it for itself, a transaction from BEGIN to its
 * commit or rollback. Code inside a transaction must use the transaction's client (as it must on PostgreSQL,
 * where `getDb()` is another connection); a `getDb()` query inside a transaction waits for it to end.
 */
function serialised(adapter: SqlDriverAdapter): SqlDriverAdapter {
  let tail: Promise<void> = Promise.resolve();
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = tail.then(() => release);
    tail = tail.then(() => held);
    return ready;
  };
  const alone = async <T>(run: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await run();
    } finally {
      release();
    }
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => alone(() => adapter.queryRaw(query)),
    executeRaw: (query) => alone(() => adapter.executeRaw(query)),
    executeScript: (script) => alone(() => adapter.executeScript(script)),
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
    startTransaction: async (isolationLevel) => {
      const release = await acquire();
      let tx;
      try {
        tx = await adapter.startTransaction(isolationLevel);
      } catch (e) {
        release();
        throw e;
      }
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      tx.commit = () => commit().finally(release);
      tx.rollback = () => rollback().finally(release);
      return tx;
    },
  };
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
