// `npm test`: every check, in order, each in its own fresh database: schema sync, formatting, lint, types,
// import boundaries, unit + integration tests on SQLite and on PostgreSQL, then a production build and the
// browser tests against it, once per database. Stops at the first failing step.
//
// PostgreSQL: TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres) must answer.
// Without it the run fails, unless PREFLOOP_SKIP_POSTGRES=1 says explicitly to skip those steps.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PG_URL, waitForServer, withPgDatabase } from "./support/product-server";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "node_modules/.bin");
const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password" };
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const results: { step: string; ok: boolean; seconds: number }[] = [];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = baseEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: "inherit" });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function step(name: string, fn: () => Promise<number | void>): Promise<void> {
  console.log(`\n━━ ${name}`);
  const started = Date.now();
  const code = (await fn()) ?? 0;
  results.push({ step: name, ok: code === 0, seconds: (Date.now() - started) / 1000 });
  if (code !== 0) finish(1);
}

function finish(code: number): never {
  console.log("\n━━ summary");
  for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"}  ${r.step.padEnd(48)} ${r.seconds.toFixed(1)} s`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
  process.exit(code);
}

async function postgresAnswers(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts the product as `npm start` does (migrations, admin, demo project, web + worker), runs Playwright. */
async function e2e(provider: "sqlite" | "postgres", databaseUrl: string, port: number): Promise<number> {
  const env = {
    ...baseEnv,
    DB_PROVIDER: provider,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    ADMIN_EMAIL: E2E_ADMIN.email,
    ADMIN_PASSWORD: E2E_ADMIN.password,
    // Model versions the browser tests train go to a temporary folder, not ./data/models.
    PREFLOOP_MODELS_DIR: fs.mkdtempSync(path.join(os.tmpdir(), `prefloop-models-${provider}-`)),
  };
  const server = spawn(path.join(BIN, "tsx"), ["server/cli/start.ts"], {
    cwd: ROOT,
    env,
    stdio: "inherit",
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(url, server);
    return await run(path.join(BIN, "playwright"), ["test"], {
      ...env,
      BASE_URL: url,
      E2E_ADMIN_EMAIL: E2E_ADMIN.email,
      E2E_ADMIN_PASSWORD: E2E_ADMIN.password,
      E2E_DB_PROVIDER: provider,
    });
  } finally {
    if (server.pid && server.exitCode === null) process.kill(-server.pid, "SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once("exit", r)));
  }
}

async function main() {
  const skipPg = process.env.PREFLOOP_SKIP_POSTGRES === "1";
  const pgProblem = await postgresAnswers();
  if (pgProblem && !skipPg) {
    console.error(`\n!!! PostgreSQL does not answer at ${PG_URL}: ${pgProblem}`);
    console.error(
      "!!! The tests run on SQLite AND PostgreSQL. Start PostgreSQL (README: Tests), point TEST_PG_URL at one,",
    );
    console.error("!!! or skip those steps explicitly with PREFLOOP_SKIP_POSTGRES=1.\n");
    process.exit(1);
  }
  if (skipPg)
    console.warn(
      "\n!!! PREFLOOP_SKIP_POSTGRES=1: the PostgreSQL steps are SKIPPED. This run does not prove PostgreSQL works.\n",
    );

  await step("schema: PostgreSQL schema derived from SQLite's", () =>
    run("node", ["prisma/tools/sync-schemas.mjs", "--check"]),
  );
  await step("format: prettier --check", () => run(path.join(BIN, "prettier"), ["--check", "."]));
  // Typed ESLint (eslint.config.mjs); a warning (react-hooks/exhaustive-deps, an unused disable comment) fails too.
  await step("lint: eslint", () => run(path.join(BIN, "eslint"), [".", "--max-warnings", "0"]));
  await step("types: tsc --noEmit", () => run(path.join(BIN, "tsc"), ["--noEmit", "-p", "."]));
  await step("boundaries: dependency-cruiser", () =>
    run(path.join(BIN, "depcruise"), [
      "app",
      "server",
      "workers",
      "prisma",
      "e2e",
      "scripts",
      "--config",
      ".dependency-cruiser.cjs",
    ]),
  );
  await step("unit + integration tests, model engine (SQLite)", () =>
    run(path.join(BIN, "vitest"), ["run"], { ...baseEnv, TEST_DB_PROVIDER: "sqlite" }),
  );
  // The model engine touches no database: its tests ran above, once is enough.
  if (!skipPg)
    await step("unit + integration tests (PostgreSQL)", () =>
      run(path.join(BIN, "vitest"), ["run", "--exclude", "workers/ml/**", "--exclude", "node_modules/**"], {
        ...baseEnv,
        TEST_DB_PROVIDER: "postgres",
        TEST_PG_URL: PG_URL,
      }),
    );
  await step("production build: next build", () =>
    run(path.join(BIN, "next"), ["build"], { ...baseEnv, NODE_ENV: "production" }),
  );
  // `npm start` stopped by a signal to the npm process; it needs the production build above.
  await step("stopping npm start (SIGTERM/SIGINT)", () =>
    run(path.join(BIN, "vitest"), ["run", "server/cli/start.test.ts"], { ...baseEnv, TEST_DB_PROVIDER: "sqlite" }),
  );
  // Two web servers and two workers on one PostgreSQL: no job twice, no overlap exceeded, no judgment lost.
  if (!skipPg)
    await step("fault: two web servers + two workers (PostgreSQL)", () =>
      run(path.join(BIN, "tsx"), ["scripts/fault/two-of-each.ts"], { ...baseEnv, TEST_PG_URL: PG_URL }),
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-e2e-"));
  await step("browser tests (SQLite)", () => e2e("sqlite", `file:${path.join(dir, "e2e.db")}`, 3210));
  fs.rmSync(dir, { recursive: true, force: true });
  if (!skipPg)
    await step("browser tests (PostgreSQL)", () => withPgDatabase("prefloop_e2e", (url) => e2e("postgres", url, 3211)));
  finish(0);
}

main().catch((e) => {
  console.error(e);
  finish(1);
});
