// The decoding loop: batched, left-padded generation of n candidates per prompt through the KV cache.
// Token choice is sampleNext (processors in HF's order, greedy at temperature 0); stopping is StopChecker.
//
// Each distinct prompt is prefilled once; its KV cache and last logits are then repeated for its n candidates
// (the same numbers as a batch holding the prompt n times). Candidate j of prompt p draws from
// createRng(seed).fork(p).fork(j), so a run repeats exactly and a candidate's random stream does not depend
// on n, on the other prompts or on when its neighbours finish. Finished candidates leave the batch.
import { tensor, type Tensor } from "../ir";
import type { CausalLM } from "../model/causal-lm";
import { leftPadBatch, type TTextBatch } from "../model/text-batch";
import { CandidateState, type TCandidate, type TTokenEvent } from "./candidate";
import { cacheLength, repeatRowIndices, takeCacheRows, takeRows, type TKvCache } from "./kv-cache";
import { preparePrompts } from "./prompts";
import { createRng } from "./rng";
import { parseSamplingParams, type TSamplingParams } from "./sampling-params";

export interface TGenerateOptions {
  /** Token ids, or text encoded with the model's tokenizer (special tokens added, e.g. BOS). */
  readonly prompts: readonly (readonly number[])[] | readonly string[];
  /** Candidates per prompt (default 1). */
  readonly n?: number;
  readonly maxNewTokens: number;
  /** Sampling parameters (defaults: DEFAULT_SAMPLING_PARAMS; temperature 0 is greedy). */
  readonly params?: Partial<TSamplingParams>;
  /** Seed of the random streams (default 0). */
  readonly seed?: number;
  /** Stop when the generated text contains one of these (needs a tokenizer). */
  readonly stopStrings?: readonly string[];
  /** Do not stop on EOS ids (config.json's and the tokenizer's). */
  readonly ignoreEos?: boolean;
  /** Opt-in: drop a too-long prompt's first tokens to fit the context window (reported per prompt). */
  readonly truncatePrompt?: boolean;
  /** Called for every generated token of every candidate, in step order (streaming). */
  readonly onToken?: (event: TTokenEvent) => void;
}

export interface TGenerateStats {
  /** The prefill call (distinct prompts, one batch). */
  readonly prefillMs: number;
  /** Everything after it: token choice and the step-by-step decode calls. */
  readonly decodeMs: number;
  /** Prompt tokens prefilled (each distinct prompt once, pads not counted). */
  readonly promptTokens: number;
  /** Tokens generated over all candidates. */
  readonly newTokens: number;
  /** Decode calls after the prefill. */
  readonly decodeSteps: number;
}

export interface TGenerateResult {
  /** Prompt-major: prompt 0's n candidates, then prompt 1's... */
  readonly candidates: TCandidate[];
  /** The prompts' token ids as generated from (after truncation when asked for). */
  readonly promptTokenIds: number[][];
  /** Per prompt, tokens dropped by `truncatePrompt` (0 when it fitted). */
  readonly truncatedTokens: number[];
  readonly stats: TGenerateStats;
}

/** One step's input: the last token of every active row, the mask grown by one key, the next positions. */
function stepBatch(
  rows: readonly CandidateState[],
  padCounts: readonly number[],
  keys: number,
  positions: readonly number[],
): TTextBatch {
  const A = rows.length;
  const mask = new BigInt64Array(A * keys);
  rows.forEach((_, i) => mask.fill(1n, i * keys + (padCounts[i] ?? 0), (i + 1) * keys));
  return {
    inputIds: tensor(
      "int64",
      [A, 1],
      BigInt64Array.from(rows, (r) => BigInt(r.tokenIds.at(-1) ?? 0)),
    ),
    attentionMask: tensor("int64", [A, keys], mask),
    positionIds: tensor(
      "int64",
      [A, 1],
      BigInt64Array.from(positions, (p) => BigInt(p)),
    ),
  };
}

export async function generate(model: CausalLM, options: TGenerateOptions): Promise<TGenerateResult> {
  const n = options.n ?? 1;
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`generate: n must be an integer >= 1, got ${n}`);
  const params = parseSamplingParams(options.params);
  const c = model.config;
  const tok = model.tokenizer;
  if ((options.stopStrings?.length ?? 0) > 0 && !tok)
    throw new Error("generate: stop strings need a tokenizer (the model directory has no tokenizer.json)");
  const prepared = preparePrompts(options.prompts, tok, {
    maxPositionEmbeddings: c.maxPositionEmbeddings,
    maxNewTokens: options.maxNewTokens,
    vocabSize: c.vocabSize,
    truncatePrompt: options.truncatePrompt ?? false,
  });
  const eosTokenIds = options.ignoreEos ? [] : [...new Set([...c.eosTokenIds, ...(tok?.eosTokenIds ?? [])])];
  const stop = { eosTokenIds, stopStrings: options.stopStrings ?? [], maxNewTokens: options.maxNewTokens };
  const root = createRng(options.seed ?? 0);
  let rows = prepared.flatMap((p, i) =>
    Array.from({ length: n }, (_, j) => new CandidateState(i, j, p.tokenIds, root.fork(i).fork(j), tok, stop)),
  );
  const done: CandidateState[] = [];

  await model.session("decode-last"); // created outside the timings
  const started = performance.now();
  const promptLength = Math.max(...prepared.map((p) => p.tokenIds.length));
  const prefill = await model.decode(
    leftPadBatch(
      prepared.map((p) => p.tokenIds),
      c.padTokenId ?? 0,
    ),
    null,
    "last",
  );
  const prefillMs = performance.now() - started;

  const expand = repeatRowIndices(prepared.length, n);
  let logits: Tensor<"float32"> = n === 1 ? prefill.logits : takeRows(prefill.logits, expand); // [A, 1, V]
  let cache: TKvCache = n === 1 ? prefill.present : takeCacheRows(prefill.present, expand);
  let padCounts = rows.map((r) => promptLength - (prepared[r.prompt]?.tokenIds.length ?? 0));
  let decodeSteps = 0;
  const V = c.vocabSize;
  for (;;) {
    const events = rows.map((r, i) => r.step(logits.data.subarray(i * V, (i + 1) * V), params));
    if (options.onToken) for (const e of events) options.onToken(e);
    const keep = rows.flatMap((r, i) => (r.isFinished ? [] : [i]));
    done.push(...rows.filter((r) => r.isFinished));
    if (keep.length === 0) break;
    if (keep.length < rows.length) {
      rows = keep.map((i) => rows[i] as CandidateState);
      padCounts = keep.map((i) => padCounts[i] ?? 0);
      cache = takeCacheRows(cache, keep);
    }
    const positions = rows.map((r) => (prepared[r.prompt]?.tokenIds.length ?? 0) + r.tokenIds.length - 1);
    const step = await model.decode(stepBatch(rows, padCounts, cacheLength(cache) + 1, positions), cache, "last");
    decodeSteps++;
    logits = step.logits;
    cache = step.present;
  }
  const decodeMs = performance.now() - started - prefillMs;

  const candidates = done.map((r) => r.result()).sort((a, b) => a.prompt - b.prompt || a.candidate - b.candidate);
  return {
    candidates,
    promptTokenIds: prepared.map((p) => [...p.tokenIds]),
    truncatedTokens: prepared.map((p) => p.truncatedTokens),
    stats: {
      prefillMs,
      decodeMs,
      promptTokens: prepared.reduce((s, p) => s + p.tokenIds.length, 0),
      newTokens: candidates.reduce((s, x) => s + x.tokenIds.length, 0),
      decodeSteps,
    },
  };
}
