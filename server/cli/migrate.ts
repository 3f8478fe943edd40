// Applies pending migrations with the Prisma CLI (through the offline schema-engine stand-in).
import { spawnSync } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export function migrateDeploy(env: NodeJS.ProcessEnv = process.env): void {
  const bin = path.join(ROOT, "node_modules/.bin/prisma");
  const r = spawnSync(bin, ["migrate", "deploy"], { cwd: ROOT, env, encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  const applied = /(\d+) migrations? found/.exec(r.stdout);
  const note = r.stdout.includes("No pending migrations") ? "no pending migrations" : "migrations applied";
  console.log(`database: ${note}${applied ? ` (${applied[1]} in total)` : ""}`);
}
