// One engine measurement in its own process (so its peak memory is this row's): loadModel + generate,
// greedy, EOS ignored, a warm-up then `--runs` timed runs; prints one JSON object. bench-generate.ts runs it.
// Usage: tsx workers/ml/bench/engine-run.ts --model DIR --prompts FILE --threads N --new-tokens K --runs R
//        [--quantize none|q8|q4] [--accuracy-level 0|4]
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { CandidateState } from "../generate/candidate";
import { generate } from "../generate/generate";
import { at } from "../ir/at";
import { isQuantizeMode, loadModel } from "../model";
import { DEFAULT_ACCURACY_LEVEL } from "../model/quantize";
import { Session } from "../runtime";
import { median } from "./child-json";
import { peakRssBytes } from "./proc-memory";

/** Milliseconds spent inside the engine's onnxruntime calls and in token choice, accumulated while enabled. */
interface TProfile {
  ortMs: number;
  ortCalls: number;
  sampleMs: number;
}

/**
 * Times Session.run (onnxruntime, the feed/fetch conversion included) and CandidateState.step (sampling and
 * stop checks) by wrapping them in this process only; the engine's files are not changed.
 */
function instrument(): TProfile {
  const profile: TProfile = { ortMs: 0, ortCalls: 0, sampleMs: 0 };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the original is only re-applied with the right `this`
  const run = Session.prototype.run;
  Session.prototype.run = async function (this: Session, ...args: Parameters<Session["run"]>) {
    const t = performance.now();
    try {
      return await run.apply(this, args);
    } finally {
      profile.ortMs += performance.now() - t;
      profile.ortCalls++;
    }
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the original is only re-applied with the right `this`
  const step = CandidateState.prototype.step;
  CandidateState.prototype.step = function (this: CandidateState, ...args: Parameters<CandidateState["step"]>) {
    const t = performance.now();
    try {
      return step.apply(this, args);
    } finally {
      profile.sampleMs += performance.now() - t;
    }
  };
  return profile;
}

const ZPrompts = z.array(z.array(z.number().int().nonnegative()).min(1)).min(1);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      prompts: { type: "string" },
      threads: { type: "string" },
      "new-tokens": { type: "string" },
      runs: { type: "string" },
      quantize: { type: "string", default: "none" },
      "accuracy-level": { type: "string" },
    },
  });
  const mode = values.quantize ?? "none";
  const accuracyLevel = Number(values["accuracy-level"] ?? DEFAULT_ACCURACY_LEVEL);
  if (!isQuantizeMode(mode) || !(accuracyLevel === 0 || accuracyLevel === 1 || accuracyLevel === 4))
    throw new Error("--quantize must be none, q8 or q4 and --accuracy-level 0, 1 or 4");
  const threads = Number(values.threads);
  const newTokens = Number(values["new-tokens"] ?? 64);
  const runs = Number(values.runs ?? 3);
  if (!values.model || !values.prompts || !(threads >= 1) || !(newTokens >= 2) || !(runs >= 1)) {
    throw new Error(
      "usage: engine-run.ts --model DIR --prompts FILE --threads N (>= 1) [--new-tokens K (>= 2)] [--runs R]",
    );
  }
  const prompts = ZPrompts.parse(JSON.parse(fs.readFileSync(values.prompts, "utf8")));
  const profile = instrument();
  const t0 = performance.now();
  const model = loadModel(values.model, {
    session: { intraOpThreads: threads, interOpThreads: 1 },
    tokenizer: false,
    quantize: { mode, accuracyLevel },
  });
  await model.session("decode-last");
  const loadSeconds = (performance.now() - t0) / 1000;
  const memoryAfterLoad = process.memoryUsage();
  const options = {
    prompts,
    n: 1,
    maxNewTokens: newTokens,
    params: { temperature: 0 },
    seed: 0,
    ignoreEos: true,
  } as const;
  await generate(model, options); // warm-up: first-run allocations, thread pool start, kernel selection
  const timed = [];
  const profiles: (TProfile & { wallMs: number; decodeSteps: number })[] = [];
  for (let r = 0; r < runs; r++) {
    Object.assign(profile, { ortMs: 0, ortCalls: 0, sampleMs: 0 });
    const t = performance.now();
    const result = await generate(model, options);
    profiles.push({ ...profile, wallMs: performance.now() - t, decodeSteps: result.stats.decodeSteps });
    timed.push(result);
  }
  const last = timed.at(-1);
  if (!last) throw new Error("no timed run");
  const B = prompts.length;
  const prefillRuns = timed.map((x) => x.stats.promptTokens / (x.stats.prefillMs / 1000));
  // NOTE: decodeMs covers the decodeSteps (= newTokens - 1) step calls plus choosing every token; each
  // step call yields one token per row.
  const decodeRuns = timed.map((x) => (B * x.stats.decodeSteps) / (x.stats.decodeMs / 1000));
  // The profile shown is that of the run with the median decode speed.
  const midIndex =
    [...decodeRuns.keys()].sort((a, b) => at(decodeRuns, a) - at(decodeRuns, b))[Math.floor(runs / 2)] ?? 0;
  const mid = profiles[midIndex];
  await model.dispose();
  console.log(
    JSON.stringify({
      batch: B,
      promptTokens: prompts[0]?.length ?? 0,
      newTokens,
      loadSeconds,
      prefillTokPerS: median(prefillRuns),
      decodeTokPerS: median(decodeRuns),
      prefillRuns,
      decodeRuns,
      peakRssBytes: peakRssBytes(),
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, // every thread, onnxruntime's included
      tokens: [...last.candidates].sort((a, b) => a.prompt - b.prompt).map((c) => c.tokenIds),
      profile: mid && { ...mid, prefillMs: timed[midIndex]?.stats.prefillMs ?? NaN },
      memoryAfterLoad,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
