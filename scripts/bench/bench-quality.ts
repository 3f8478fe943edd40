// `npm run bench:quality -- --judgments 100000 [--db sqlite|postgres] [--labellers 40] [--candidates 4]
//   [--overlap 3] [--repeat 3] [--bound 10] [--only quality,scan,...] [--keep] [--reuse URL#PROJECT]`
// The quality-control and export benchmark (issue 10). Builds a fresh database migrated from the committed migration
// files (a temporary SQLite file, or a fresh PostgreSQL database on TEST_PG_URL), fills one project with N judgments
// through the Prisma client in batches (one prompt and one comparison of K candidates per `overlap` judgments;
// simulated labellers of different reliability, each judgment with its own shown order, active time and date, spread
// over ten weeks), then times in a fresh child process per measurement, each `repeat` times: the Quality tab's whole
// computation (`computeQuality`), its parts (the scan alone, one pass), the consensus (reliability-weighted and
// equal) and streaming each export format to /dev/null (judgments, TRL pairs and KTO as JSONL; TRL pairs and
// judgments as Parquet). Prints a table (median seconds, rows, rows/s, MB/s, the child's peak RSS) and exits 1
// when the Quality computation's median exceeds `--bound` seconds (10 by default, stated for 100k judgments).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { finished } from "node:stream/promises";
import Database from "better-sqlite3";
import pg from "pg";
import { createDb, setDb, type Db, type Prisma } from "../../server/db";
import { migrationSql } from "../../server/test/migrations";
import { withPgDatabase } from "../support/product-server";
import { accumulateQuality, computeQuality } from "../../server/services/quality/compute-quality";
import { forEachConsensus } from "../../server/services/quality/consensus-rankings";
import { scanComparisonGroups } from "../../server/services/quality/scan-judgments";
import { exportLines, exportRows, type TExportOptions } from "../../server/services/export/export-lines";
import { exportColumns } from "../../server/services/export/export-columns";
import { parquetChunks } from "../../server/services/export/parquet-stream";

const SELF = import.meta.filename;
const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "node_modules/.bin");

const { values: args } = parseArgs({
  options: {
    judgments: { type: "string", default: "100000" },
    db: { type: "string", default: "sqlite" },
    labellers: { type: "string", default: "40" },
    candidates: { type: "string", default: "4" },
    overlap: { type: "string", default: "3" },
    repeat: { type: "string", default: "3" },
    bound: { type: "string", default: "10" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
    // Internal: one measurement in a child process.
    child: { type: "string" },
    url: { type: "string" },
    project: { type: "string" },
  },
});

type TMeasure = {
  what: string;
  run: (projectId: string) => Promise<{ rows: number; bytes?: number }>;
};

/**
 * Writes chunks to /dev/null gathered into 64 KiB writes (as a socket's buffer takes them; one write per JSONL line
 * would measure the file system's per-call cost, not the export), awaiting drain, counting bytes.
 */
async function toDevNull(chunks: AsyncIterable<string | Uint8Array>): Promise<number> {
  const out = fs.createWriteStream("/dev/null");
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (!out.write(Buffer.concat(pending))) await new Promise<void>((r) => out.once("drain", () => r()));
    pending = [];
    pendingBytes = 0;
  };
  for await (const c of chunks) {
    const b = typeof c === "string" ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    bytes += b.byteLength;
    pending.push(b);
    if ((pendingBytes += b.byteLength) >= 65536) await flush();
  }
  if (pendingBytes) await flush();
  out.end();
  await finished(out);
  return bytes;
}

async function* countingLines(opts: TExportOptions, count: { rows: number }) {
  for await (const line of exportLines(opts)) {
    count.rows++;
    yield line;
  }
}
async function* countingRows(opts: TExportOptions, count: { rows: number }) {
  for await (const row of exportRows(opts)) {
    count.rows++;
    yield row;
  }
}
const jsonl = (format: TExportOptions["format"]) => async (projectId: string) => {
  const count = { rows: 0 };
  const bytes = await toDevNull(countingLines({ projectId, format, salt: "bench" }, count));
  return { rows: count.rows, bytes };
};
const parquet = (format: TExportOptions["format"]) => async (projectId: string) => {
  const count = { rows: 0 };
  const opts: TExportOptions = { projectId, format, salt: "bench" };
  const bytes = await toDevNull(parquetChunks(countingRows(opts, count), exportColumns(format, opts)!));
  return { rows: count.rows, bytes };
};

const MEASURES: TMeasure[] = [
  {
    what: "quality (the tab: computeQuality)",
    run: async (projectId) => ({ rows: (await computeQuality({ projectId })).judgments }),
  },
  {
    what: "  part: scan only (scanComparisonGroups)",
    run: async (projectId) => {
      let rows = 0;
      for await (const g of scanComparisonGroups(projectId)) rows += g.judgments.length;
      return { rows };
    },
  },
  {
    what: "  part: the one pass (scan + statistics, no leave-one-out)",
    run: async (projectId) => ({ rows: (await accumulateQuality(projectId)).judgments }),
  },
  {
    what: "consensus, reliability-weighted (quality + 1 scan)",
    run: async (projectId) => {
      let rows = 0;
      await forEachConsensus({ projectId, weighting: "reliability" }, (c) => void (rows += c.judgments));
      return { rows };
    },
  },
  {
    what: "consensus, equal weights",
    run: async (projectId) => {
      let rows = 0;
      await forEachConsensus({ projectId, weighting: "equal" }, (c) => void (rows += c.judgments));
      return { rows };
    },
  },
  { what: "export judgments JSONL", run: jsonl("judgments") },
  { what: "export TRL pairs JSONL", run: jsonl("trl") },
  { what: "export KTO JSONL", run: jsonl("kto") },
  { what: "export TRL pairs Parquet", run: parquet("trl") },
  { what: "export judgments Parquet", run: parquet("judgments") },
];
const KEYS = [
  "quality",
  "scan",
  "pass",
  "consensus",
  "consensus-equal",
  "judgments",
  "trl",
  "kto",
  "trl-pq",
  "judgments-pq",
];

// ---------------------------------------------------------------------------------------------------------------
// The child: one measurement, `repeat` times, on an existing database; prints one RESULT line.

async function child(key: string) {
  const m = MEASURES[KEYS.indexOf(key)];
  if (!m) throw new Error(`unknown measurement ${key}`);
  const provider = args.db === "postgres" ? "postgres" : "sqlite";
  const db = createDb({ provider, url: args.url! });
  setDb(db);
  const seconds: number[] = [];
  let last: { rows: number; bytes?: number } = { rows: 0 };
  for (let i = 0; i < Number(args.repeat); i++) {
    const t = performance.now();
    last = await m.run(args.project!);
    seconds.push((performance.now() - t) / 1000);
  }
  await db.$disconnect();
  // maxRSS is in KiB: the peak of this process, which did nothing but this measurement.
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`RESULT ${JSON.stringify({ seconds, rows: last.rows, bytes: last.bytes ?? null, rssMb })}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The fill: a seeded simulation, so every run writes the same project.

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261204);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
const WORDS =
  "the a model answer explains why because light water energy system data value people time result first each which their would other about many then these some could when there make like into than more only very".split(
    " ",
  );
const text = (words: number) => Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");

type TLabeller = { kind: "thurstone" | "random" | "adversarial" | "order-keeper"; sigma: number; activity: number };
/** Mostly honest labellers of graded noise; one in twenty each random, adversarial and an hurried order-keeper. */
function labellerKinds(n: number): TLabeller[] {
  return Array.from({ length: n }, (_, i) => {
    const activity = 1 / (1 + (i % 7)); // some labellers do far more than others
    if (i % 20 === 17) return { kind: "random", sigma: 0, activity };
    if (i % 20 === 18) return { kind: "adversarial", sigma: 0.5, activity };
    if (i % 20 === 19) return { kind: "order-keeper", sigma: 0, activity };
    return { kind: "thurstone", sigma: 0.3 + (i % 17) * 0.14, activity };
  });
}

/** A ranking (tiers of candidate indices, best first) by one labeller of the true utilities, given the shown order. */
function rank(l: TLabeller, utility: number[], shown: number[]): number[][] {
  if (l.kind === "order-keeper") return shown.map((i) => [i]);
  const perceived = utility.map((u) =>
    l.kind === "random" ? rand() : (l.kind === "adversarial" ? -u : u) + l.sigma * gauss(),
  );
  const order = utility.map((_, i) => i).sort((a, b) => perceived[b]! - perceived[a]!);
  const tiers: number[][] = [];
  for (const i of order) {
    const last = tiers[tiers.length - 1];
    // A tie when two neighbours look close (about one ranking in six has one).
    if (last && Math.abs(perceived[last[0]!]! - perceived[i]!) < 0.12) last.push(i);
    else tiers.push([i]);
  }
  return tiers;
}

async function fill(db: Db, o: { judgments: number; labellers: number; k: number; overlap: number }) {
  const tag = Date.now().toString(36);
  const project = await db.project.create({
    data: {
      slug: `bench-quality-${tag}`,
      name: "Quality benchmark",
      candidatesPerPrompt: o.k,
      overlap: o.overlap,
      leaseMinutes: 30,
    },
  });
  await db.guidelineVersion.create({ data: { projectId: project.id, version: 1, body: "# Rank by helpfulness" } });
  const kinds = labellerKinds(o.labellers);
  await db.user.createMany({
    data: kinds.map((k, i) => ({
      id: `u${tag}${String(i).padStart(4, "0")}`,
      email: `labeller${i}-${k.kind}@bench.local`,
      name: `Labeller ${i}`,
      role: "labeller",
      passwordHash: "x",
    })),
  });
  const userIds = kinds.map((_, i) => `u${tag}${String(i).padStart(4, "0")}`);
  const totalActivity = kinds.reduce((s, k) => s + k.activity, 0);
  const pickLabeller = () => {
    let x = rand() * totalActivity;
    for (let i = 0; i < kinds.length; i++) if ((x -= kinds[i]!.activity) <= 0) return i;
    return kinds.length - 1;
  };
  const comparisons = Math.ceil(o.judgments / o.overlap);
  const start = Date.parse("2026-09-01T08:00:00Z");
  const span = 70 * 86_400_000;
  const BATCH = 400;
  let written = 0;
  const t0 = performance.now();
  for (let from = 0; from < comparisons; from += BATCH) {
    const prompts: Prisma.PromptCreateManyInput[] = [];
    const cmps: Prisma.ComparisonCreateManyInput[] = [];
    const cands: Prisma.CandidateCreateManyInput[] = [];
    const assignments: Prisma.AssignmentCreateManyInput[] = [];
    const judgments: Prisma.JudgmentCreateManyInput[] = [];
    for (let c = from; c < Math.min(comparisons, from + BATCH); c++) {
      const id = (p: string) => `${p}${tag}${String(c).padStart(8, "0")}`;
      const promptId = id("p");
      const comparisonId = id("c");
      prompts.push({
        id: promptId,
        projectId: project.id,
        seq: c + 1,
        contentHash: id("h"),
        externalId: `ext-${c}`,
        messages: [{ role: "user", content: `Question ${c}: ${text(40)}?` }],
      });
      const n = Math.min(o.overlap, o.judgments - c * o.overlap);
      cmps.push({
        id: comparisonId,
        projectId: project.id,
        promptId,
        promptSeq: c + 1,
        round: 0,
        status: "open",
        judgmentCount: n,
      });
      const candidateIds = Array.from({ length: o.k }, (_, k) => `${id("k")}${k}`);
      candidateIds.forEach((cid, k) =>
        cands.push({
          id: cid,
          promptId,
          comparisonId,
          position: k,
          text: text(90),
          source: "imported",
          generationParams: { import: "bench" },
        }),
      );
      const utility = candidateIds.map(() => gauss());
      const chosen = new Set<number>();
      while (chosen.size < n) chosen.add(pickLabeller());
      const day = start + (c / comparisons) * span;
      [...chosen].forEach((u, slot) => {
        const l = kinds[u]!;
        const shown = shuffle(candidateIds.map((_, k) => k));
        const tiers = rank(l, utility, shown).map((t) => t.map((k) => candidateIds[k]!));
        const activeMs =
          l.kind === "order-keeper"
            ? Math.round(1500 + 1000 * rand())
            : Math.round(20_000 * Math.exp(0.5 * gauss() + (l.sigma > 1.5 ? -0.4 : 0)));
        const createdAt = new Date(day + rand() * 86_400_000 * 3);
        const assignmentId = `${id("a")}${slot}`;
        const shownOrder = shown.map((k) => candidateIds[k]!);
        assignments.push({
          id: assignmentId,
          projectId: project.id,
          promptId,
          comparisonId,
          userId: userIds[u]!,
          slot,
          status: "submitted",
          shownOrder,
          guidelineVersion: 1,
          leasedAt: new Date(createdAt.getTime() - activeMs - 5000),
          expiresAt: new Date(createdAt.getTime() + 1_800_000),
          finishedAt: createdAt,
        });
        judgments.push({
          id: `${id("j")}${slot}`,
          projectId: project.id,
          promptId,
          comparisonId,
          userId: userIds[u]!,
          assignmentId,
          tiers,
          noneAcceptable: false,
          flags: rand() < 0.05 ? { [candidateIds[0]!]: { kinds: ["factually_wrong"] } } : {},
          rationale: rand() < 0.1 ? text(15) : "",
          shownOrder,
          totalMs: activeMs + Math.round(3000 * rand()),
          activeMs,
          guidelineVersion: 1,
          createdAt,
        });
      });
    }
    await db.prompt.createMany({ data: prompts });
    await db.comparison.createMany({ data: cmps });
    await db.candidate.createMany({ data: cands });
    await db.assignment.createMany({ data: assignments });
    await db.judgment.createMany({ data: judgments });
    written += judgments.length;
    if ((from / BATCH) % 25 === 0)
      process.stdout.write(`  ${written} judgments written (${((performance.now() - t0) / 1000).toFixed(0)} s)\r`);
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`filled ${written} judgments, ${comparisons} comparisons x ${o.k} candidates in ${seconds.toFixed(1)} s`);
  return project.id;
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: database, fill, one child per measurement, the table.

async function withFreshDatabase<T>(provider: "sqlite" | "postgres", fn: (url: string) => Promise<T>): Promise<T> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-bench-quality-"));
    const file = path.join(dir, "bench.db");
    const raw = new Database(file);
    for (const sql of migrationSql("sqlite")) raw.exec(sql);
    raw.close();
    try {
      return await fn(`file:${file}`);
    } finally {
      if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const run = async (url: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (const sql of migrationSql("postgres")) await c.query(sql);
    await c.end();
    return fn(url);
  };
  if (args.keep) {
    // A database that outlives the run, for profiling with --reuse.
    const name = `prefloop_bench_quality_keep_${Date.now().toString(36)}`;
    const admin = new pg.Client({
      connectionString: process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
    u.pathname = `/${name}`;
    return run(u.toString());
  }
  return withPgDatabase("prefloop_bench_quality", run);
}

type TResult = { seconds: number[]; rows: number; bytes: number | null; rssMb: number };

function measure(key: string, url: string, projectId: string, provider: string) {
  return new Promise<TResult>((resolve, reject) => {
    const p = spawn(
      path.join(BIN, "tsx"),
      [SELF, "--child", key, "--url", url, "--project", projectId, "--db", provider, "--repeat", args.repeat],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, DB_PROVIDER: provider } },
    );
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`measurement ${key} failed (exit ${code}): ${out}`));
      else resolve(JSON.parse(line.slice(7)) as TResult);
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

async function main() {
  if (args.child) return child(args.child);
  const provider = args.db;
  if (provider !== "sqlite" && provider !== "postgres") throw new Error("--db must be sqlite or postgres");
  const o = {
    judgments: Number(args.judgments),
    labellers: Number(args.labellers),
    k: Number(args.candidates),
    overlap: Number(args.overlap),
  };
  const bound = Number(args.bound);
  if (!(o.judgments >= 1 && o.labellers >= o.overlap && o.k >= 2 && o.overlap >= 1 && Number(args.repeat) >= 1))
    throw new Error("usage: --judgments N --labellers L (>= overlap) --candidates K (>= 2) --overlap O --repeat R");
  const only = args.only?.split(",") ?? KEYS;
  for (const k of only) if (!KEYS.includes(k)) throw new Error(`--only: unknown ${k}; one of ${KEYS.join(", ")}`);

  const bench = async (url: string, projectId: string) => {
    const rows: string[] = [];
    let quality: number | null = null;
    const loads = [load()];
    for (const key of KEYS.filter((k) => only.includes(k))) {
      const m = MEASURES[KEYS.indexOf(key)]!;
      const r = await measure(key, url, projectId, provider);
      const s = median(r.seconds);
      if (key === "quality") quality = s;
      const mbs = r.bytes === null ? "" : `${(r.bytes / 1e6).toFixed(1)} MB, ${(r.bytes / 1e6 / s).toFixed(1)} MB/s`;
      rows.push(
        `| ${m.what} | ${s.toFixed(2)} | ${r.seconds.map((x) => x.toFixed(2)).join(" ")} | ${r.rows} | ${Math.round(r.rows / s)} | ${mbs} | ${r.rssMb.toFixed(0)} |`,
      );
      console.log(rows[rows.length - 1]);
    }
    loads.push(load());
    console.log(
      `\n${provider}, ${o.judgments} judgments (${o.labellers} labellers, ${o.k} candidates, overlap ${o.overlap}), ` +
        `${args.repeat} runs each; load average (1, 5, 15 min) before ${loads[0]}, after ${loads[1]}; ${os.cpus().length} CPUs\n`,
    );
    console.log("| what | median s | runs s | rows | rows/s | bytes | peak RSS MB |");
    console.log("| --- | --- | --- | --- | --- | --- | --- |");
    for (const r of rows) console.log(r);
    if (quality !== null && quality > bound) {
      console.error(
        `\nFAIL: the Quality computation took ${quality.toFixed(2)} s (median), over the bound of ${bound} s`,
      );
      process.exitCode = 1;
    } else if (quality !== null)
      console.log(`\nok: the Quality computation took ${quality.toFixed(2)} s (bound ${bound} s)`);
  };

  if (args.reuse) {
    const [url, projectId] = args.reuse.split("#") as [string, string];
    return bench(url, projectId);
  }
  await withFreshDatabase(provider, async (url) => {
    const db = createDb({ provider, url });
    setDb(db);
    const projectId = await fill(db, o);
    await db.$disconnect();
    if (provider === "postgres") {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query("ANALYZE"); // as autovacuum would soon after a bulk load
      await c.end();
    }
    if (args.keep) console.log(`kept: --reuse '${url}#${projectId}'`);
    await bench(url, projectId);
  });
}

await main();
