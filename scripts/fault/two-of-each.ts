// Fault test: two web servers and two workers on one PostgreSQL database (`npm test` runs it after the
// production build; alone: `npx tsx scripts/fault/two-of-each.ts`, with TEST_PG_URL and a build in .next).
//
// Server A is `server/cli/start.ts` (migrations, admin, demo project, web + worker); server B is a second
// `next start` and a second worker process on the same database. Through HTTP only, every call going to A or
// B at random: the admin imports a small project (overlap 2) and invites labellers; half of them rank it
// until it runs dry, the other half rank the demo project's model-generated candidates until its schedule
// starts training round 1; both workers generate candidates and one of them trains the round. Then the
// database must reconcile: every acknowledged judgment stored and nothing else, no comparison judged or
// leased beyond its overlap, `judgmentCount` equal to the judgments it counts, every imported comparison
// complete, no candidate set generated twice, no finished job claimed twice (a job taken by two workers
// counts two attempts), one round 1 and one version from it, and work done by both workers and both servers.
// Exits 1 with the broken counts otherwise.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PG_URL, waitForServer, withPgDatabase } from "../support/product-server";
import { importPrompts, inviteLabeller, TrpcClient } from "../support/trpc-client";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "node_modules/.bin");
const ADMIN = { email: "admin@fault.test", password: "fault-admin-password" };
const PORT_A = Number(process.env.FAULT_PORT ?? 3220);
const PORT_B = PORT_A + 1;
const BASES = [`http://127.0.0.1:${PORT_A}`, `http://127.0.0.1:${PORT_B}`];
const PROMPTS = 40;
const K = 3;
const OVERLAP = 2;
const LABELLERS_PER_PROJECT = 4;
const DEMO_SLUG = "built-in-model";
const DEADLINE_MS = 420_000;

type TTask = { assignmentId: string; candidates: { id: string }[] } | null;

function shuffled<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ranks tasks of one project until `done()` says stop; returns the judgments acknowledged. */
async function rankUntil(c: TrpcClient, slug: string, done: () => boolean, deadline: number): Promise<number> {
  let acknowledged = 0;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${slug}: still ranking at the deadline`);
    const task = await c.call<TTask>("label.next", { projectSlug: slug }, "mutation");
    if (!task) {
      if (slug !== DEMO_SLUG) return acknowledged; // the imported project ran dry: every slot is judged
      await sleep(1000); // the workers are generating the next candidates
      continue;
    }
    await c.call(
      "label.submit",
      {
        assignmentId: task.assignmentId,
        tiers: shuffled(task.candidates.map((x) => x.id)).map((id) => [id]),
        noneAcceptable: false,
        flags: {},
        rationale: "",
        totalMs: 3000,
        activeMs: 2000,
      },
      "mutation",
    );
    acknowledged++;
  }
  return acknowledged;
}

function startProcess(args: string[], env: NodeJS.ProcessEnv, log: number): ChildProcess {
  return spawn(args[0]!, args.slice(1), { cwd: ROOT, env, stdio: ["ignore", log, log], detached: true });
}

async function stop(children: ChildProcess[]) {
  const running = children.filter((c) => c.pid && c.exitCode === null && c.signalCode === null);
  const exited = running.map((c) => new Promise((r) => c.once("exit", r)));
  for (const c of running) process.kill(-c.pid!, "SIGTERM");
  await Promise.all(exited);
}

async function reconcile(db: pg.Client, acknowledged: Map<string, number>) {
  const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    (await db.query<T>(sql, params)).rows;
  const problems: string[] = [];
  const rows: [string, string][] = [];

  for (const [slug, n] of acknowledged) {
    const [r] = await q<{ n: string }>(
      `SELECT count(*) AS n FROM "Judgment" j JOIN "Project" p ON p.id = j."projectId" WHERE p.slug = $1`,
      [slug],
    );
    rows.push([`${slug}: judgments acknowledged / stored`, `${n} / ${r!.n}`]);
    if (Number(r!.n) !== n) problems.push(`${slug}: ${n} judgments acknowledged, ${r!.n} stored`);
  }
  const over = await q<{ id: string; overlap: number; judgments: string; active: string; counted: number }>(
    `SELECT c.id, p.overlap, c."judgmentCount" AS counted,
            (SELECT count(*) FROM "Judgment" j WHERE j."comparisonId" = c.id) AS judgments,
            (SELECT count(*) FROM "Assignment" a WHERE a."comparisonId" = c.id) AS active
       FROM "Comparison" c JOIN "Project" p ON p.id = c."projectId"`,
  );
  const beyond = over.filter((c) => Number(c.judgments) > c.overlap || Number(c.active) > c.overlap);
  const miscounted = over.filter((c) => Number(c.judgments) !== c.counted);
  rows.push(["comparisons judged or leased beyond overlap", String(beyond.length)]);
  rows.push(["comparisons whose judgmentCount ≠ their judgments", String(miscounted.length)]);
  if (beyond.length) problems.push(`${beyond.length} comparisons judged or leased beyond their overlap`);
  if (miscounted.length) problems.push(`${miscounted.length} comparisons with judgmentCount ≠ judgments`);
  const [incomplete] = await q<{ n: string }>(
    `SELECT count(*) AS n FROM "Comparison" c JOIN "Project" p ON p.id = c."projectId"
      WHERE p.slug = 'fault' AND c."judgmentCount" <> p.overlap`,
  );
  rows.push(["imported comparisons not complete after running dry", incomplete!.n]);
  if (Number(incomplete!.n) !== 0) problems.push(`${incomplete!.n} imported comparisons incomplete`);

  const sets = await q<{ n: string; sets: string }>(
    `SELECT count(*) AS sets, coalesce(sum(CASE WHEN k <> $1 THEN 1 ELSE 0 END), 0) AS n FROM (
       SELECT c.id, count(x.id) AS k FROM "Comparison" c JOIN "Project" p ON p.id = c."projectId"
         LEFT JOIN "Candidate" x ON x."comparisonId" = c.id
        WHERE p.slug = $2 AND c.status <> 'pending' GROUP BY c.id) s`,
    [K, DEMO_SLUG],
  );
  rows.push([
    `${DEMO_SLUG}: generated sets / sets without exactly ${K} candidates`,
    `${sets[0]!.sets} / ${sets[0]!.n}`,
  ]);
  if (Number(sets[0]!.n) !== 0) problems.push(`${sets[0]!.n} generated comparisons without exactly ${K} candidates`);

  const jobs = await q<{ kind: string; status: string; n: string; twice: string; workers: string }>(
    `SELECT kind, status, count(*) AS n, sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) AS twice,
            count(DISTINCT "lockedBy") AS workers
       FROM "Job" GROUP BY kind, status ORDER BY kind, status`,
  );
  for (const j of jobs)
    rows.push([`jobs ${j.kind} ${j.status}`, `${j.n} (claimed twice: ${j.twice}; by ${j.workers} workers)`]);
  const twice = jobs.filter((j) => j.status === "done").reduce((s, j) => s + Number(j.twice), 0);
  const failed = jobs.filter((j) => j.status === "failed").reduce((s, j) => s + Number(j.n), 0);
  if (twice) problems.push(`${twice} finished jobs were claimed more than once`);
  if (failed) problems.push(`${failed} jobs failed`);
  const [byWorker] = await q<{ n: string }>(`SELECT count(DISTINCT "lockedBy") AS n FROM "Job" WHERE status = 'done'`);
  rows.push(["workers that finished jobs", byWorker!.n]);
  if (Number(byWorker!.n) < 2) problems.push(`only ${byWorker!.n} worker finished jobs: not a two-worker run`);

  const runs = await q<{ number: number; status: string; name: string | null }>(
    `SELECT r.number, r.status, v.name FROM "TrainingRun" r JOIN "Project" p ON p.id = r."projectId"
       LEFT JOIN "ModelVersion" v ON v.id = r."policyVersionId" WHERE p.slug = $1 ORDER BY r.number`,
    [DEMO_SLUG],
  );
  rows.push([`${DEMO_SLUG}: training runs`, runs.map((r) => `#${r.number} ${r.status} → ${r.name}`).join(", ")]);
  const first = runs.filter((r) => r.number === 1);
  if (first.length !== 1 || first[0]!.status !== "done" || !first[0]!.name)
    problems.push(`round 1: expected one finished run with a version, found ${JSON.stringify(first)}`);
  const [versions] = await q<{ n: string }>(`SELECT count(*) AS n FROM "ModelVersion" WHERE name = $1`, [
    `${DEMO_SLUG}-round-1`,
  ]);
  if (Number(versions!.n) !== 1) problems.push(`${versions!.n} versions named ${DEMO_SLUG}-round-1`);
  return { rows, problems };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    console.error("No production build in .next: run `npm run build` first.");
    process.exit(2);
  }
  const problems = await withPgDatabase("prefloop_fault", async (url) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-fault-"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
      PREFLOOP_SKIP_BUILD: "1",
      DB_PROVIDER: "postgres",
      DATABASE_URL: url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PREFLOOP_MODELS_DIR: path.join(tmp, "models"), // shared by both workers and both servers
    };
    const logs = ["a.log", "b-web.log", "b-worker.log"].map((f) => path.join(tmp, f));
    const fds = logs.map((f) => fs.openSync(f, "a"));
    const children: ChildProcess[] = [];
    try {
      console.log(`server A (web + worker) on ${BASES[0]}, server B (web) on ${BASES[1]} + worker B; logs in ${tmp}`);
      children.push(
        startProcess([path.join(BIN, "tsx"), "server/cli/start.ts"], { ...env, PORT: String(PORT_A) }, fds[0]!),
      );
      await waitForServer(BASES[0]!, children[0]!, logs[0]);
      children.push(
        startProcess([path.join(BIN, "next"), "start", "-H", "127.0.0.1", "-p", String(PORT_B)], env, fds[1]!),
        startProcess([process.execPath, "--import", "tsx", "workers/index.ts"], env, fds[2]!),
      );
      await waitForServer(BASES[1]!, children[1]!, logs[1]);

      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        for (let i = 0; ; i++) {
          const { rows } = await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM "Worker" WHERE "stoppedAt" IS NULL`,
          );
          if (Number(rows[0]!.n) >= 2) break;
          if (i > 120) throw new Error(`only ${rows[0]!.n} worker reported within a minute; see ${logs[2]}`);
          await sleep(500);
        }
        const admin = new TrpcClient(BASES);
        await admin.call("auth.signIn", ADMIN, "mutation");
        const { id: projectId } = await admin.call<{ id: string }>(
          "admin.projects.create",
          {
            slug: "fault",
            settings: { name: "Fault test", candidatesPerPrompt: K, overlap: OVERLAP, leaseMinutes: 30 },
          },
          "mutation",
        );
        await importPrompts(
          admin,
          projectId,
          Array.from({ length: PROMPTS }, (_, i) => ({
            id: `f${i}`,
            prompt: `Fault test prompt ${i}`,
            candidates: Array.from({ length: K }, (_, c) => `Answer ${c} to prompt ${i}.`),
          })),
        );
        const demo = await admin.call<{ id: string }>("admin.projects.get", { slug: DEMO_SLUG }, "query");
        const labellers: TrpcClient[] = [];
        for (let i = 0; i < 2 * LABELLERS_PER_PROJECT; i++)
          labellers.push(await inviteLabeller(admin, BASES, `l${i}@fault.test`, `Labeller ${i}`));

        const deadline = Date.now() + DEADLINE_MS;
        const roundStarted = async () => {
          const o = await admin.call<{ runs: { number: number }[] }>(
            "admin.models.overview",
            { projectId: demo.id },
            "query",
          );
          return o.runs.some((r) => r.number === 1);
        };
        let started = false;
        const watcher = (async () => {
          while (!started && Date.now() < deadline) {
            started = await roundStarted();
            await sleep(1000);
          }
        })();
        console.log(
          `${labellers.length} labellers ranking "fault" (${PROMPTS} prompts × overlap ${OVERLAP}) and "${DEMO_SLUG}"…`,
        );
        const counts = await Promise.all(
          labellers.map((c, i) =>
            i < LABELLERS_PER_PROJECT
              ? rankUntil(c, "fault", () => false, deadline)
              : rankUntil(c, DEMO_SLUG, () => started, deadline),
          ),
        );
        await watcher;
        if (!started) throw new Error(`training round 1 did not start within ${DEADLINE_MS / 1000} s`);
        const acknowledged = new Map([
          ["fault", counts.slice(0, LABELLERS_PER_PROJECT).reduce((a, b) => a + b, 0)],
          [DEMO_SLUG, counts.slice(LABELLERS_PER_PROJECT).reduce((a, b) => a + b, 0)],
        ]);
        console.log("round 1 started; waiting for it to finish…");
        for (;;) {
          const { rows } = await db.query<{ status: string }>(
            `SELECT r.status FROM "TrainingRun" r JOIN "Project" p ON p.id = r."projectId" WHERE p.slug = $1 AND r.number = 1`,
            [DEMO_SLUG],
          );
          if (rows.some((r) => r.status === "done" || r.status === "failed")) break;
          if (Date.now() > deadline + 240_000) throw new Error("training round 1 did not finish within 4 minutes");
          await sleep(2000);
        }
        // Jobs go to whichever worker polls first: wait until both have finished some (each 10 s slot queues one).
        for (let i = 0; ; i++) {
          const { rows } = await db.query<{ n: string }>(
            `SELECT count(DISTINCT "lockedBy") AS n FROM "Job" WHERE status = 'done'`,
          );
          if (Number(rows[0]!.n) >= 2) break;
          if (i > 90) throw new Error("in 3 minutes, only one worker finished any job");
          await sleep(2000);
        }
        // Counted while everything runs: a job handed back at a stop and finished by the other worker would
        // rightly count two attempts, so nothing is stopped before the counts are read.
        const served = new Map<string, number>();
        for (const c of [admin, ...labellers]) for (const [b, n] of c.served) served.set(b, (served.get(b) ?? 0) + n);
        const result = await reconcile(db, acknowledged);
        for (const b of BASES) {
          result.rows.push([`calls answered by ${b}`, String(served.get(b) ?? 0)]);
          if (!served.get(b)) result.problems.push(`${b} answered no call`);
        }
        console.log("");
        for (const [k, v] of result.rows) console.log(`${k.padEnd(60)} ${v}`);
        return result.problems;
      } finally {
        await db.end();
      }
    } finally {
      await stop(children);
      for (const fd of fds) fs.closeSync(fd);
    }
  });
  if (problems.length) {
    console.log("\nFAIL:");
    for (const p of problems) console.log(`  ${p}`);
    process.exit(1);
  }
  console.log(`\nok: two web servers and two workers on one PostgreSQL reconcile (${PG_URL})`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
