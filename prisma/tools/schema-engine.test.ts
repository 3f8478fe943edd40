// The Prisma CLI through the offline schema-engine stand-in, on this run's database: deploy to an
// empty database, status, drift check of the committed migrations against the schema, reset.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { testPgAdminUrl, withDatabase } from "../../server/test/migrations";

const ROOT = path.resolve(import.meta.dirname, "../..");
const provider = inject("dbProvider");
let url = "";
let cleanup: () => Promise<void> = async () => {};

function prisma(args: string[]) {
  // prisma.config.ts selects the stand-in when no engine is configured: make sure none is.
  const { PRISMA_SCHEMA_ENGINE_BINARY: _configured, ...env } = process.env;
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/prisma"), args, {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...env, DB_PROVIDER: provider, DATABASE_URL: url, CHECKPOINT_DISABLE: "1" },
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-cli-"));
    url = `file:${path.join(dir, "cli.db")}`;
    cleanup = () => {
      fs.rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    };
  } else {
    const name = `prefloop_t_${inject("runId")}_cli`;
    const admin = new pg.Client({ connectionString: testPgAdminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    url = withDatabase(testPgAdminUrl(), name);
  }
});
afterAll(() => cleanup());

describe(`prisma CLI offline (${provider})`, () => {
  it("reports the stand-in as its schema engine", () => {
    const r = prisma(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("wasm shim");
  });

  it("deploys every migration to an empty database, then reports it up to date", () => {
    const deploy = prisma(["migrate", "deploy"]);
    expect(deploy.code, deploy.out).toBe(0);
    expect(deploy.out).toMatch(/applied|No pending migrations/);
    const status = prisma(["migrate", "status"]);
    expect(status.code, status.out).toBe(0);
    expect(status.out).toContain("Database schema is up to date");
  });

  it("finds no difference between the committed migrations and the schema (a change needs a migration)", () => {
    const r = prisma([
      "migrate",
      "diff",
      "--from-migrations",
      `prisma/${provider}/migrations`,
      "--to-schema",
      `prisma/${provider}/schema.prisma`,
      "--exit-code",
    ]);
    expect(r.code, `the schema and prisma/${provider}/migrations differ; create a migration:\n${r.out}`).toBe(0);
  });

  it("resets the database and re-applies the migrations", () => {
    const reset = prisma(["migrate", "reset", "--force"]);
    expect(reset.code, reset.out).toBe(0);
    expect(prisma(["migrate", "status"]).out).toContain("Database schema is up to date");
  });
});
