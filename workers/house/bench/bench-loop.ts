// `npm run bench:loop -- --rounds 3 --prompts 200 --k 4 --trainer dpo|rloo|both --oracle sentence|terse|<module>`:
// the RLHF loop at engine level on the built-in model. Per round: K candidates per pool prompt from the current
// policy, ranked by the oracle; a reward model trained (every weight, from the SFT model) on all rankings so
// far; the policy trained (DPO on this round's pairs, RLOO against the reward model, or both in turn, LoRA
// merged after each); then the policy and the untouched SFT model evaluated on held-out questions.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { resolveModelDir } from "../../ml/cli/generate";
import { runTrainCli } from "../../ml/train/cli/train";
import { buildCorpus, type TItem } from "../corpus/build-corpus";
import { Chooser } from "../corpus/random";
import { isCorrect } from "../corpus/truth";
import { loadOracle } from "../labellers/load-oracle";
import { oraclePrompt } from "../labellers/oracle";
import { EXACT_ORACLES, type TBuiltinOracle } from "../labellers/panels";
import { heldOutSample } from "../train/evaluate";
import { FULL } from "../train/profiles";
import { formatRound, writeLoopReport, type TRoundResult } from "./loop-report";
import { evaluatePolicy, rmPairwiseAccuracy, sampleCandidates } from "./loop-eval";

const USAGE = `usage: npm run bench:loop -- [--rounds 3] [--prompts 200] [--k 4] [--trainer dpo|rloo|both]
  [--oracle sentence|terse|path/to/module.js] [--model house|<dir>] [--eval 200] [--threads n] [--work dir]
  [--rm-lr 3e-4] [--rm-epochs 3] [--dpo-lr 1e-4] [--rloo-lr 1e-4]
  [--report docs/benchmarks.md] (appends a section and writes an SVG beside it) [--json results.json]`;

async function train(argv: string[]): Promise<void> {
  const err: string[] = [];
  const code = await runTrainCli([...argv, "--quiet", "--eval-split", "0"], { out: () => {}, err: (t) => err.push(t) });
  if (code !== 0) throw new Error(`npm run train -- ${argv.join(" ")}: ${err.join("\n")}`);
}

const msgs = (it: TItem) => it.messages.map((m) => ({ role: m.role, content: m.content }));

/** Learning rates and epochs of the loop's training runs (`--rm-lr`, `--rm-epochs`, `--dpo-lr`, `--rloo-lr`). */
export interface THyperParameters {
  readonly rmLr: number;
  readonly rmEpochs: number;
  readonly dpoLr: number;
  readonly rlooLr: number;
}

export const DEFAULT_HP: THyperParameters = { rmLr: 3e-4, rmEpochs: 3, dpoLr: 1e-4, rlooLr: 1e-4 };

export async function runLoop(o: {
  rounds: number;
  prompts: number;
  k: number;
  trainer: "dpo" | "rloo" | "both";
  oracle: string;
  model: string;
  evalQuestions: number;
  threads?: number;
  work: string;
  hp: THyperParameters;
  log: (t: string) => void;
}): Promise<TRoundResult[]> {
  const oracle = await loadOracle(o.oracle);
  // The reward model is scored against what the oracle means: a built-in panel without its noise, ties and
  // skips; a plug-in as it ranks.
  const judge = Object.hasOwn(EXACT_ORACLES, o.oracle) ? EXACT_ORACLES[o.oracle as TBuiltinOracle]() : oracle;
  const corpus = buildCorpus(FULL.corpus);
  const sftDir = path.resolve(resolveModelDir(o.model));
  fs.rmSync(o.work, { recursive: true, force: true });
  fs.mkdirSync(o.work, { recursive: true });
  const held = heldOutSample(corpus, o.evalQuestions, 99);
  const rmHeld = held.slice(0, Math.min(100, held.length));
  const rmHeldCands = await sampleCandidates(sftDir, rmHeld, { k: o.k, temperature: 1, seed: 7, threads: o.threads });
  const context = (
    JSON.parse(fs.readFileSync(path.join(sftDir, "config.json"), "utf8")) as { max_position_embeddings: number }
  ).max_position_embeddings;
  const threads = [...(o.threads ? ["--threads", String(o.threads)] : []), "--max-length", String(context)];
  const rankings: unknown[] = [];
  let policy = sftDir;
  const results: TRoundResult[] = [];
  const pool = Chooser.of(5).shuffle(corpus.pool);
  for (let r = 1; r <= o.rounds; r++) {
    const t0 = Date.now();
    const dir = path.join(o.work, `round-${r}`);
    fs.mkdirSync(dir, { recursive: true });
    const prompts = pool.slice((r - 1) * o.prompts, r * o.prompts);
    o.log(`round ${r}: sampling ${o.k} candidates for ${prompts.length} prompts`);
    const cands = await sampleCandidates(policy, prompts, {
      k: o.k,
      temperature: 1,
      seed: 1000 * r,
      threads: o.threads,
    });
    const roundRows: unknown[] = [];
    for (let i = 0; i < prompts.length; i++) {
      const it = prompts[i] as TItem;
      const c = cands[i] ?? [];
      const tiers = await oracle.rank(
        oraclePrompt(it, (t) => isCorrect(it.truth, t, corpus.facts)),
        c,
      );
      if (!tiers || tiers.length < 2) continue;
      const ranked = tiers.flatMap((tier, t) => tier.map((idx) => ({ idx, t })));
      roundRows.push({
        prompt: msgs(it),
        completions: ranked.map(({ idx }) => [{ role: "assistant", content: c[idx] ?? "" }]),
        ranks: ranked.map(({ t }) => t),
      });
    }
    rankings.push(...roundRows);
    const write = (name: string, rows: readonly unknown[]) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, `${rows.map((x) => JSON.stringify(x)).join("\n")}\n`);
      return f;
    };
    if (rankings.length === 0)
      throw new Error(`round ${r}: the oracle ranked no prompt (every candidate tied or skipped)`);
    o.log(`round ${r}: reward model on ${rankings.length} rankings`);
    const rmOut = path.join(dir, "rm");
    await train([
      "--kind",
      "rm",
      "--full",
      "--model",
      sftDir,
      "--data",
      write("rankings-all.jsonl", rankings),
      "--out",
      rmOut,
      "--lr",
      String(o.hp.rmLr),
      "--epochs",
      String(o.hp.rmEpochs),
      "--batch-size",
      "8",
      ...threads,
    ]);
    const rmDir = path.join(rmOut, "model");
    const roundFile = write("rankings-round.jsonl", roundRows);
    if (o.trainer !== "rloo" && roundRows.length > 0) {
      o.log(`round ${r}: DPO on this round's pairs`);
      const out = path.join(dir, "dpo");
      await train([
        "--kind",
        "dpo",
        "--model",
        policy,
        "--data",
        roundFile,
        "--out",
        out,
        "--merge",
        "--lr",
        String(o.hp.dpoLr),
        "--epochs",
        "1",
        "--batch-size",
        "8",
        "--beta",
        "0.1",
        "--precompute-ref",
        ...threads,
      ]);
      policy = path.join(out, "model");
    }
    if (o.trainer !== "dpo") {
      o.log(`round ${r}: RLOO against the reward model`);
      const out = path.join(dir, "rloo");
      const promptFile = write(
        "prompts.jsonl",
        prompts.map((it) => ({ prompt: msgs(it) })),
      );
      await train([
        "--kind",
        "rloo",
        "--model",
        policy,
        "--reward-model",
        rmDir,
        "--data",
        promptFile,
        "--out",
        out,
        "--merge",
        "--lr",
        String(o.hp.rlooLr),
        "--epochs",
        "1",
        "--batch-size",
        "8",
        "--num-generations",
        String(o.k),
        "--max-new-tokens",
        "48",
        ...threads,
      ]);
      policy = path.join(out, "model");
    }
    o.log(`round ${r}: evaluating on ${held.length} held-out questions`);
    const rm = await rmPairwiseAccuracy(rmDir, corpus, rmHeld, rmHeldCands, judge, o.threads);
    const pe = await evaluatePolicy(policy, sftDir, rmDir, corpus, held, o.threads);
    const se = await evaluatePolicy(sftDir, sftDir, rmDir, corpus, held, o.threads);
    const { answers: _a, ...policyEval } = pe;
    const { answers: _b, ...sftEval } = se;
    void _a;
    void _b;
    results.push({
      round: r,
      judgments: rankings.length,
      rmAccuracy: rm.accuracy,
      rmPairs: rm.pairs,
      policy: policyEval,
      sft: sftEval,
      seconds: (Date.now() - t0) / 1000,
    });
    o.log(formatRound(results.at(-1) as TRoundResult));
  }
  return results;
}

export type { TRoundResult };

export async function runBenchLoopCli(argv: readonly string[], log: (t: string) => void): Promise<number> {
  let v: Record<string, string | boolean | undefined>;
  try {
    v = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        [
          "rounds",
          "prompts",
          "k",
          "trainer",
          "oracle",
          "model",
          "eval",
          "threads",
          "work",
          "json",
          "report",
          "rm-lr",
          "rm-epochs",
          "dpo-lr",
          "rloo-lr",
        ].map((n) => [n, { type: "string" as const }]),
      ),
      strict: true,
    }).values;
  } catch (e) {
    log(`error: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const int = (name: string, fallback: number, min: number) => {
    const x = v[name] === undefined ? fallback : Number(v[name]);
    if (!Number.isSafeInteger(x) || x < min)
      throw new Error(`--${name} expects an integer >= ${min}, got "${String(v[name])}"`);
    return x;
  };
  const float = (name: string, fallback: number) => {
    const x = v[name] === undefined ? fallback : Number(v[name]);
    if (!(x > 0) || !Number.isFinite(x)) throw new Error(`--${name} expects a number > 0, got "${String(v[name])}"`);
    return x;
  };
  try {
    const trainer = (v.trainer as string | undefined) ?? "dpo";
    if (!["dpo", "rloo", "both"].includes(trainer))
      throw new Error(`--trainer must be dpo, rloo or both, got "${trainer}"`);
    const started = Date.now();
    const oracle = (v.oracle as string | undefined) ?? "sentence";
    const results = await runLoop({
      rounds: int("rounds", 3, 1),
      prompts: int("prompts", 200, 2),
      k: int("k", 4, 2),
      trainer: trainer as "dpo" | "rloo" | "both",
      oracle,
      model: (v.model as string | undefined) ?? "house",
      evalQuestions: int("eval", 200, 10),
      ...(v.threads === undefined ? {} : { threads: int("threads", 2, 1) }),
      hp: {
        rmLr: float("rm-lr", DEFAULT_HP.rmLr),
        rmEpochs: int("rm-epochs", DEFAULT_HP.rmEpochs, 1),
        dpoLr: float("dpo-lr", DEFAULT_HP.dpoLr),
        rlooLr: float("rloo-lr", DEFAULT_HP.rlooLr),
      },
      work: path.resolve((v.work as string | undefined) ?? path.join(os.tmpdir(), "prefloop-bench-loop")),
      log,
    });
    if (v.report)
      await writeLoopReport(path.resolve(v.report as string), {
        argv,
        preferredStyle: oracle === "terse" ? "terse" : "sentence",
        results,
        seconds: (Date.now() - started) / 1000,
        slug: `${trainer}-${path.basename(oracle).replace(/\.m?js$/, "")}`,
      });
    if (v.json)
      fs.writeFileSync(
        v.json as string,
        `${JSON.stringify({ argv, date: new Date().toISOString(), cpus: os.cpus().length, cpu: os.cpus()[0]?.model, results }, null, 2)}\n`,
      );
    return 0;
  } catch (e) {
    log(`error: ${e instanceof Error ? (process.env.DEBUG ? e.stack : e.message) : String(e)}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  process.exitCode = await runBenchLoopCli(process.argv.slice(2), (t) => console.log(t));
