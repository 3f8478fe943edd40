// `npm start`, as the README documents it, on a temporary SQLite database and a free port: a SIGTERM
// (or SIGINT) sent to the npm process itself, as a container runtime or a supervisor sends it, stops the
// web server and the worker, every process below npm is gone and the port is free. It uses the existing
// production build (PREFLOOP_SKIP_BUILD=1) and is skipped, saying so, when there is none: `npm test`
// builds before its browser tests; run `npm run build` first to run this alone.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const hasBuild = fs.existsSync(path.join(ROOT, ".next/BUILD_ID"));
if (!hasBuild) console.warn("start.test.ts: skipped, no production build in .next (run `npm run build`)");

function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of rows)
      if (parent === p) {
        out.push(child);
        walk(child);
      }
  };
  walk(pid);
  return out;
}
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const isPortFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer().once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });

async function until(what: string, probe: () => Promise<boolean> | boolean, ms: number) {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!hasBuild)("npm start", () => {
  for (const [signal, port] of [
    ["SIGTERM", 3321],
    ["SIGINT", 3322],
  ] as const) {
    it(`${signal} to the npm process stops the web server and the worker`, async () => {
      expect(await isPortFree(port)).toBe(true);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-start-"));
      const npm = spawn("npm", ["start"], {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: "production",
          DB_PROVIDER: "sqlite",
          DATABASE_URL: `file:${path.join(dir, "start.db")}`,
          PORT: String(port),
          HOST: "127.0.0.1",
          APP_URL: `http://127.0.0.1:${port}`,
          ADMIN_EMAIL: "admin@start.test",
          ADMIN_PASSWORD: "start-test-password",
          PREFLOOP_SKIP_BUILD: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      npm.stdout.on("data", (b: Buffer) => (output += b.toString()));
      npm.stderr.on("data", (b: Buffer) => (output += b.toString()));
      const exited = new Promise<number | null>((r) => npm.once("exit", (code) => r(code)));
      let tree: number[] = [];
      try {
        await until(
          "the web server and the worker",
          async () =>
            /worker .* started/.test(output) &&
            (await fetch(`http://127.0.0.1:${port}/login`).then(
              (r) => r.status < 500,
              () => false,
            )),
          90_000,
        );
        tree = descendants(npm.pid!);
        expect(tree.length).toBeGreaterThanOrEqual(3); // start.ts (and tsx), next start, the worker
        npm.kill(signal);
        expect(await exited).toBe(0);
        await until("every process below npm to exit", () => tree.every((p) => !isAlive(p)), 30_000);
        expect(await isPortFree(port)).toBe(true);
        expect(output).toMatch(/worker stopped/);
      } finally {
        // Orphans of a failed stop are no longer below npm: kill what was seen below it.
        for (const p of [...tree, ...descendants(npm.pid!)]) if (isAlive(p)) process.kill(p, "SIGKILL");
        if (npm.exitCode === null) npm.kill("SIGKILL");
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 150_000);
  }
});
