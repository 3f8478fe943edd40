// `npm run bench:labellers -- --labellers 50 --minutes 2 [--db sqlite|postgres] [--port N]`: the load benchmark
// of the loop issue. Starts the production server and the worker as `npm start` does (a fresh temporary
// SQLite file, or a fresh PostgreSQL database on TEST_PG_URL), then through HTTP only: the admin creates a
// project with enough imported prompts, invites N labellers who accept and are signed in, and N simulated
// labellers loop `label.next` → `label.submit` (a random ranking, no think time) for the duration while the
// worker generates the demo project's candidates in the background. Then the same concurrency hammers a
// trivial procedure (`auth.me`: the stack's floor). Prints judgments/s, p50/p99 of next and submit, errors,
// judgments acknowledged vs in the database, the floor's requests/s and the ratio; exits 1 on any error or
// on a count mismatch. Needs an existing production build (`npm run build`).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { waitForServer, withPgDatabase } from "../support/product-server";
import { importPrompts, inviteLabeller, TrpcClient as Client } from "../support/trpc-client";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "node_modules/.bin");
const ADMIN = { email: "admin@bench.test", password: "bench-admin-password" };
const K = 4; // candidates per prompt
const OVERLAP = 3; // judgments per comparison

const { values: args } = parseArgs({
  options: {
    labellers: { type: "string", default: "50" },
    minutes: { type: "string", default: "2" },
    db: { type: "string", default: "sqlite" },
    port: { type: "string", default: "3300" },
    "floor-seconds": { type: "string" },
    prompts: { type: "string" },
  },
});
const N = Number(args.labellers);
const SECONDS = Number(args.minutes) * 60;
const PROVIDER = args.db;
const PORT = Number(args.port);
const FLOOR_SECONDS = args["floor-seconds"] ? Number(args["floor-seconds"]) : Math.min(20, SECONDS);
// Enough prompts that labellers never run dry: a generous 10 judgments/s per labeller, OVERLAP per prompt.
const PROMPTS = args.prompts ? Number(args.prompts) : Math.max(200, Math.ceil((N * SECONDS * 10) / OVERLAP));
if (!(N >= 1 && SECONDS > 0 && PORT > 0 && FLOOR_SECONDS > 0 && PROMPTS > 0))
  throw new Error("usage: --labellers N --minutes M [--db sqlite|postgres] [--port N] [--floor-seconds S]");
if (PROVIDER !== "sqlite" && PROVIDER !== "postgres") throw new Error(`--db must be sqlite or postgres`);
const URL_BASE = `http://127.0.0.1:${PORT}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (PROVIDER === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-bench-db-"));
    try {
      return await fn(`file:${path.join(dir, "bench.db")}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return withPgDatabase("prefloop_bench", fn);
}

/** Starts `server/cli/start.ts` (web + worker) on this database, runs `fn`, stops both. */
async function withServer<T>(databaseUrl: string, fn: (log: string) => Promise<T>): Promise<T> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-bench-"));
  const log = path.join(tmp, "server.log");
  const out = fs.openSync(log, "a");
  const server = spawn(path.join(BIN, "tsx"), ["server/cli/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
      PREFLOOP_SKIP_BUILD: "1",
      DB_PROVIDER: PROVIDER,
      DATABASE_URL: databaseUrl,
      PORT: String(PORT),
      APP_URL: URL_BASE,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PREFLOOP_MODELS_DIR: path.join(tmp, "models"),
    },
    stdio: ["ignore", out, out],
    detached: true,
  });
  try {
    console.log(`server + worker starting on ${URL_BASE} (${PROVIDER}); log: ${log}`);
    await waitForServer(URL_BASE, server, log);
    return await fn(log);
  } finally {
    if (server.pid && server.exitCode === null) process.kill(-server.pid, "SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once("exit", r)));
    fs.closeSync(out);
  }
}

type TTask = { assignmentId: string; candidates: { id: string }[] } | null;

async function setUp(): Promise<{ admin: Client; projectId: string; slug: string; labellers: Client[] }> {
  const admin = new Client([URL_BASE]);
  await admin.call("auth.signIn", ADMIN, "mutation");
  const slug = `bench-${Date.now().toString(36)}`;
  const { id: projectId } = await admin.call<{ id: string }>(
    "admin.projects.create",
    { slug, settings: { name: "Load benchmark", candidatesPerPrompt: K, overlap: OVERLAP, leaseMinutes: 30 } },
    "mutation",
  );
  const rows = Array.from({ length: PROMPTS }, (_, i) => ({
    id: `p${i}`,
    prompt: `Benchmark prompt ${i}: explain why the sky looks blue in one short paragraph.`,
    candidates: Array.from({ length: K }, (_, c) => `Answer ${c} to prompt ${i}: Rayleigh scattering, variant ${c}.`),
  }));
  const started = Date.now();
  await importPrompts(admin, projectId, rows);
  console.log(`imported ${PROMPTS} prompts × ${K} candidates in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const labellers: Client[] = [];
  for (let i = 0; i < N; i++)
    labellers.push(await inviteLabeller(admin, [URL_BASE], `labeller${i}@bench.test`, `Labeller ${i}`));
  console.log(`${N} labellers invited and signed in`);
  return { admin, projectId, slug, labellers };
}

function shuffled<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

async function labelPhase(labellers: Client[], slug: string) {
  const next: number[] = [];
  const submit: number[] = [];
  const errors: string[] = [];
  let acknowledged = 0;
  let ranDry = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    labellers.map(async (c) => {
      while (performance.now() < deadline) {
        try {
          let t = performance.now();
          const task = await c.call<TTask>("label.next", { projectSlug: slug }, "mutation");
          next.push(performance.now() - t);
          if (!task) {
            ranDry++;
            return;
          }
          // A full ranking: the shown candidates in a random order, sometimes with a tie.
          const ids = shuffled(task.candidates.map((x) => x.id));
          const tiers =
            Math.random() < 0.2 ? [ids.slice(0, 2), ...ids.slice(2).map((id) => [id])] : ids.map((id) => [id]);
          t = performance.now();
          await c.call(
            "label.submit",
            {
              assignmentId: task.assignmentId,
              tiers,
              noneAcceptable: false,
              flags: {},
              rationale: "",
              totalMs: 5000,
              activeMs: 4000,
            },
            "mutation",
          );
          submit.push(performance.now() - t);
          acknowledged++;
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
    }),
  );
  return { next, submit, errors, acknowledged, ranDry, seconds: (performance.now() - started) / 1000 };
}

async function floorPhase(clients: Client[]) {
  let requests = 0;
  const errors: string[] = [];
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + FLOOR_SECONDS * 1000;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await c.call("auth.me", null, "query");
          latencies.push(performance.now() - t);
          requests++;
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
    }),
  );
  return { requests, errors, latencies, seconds: (performance.now() - started) / 1000 };
}

/**
 * Samples the benchmark database's non-idle connections until stopped: where PostgreSQL time goes
 * (running or waiting, on what, in which statement), as counts of (state, wait event, statement) samples.
 */
function startPgSampler(url: string) {
  const client = new pg.Client({ connectionString: url });
  const counts = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ state: string; wait: string | null; query: string }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      );
      for (const r of rows) {
        const key = `${r.state} ${r.wait ?? "cpu"} | ${r.query}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await loop.catch((e: unknown) => console.error("pg sampler:", e));
      return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
    },
  };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    console.error("No production build in .next: run `npm run build` first (the benchmark measures that build).");
    process.exit(2);
  }
  const ok = await withDatabase((url) =>
    withServer(url, async (log) => {
      const { admin, projectId, slug, labellers } = await setUp();
      // The worker's background load: candidate sets it generates for the demo built-in-model project.
      const generated = async () => {
        const p = (await admin.call<{ id: string; slug: string }[]>("admin.projects.list", {}, "query")).find(
          (x) => x.slug === "built-in-model",
        );
        if (!p) return NaN;
        return (
          await admin.call<{ prompts: { total: number } }>("admin.projects.dashboard", { projectId: p.id }, "query")
        ).prompts.total;
      };
      const setsBefore = await generated();
      console.log(`labelling: ${N} labellers for ${SECONDS} s…`);
      const sampler = PROVIDER === "postgres" ? startPgSampler(url) : null;
      const l = await labelPhase(labellers, slug);
      const activity = await sampler?.stop();
      const setsDuring = (await generated()) - setsBefore;
      console.log(`floor: ${N} clients on auth.me for ${FLOOR_SECONDS} s…`);
      const f = await floorPhase(labellers);
      const dash = await admin.call<{ judgments: number }>("admin.projects.dashboard", { projectId }, "query");
      const serverErrors = fs
        .readFileSync(log, "utf8")
        .split("\n")
        .filter((line) => /tRPC .*:|Error/.test(line)).length;

      const ns = [...l.next].sort((a, b) => a - b);
      const ss = [...l.submit].sort((a, b) => a - b);
      const fs_ = [...f.latencies].sort((a, b) => a - b);
      const labelRps = (l.next.length + l.submit.length) / l.seconds;
      const floorRps = f.requests / f.seconds;
      const errors = l.errors.length + f.errors.length;
      const ms = (x: number) => `${x.toFixed(1)} ms`;
      const rows: [string, string][] = [
        ["database", PROVIDER],
        ["labellers", String(N)],
        ["duration", `${l.seconds.toFixed(1)} s`],
        ["judgments/s", (l.acknowledged / l.seconds).toFixed(1)],
        ["label.next p50 / p99", `${ms(percentile(ns, 50))} / ${ms(percentile(ns, 99))} (n=${ns.length})`],
        ["label.submit p50 / p99", `${ms(percentile(ss, 50))} / ${ms(percentile(ss, 99))} (n=${ss.length})`],
        ["errors", `${errors}${l.ranDry ? ` (+${l.ranDry} ran dry)` : ""}`],
        ["judgments acknowledged / in database", `${l.acknowledged} / ${dash.judgments}`],
        ["labelling requests/s (next + submit)", labelRps.toFixed(1)],
        [
          "floor: auth.me requests/s, p50 / p99",
          `${floorRps.toFixed(1)}, ${ms(percentile(fs_, 50))} / ${ms(percentile(fs_, 99))}`,
        ],
        ["ratio labelling / floor requests/s", `${((100 * labelRps) / floorRps).toFixed(0)} %`],
        ["worker: built-in-model candidate sets generated while labelling", `${setsDuring} (${setsBefore} before)`],
        ["server log lines mentioning errors", String(serverErrors)],
      ];
      console.log("");
      for (const [k, v] of rows) console.log(`${k.padEnd(44)} ${v}`);
      for (const e of [...new Set([...l.errors, ...f.errors])].slice(0, 10)) console.log(`  error: ${e}`);
      if (activity?.length) {
        console.log(
          "\nPostgreSQL, where the busy connections were (pg_stat_activity sampled every 250 ms while labelling):",
        );
        for (const [k, n] of activity) console.log(`  ${String(n).padStart(6)}  ${k}`);
      }
      const good = errors === 0 && l.ranDry === 0 && l.acknowledged === dash.judgments;
      if (!good) console.log(`\nFAIL: errors, labellers ran dry, or acknowledged ≠ stored judgments`);
      return good;
    }),
  );
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
