// `npm start`: migrations, first admin, demo project, a production build when the sources changed
// (PREFLOOP_SKIP_BUILD=1: use an existing build as it is), then the web server (http://127.0.0.1:3000)
// and the worker. SIGTERM or SIGINT stops both: the web server drains its requests, the worker hands
// its running job back; whatever has not exited after STOP_GRACE_MS is killed. The npm script runs
// this with `exec`, so a signal sent to the `npm start` process reaches this one (without it, npm's
// `sh -c` dies on SIGTERM and leaves everything below it running).
import "./require-node"; // first: an unsupported Node.js stops here with one line
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { env } from "../env";
import { getDb } from "../db";
import { ensureAdmin } from "../services/users/ensure-admin";
import { seedDemoProject } from "../services/projects/seed-demo";
import { migrateDeploy, ROOT } from "./migrate";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
process.env.CHECKPOINT_DISABLE ??= "1";

const STOP_GRACE_MS = 20_000;
const SOURCE_DIRS = ["app", "server", "public", "prisma/sqlite/schema.prisma", "next.config.js", "package-lock.json"];

function newestMtime(p: string): number {
  const full = path.join(ROOT, p);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(full).map((name) => newestMtime(path.join(p, name))));
}

function buildIfStale(): void {
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (builtAt > 0 && process.env.PREFLOOP_SKIP_BUILD === "1") return;
  if (builtAt > 0 && builtAt >= Math.max(...SOURCE_DIRS.map(newestMtime))) return;
  console.log("building the web app (first start or changed sources; about a minute)…");
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: process.env,
  });
  if (r.status !== 0) throw new Error("next build failed");
}

async function main() {
  const e = env();
  migrateDeploy();
  const admin = await ensureAdmin();
  const adminUser = await getDb().user.findUniqueOrThrow({ where: { email: admin.email } });
  const demo = await seedDemoProject({ actorId: adminUser.id });
  await getDb().$disconnect();
  buildIfStale();

  const port = process.env.PORT ?? "3000";
  const host = process.env.HOST ?? "127.0.0.1";
  const children: ChildProcess[] = [
    spawn(path.join(ROOT, "node_modules/.bin/next"), ["start", "-H", host, "-p", port], {
      cwd: ROOT,
      stdio: "inherit",
      env: process.env,
    }),
    spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
      cwd: ROOT,
      stdio: "inherit",
      env: process.env,
    }),
  ];
  console.log("");
  console.log(`prefloop is running on http://${host}:${port} (${e.DB_PROVIDER})`);
  if (admin.kind === "created" && admin.generatedPassword) {
    console.log(`  admin account created: ${admin.email} / ${admin.generatedPassword}`);
    console.log("  (this password is shown once; change it after signing in, or set ADMIN_EMAIL/ADMIN_PASSWORD)");
  } else {
    console.log(`  admin: ${admin.email}`);
  }
  if (demo.created) console.log(`  demo project ready: http://${host}:${port}/label/${demo.slug}`);
  console.log("");

  let isStopping = false;
  const stopAll = (code: number) => {
    if (isStopping) return;
    isStopping = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    // A child that ignores SIGTERM (hung) is killed: the supervisor asked for a stop.
    setTimeout(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      setTimeout(() => process.exit(code), 500).unref();
    }, STOP_GRACE_MS).unref();
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
    void Promise.all(running.map((c) => once(c, "exit"))).then(() => process.exit(code));
  };
  // One child ending on its own (a crash) stops the other, so a supervisor sees the product down and restarts it.
  for (const c of children) c.once("exit", (code) => stopAll(isStopping ? 0 : (code ?? 1)));
  process.on("SIGINT", () => stopAll(0));
  process.on("SIGTERM", () => stopAll(0));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
