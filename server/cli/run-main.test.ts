// The command-line tools as a person runs them: a user error (a project that does not exist, a bad flag value) is
// one line on stderr and a non-zero exit, while a real defect (here: a database without its tables) still prints
// its stack trace.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { describeFailure, UsageError } from "./run-main";

const ROOT = path.resolve(import.meta.dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(script: string, args: string[], dbFile: string) {
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, DB_PROVIDER: "sqlite", DATABASE_URL: `file:${path.join(dir, dbFile)}` },
    encoding: "utf8",
    timeout: 140_000,
  });
  return { status: r.status, stderr: r.stderr.trim() };
}
const hasStack = (s: string) => /\n\s+at /.test(s);

describe("describeFailure", () => {
  it("gives one line for a user error and the whole stack for anything else", () => {
    expect(describeFailure(new AppError("NOT_FOUND", 'No project "x".'))).toBe('error: No project "x".');
    expect(describeFailure(new UsageError("--file is required"))).toBe("error: --file is required");
    const defect = new TypeError("cannot read properties of undefined");
    expect(describeFailure(defect)).toBe(defect.stack);
    expect(hasStack(describeFailure(defect))).toBe(true);
    expect(describeFailure("thrown string")).toBe("error (not an Error object): thrown string");
  });
});

describe("the CLIs", { timeout: 150_000 }, () => {
  it("import into a project that does not exist: one line, exit 1", () => {
    const file = path.join(dir, "prompts.jsonl");
    fs.writeFileSync(file, '{"prompt":"Hello"}\n');
    const r = run("server/cli/import.ts", ["--project", "no-such-project", "--file", file], "import.db");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: No project "no-such-project".');
  });

  it("export with an unknown format: one line naming the choices, exit 1", () => {
    const r = run("server/cli/export.ts", ["--project", "p", "--format", "csv"], "export.db");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("error: --format csv: unknown format; use one of trl, judgments, hh, kto, arena, oasst");
  });

  it("a defect (a database that was never migrated) still prints its stack trace, exit 1", () => {
    const r = run("server/cli/export.ts", ["--project", "p", "--format", "trl"], "empty.db");
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/^error: /);
    expect(hasStack(r.stderr)).toBe(true);
  });
});
