// Numerics on one row of logits (length V): checks, max, argmax, softmax weights, log-softmax. Not processors.
//
// Convention for typed arrays under `noUncheckedIndexedAccess`: inside a loop bounded by the array's length
// (or by indices taken from it), reads use `a[i]!`.

/** Throws unless the row is non-empty, has no NaN or +Infinity, and at least one finite entry. */
export function checkLogits(row: Float32Array, stage: string): void {
  if (row.length === 0) throw new RangeError(`${stage}: empty logits row`);
  let hasFinite = false;
  for (let i = 0; i < row.length; i++) {
    const x = row[i]!;
    if (Number.isNaN(x) || x === Infinity) {
      throw new RangeError(`${stage}: logits[${i}] is ${String(x)}; only finite values and -Infinity are allowed`);
    }
    if (x !== -Infinity) hasFinite = true;
  }
  if (!hasFinite) throw new RangeError(`${stage}: every logit is -Infinity, no token can be drawn`);
}

/** The largest entry (-Infinity for a row of -Infinity). */
export function rowMax(row: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i]! > max) max = row[i]!;
  return max;
}

/** Index of the largest entry, the first one on ties (as torch.argmax). */
export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/**
 * Softmax of a row as unnormalised weights: p_i = w[i] / total with w[i] = exp(row[i] - max). Filters keep it
 * in step with the row (a removed token gets w = 0 and total is re-summed), so one exp pass serves top-p,
 * min-p and the draw. The max token is never removed by a filter, so `max` stays valid.
 * NOTE: the row max is subtracted first so no term overflows and the largest weight is exactly 1; exp and the
 * sum are float64, so total is in [1, V] with ~1e-16 relative error. -Infinity gets weight 0 without an exp.
 */
export type TRowWeights = { readonly w: Float64Array; readonly max: number; total: number };

export function rowWeights(row: Float32Array, out: Float64Array = new Float64Array(row.length)): TRowWeights {
  const max = rowMax(row);
  let total = 0;
  for (let i = 0; i < row.length; i++) {
    const x = row[i]!;
    const w = x === -Infinity ? 0 : Math.exp(x - max);
    out[i] = w;
    total += w;
  }
  return { w: out, max, total };
}

/** Re-sums `total` after a filter zeroed some weights. */
export function resum(weights: TRowWeights, length: number): void {
  let total = 0;
  for (let i = 0; i < length; i++) total += weights.w[i]!;
  weights.total = total;
}

/** log_softmax(row)[index] for a row with at least one finite entry; -Infinity for a removed token. */
export function logSoftmaxAt(row: Float32Array, index: number): number {
  const { max, total } = rowWeights(row);
  return row[index]! - max - Math.log(total);
}

/** A reusable float64 buffer of at least n entries (sampling is synchronous, so one per slot suffices). */
const scratchBuffers: Float64Array[] = [];
export function scratch(slot: number, n: number): Float64Array {
  const have = scratchBuffers[slot];
  if (have && have.length >= n) return have.subarray(0, n);
  const made = new Float64Array(n);
  scratchBuffers[slot] = made;
  return made;
}

/**
 * Greedy's whole job in two passes and no buffer: checks the row (as `checkLogits`), finds the argmax
 * (first on ties) and log_softmax at it. NOTE: the exp sum is float64 after subtracting the max, as in
 * `rowWeights`, so the result equals `logSoftmaxAt(row, argmax(row))` bit for bit.
 */
export function greedyPick(row: Float32Array, stage: string): { token: number; logprob: number } {
  if (row.length === 0) throw new RangeError(`${stage}: empty logits row`);
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) {
    const x = row[i]!;
    if (Number.isNaN(x) || x === Infinity) {
      throw new RangeError(`${stage}: logits[${i}] is ${String(x)}; only finite values and -Infinity are allowed`);
    }
    if (x > max) {
      max = x;
      best = i;
    }
  }
  if (max === -Infinity) throw new RangeError(`${stage}: every logit is -Infinity, no token can be drawn`);
  let total = 0;
  for (let i = 0; i < row.length; i++) {
    const x = row[i]!;
    if (x !== -Infinity) total += Math.exp(x - max);
  }
  return { token: best, logprob: row[best]! - max - Math.log(total) };
}
