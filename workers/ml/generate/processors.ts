// Logits processors on one row (V) of float32 logits, IN PLACE, with Hugging Face's semantics; and their
// order. Not the draw (sample.ts), top-k (top-k.ts) or top-p (top-p.ts).
//
// NOTE: removed tokens are set to -Infinity (HF's filter_value); later processors and the draw treat them as
// probability 0. Arithmetic that HF does in float32 is reproduced bit for bit: a float32 value times or
// divided by fround(c), computed in float64 and rounded once on store, is the correctly rounded float32
// result (53 >= 2 * 24 + 2, so the double rounding is innocuous).
// NOTE: threshold decisions on probabilities compare float32-rounded values (Math.fround), as torch compares
// float32 tensors with a Python float cast to float32; the probabilities themselves are computed in float64.
import { resum, rowWeights, type TRowWeights } from "./row-math";
import type { TSamplingParams } from "./sampling-params";
import { applyTopK } from "./top-k";
import { applyTopP } from "./top-p";

/** HF RepetitionPenaltyLogitsProcessor: each distinct token in `previousTokens` once; x < 0 ? x*p : x/p. */
export function applyRepetitionPenalty(row: Float32Array, previousTokens: ArrayLike<number>, penalty: number): void {
  const p = Math.fround(penalty);
  const seen = new Set<number>();
  for (let j = 0; j < previousTokens.length; j++) {
    const t = previousTokens[j]!;
    if (!Number.isInteger(t) || t < 0 || t >= row.length) {
      throw new RangeError(`repetition penalty: previousTokens[${j}] = ${t} is not a token id in [0, ${row.length})`);
    }
    if (seen.has(t)) continue;
    seen.add(t);
    const x = row[t]!;
    row[t] = x < 0 ? x * p : x / p;
  }
}

/** HF TemperatureLogitsWarper: x / temperature (temperature > 0; 0 is greedy and never reaches here). */
export function applyTemperature(row: Float32Array, temperature: number): void {
  const t = Math.fround(temperature);
  for (let i = 0; i < row.length; i++) row[i] = row[i]! / t;
}

/** HF MinPLogitsWarper: remove p < min_p * p_max (strict); the most likely token always survives. */
export function applyMinP(row: Float32Array, minP: number, weights: TRowWeights = rowWeights(row)): void {
  const { w, total } = weights;
  const threshold = Math.fround(Math.fround(minP) * Math.fround(1 / total)); // p_max = w_max / total = 1 / total
  for (let i = 0; i < row.length; i++) {
    if (w[i]! > 0 && Math.fround(w[i]! / total) < threshold) {
      row[i] = -Infinity;
      w[i] = 0;
    }
  }
  resum(weights, row.length);
}

/**
 * The sampling processors in HF's order, each skipped when it is off exactly as `generate` skips it:
 * repetition penalty (!= 1), temperature (!= 1), top-k (!= 0), top-p (< 1), min-p (> 0). For temperature 0
 * (greedy) only the repetition penalty applies, as HF applies no warper when `do_sample=False`.
 * Returns the processed row's weights. `raw`, the weights of the row before processing, saves an exp pass
 * when no processor changes values; its buffer is reused and overwritten either way.
 */
export function applyProcessors(
  row: Float32Array,
  params: TSamplingParams,
  previousTokens: ArrayLike<number>,
  raw?: TRowWeights,
): TRowWeights {
  const isSampling = params.temperature !== 0;
  let isChanged = false;
  if (params.repetitionPenalty !== 1) {
    applyRepetitionPenalty(row, previousTokens, params.repetitionPenalty);
    isChanged = true;
  }
  if (isSampling && params.temperature !== 1) {
    applyTemperature(row, params.temperature);
    isChanged = true;
  }
  if (isSampling && params.topK !== 0) applyTopK(row, params.topK);
  const weights = isChanged || !raw ? rowWeights(row, raw?.w) : maskedWeights(row, raw);
  if (isSampling && params.topP < 1) applyTopP(row, params.topP, weights);
  if (isSampling && params.minP > 0) applyMinP(row, params.minP, weights);
  return weights;
}

/** The row's weights from those before filtering: values unchanged, removed tokens zeroed. */
function maskedWeights(row: Float32Array, raw: TRowWeights): TRowWeights {
  const weights = { w: raw.w, max: raw.max, total: raw.total };
  let isMasked = false;
  for (let i = 0; i < row.length; i++) {
    if (row[i]! === -Infinity && weights.w[i]! !== 0) {
      weights.w[i] = 0;
      isMasked = true;
    }
  }
  if (isMasked) resum(weights, row.length);
  return weights;
}
