// What the test runner and the load benchmark share to run the product: a fresh PostgreSQL database for
// one run, and waiting for a started `server/cli/start.ts` to answer.
import type { ChildProcess } from "node:child_process";
import pg from "pg";

export const PG_URL = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Runs `fn` on a new database `<prefix>_<pid>` of the server at PG_URL, dropped afterwards. */
export async function withPgDatabase<T>(prefix: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  try {
    return await fn(u.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/** Waits until the server at `url` answers /login (3 minutes at most); `log` is named in the errors. */
export async function waitForServer(url: string, server: ChildProcess, log?: string): Promise<void> {
  const see = log ? `; see ${log}` : "";
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited early (code ${server.exitCode})${see}`);
    try {
      if ((await fetch(`${url}/login`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server did not answer on ${url} within 3 minutes${see}`);
}
