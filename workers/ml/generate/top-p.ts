// Top-p (nucleus) filtering by Hugging Face's rule on one row, IN PLACE. Not the other processors.
//
// HF TopPLogitsWarper: sort ascending, cumulative softmax, remove every token whose cumulative probability is
// <= 1 - top_p, always keep the last (most likely) one. Ties are ordered deterministically here (torch's sort
// is not stable): among equal logits the higher token id counts as smaller, so it is removed first and the
// kept token of a fully tied row is the lowest id, as torch.argmax picks.
// NOTE: probabilities and their running sum are float64; the `<=` decision compares float32-rounded values,
// as torch compares its float32 cumsum with float32(1 - top_p). So a cumulative mass equal to 1 - top_p in
// real arithmetic is removed, as in HF, instead of depending on the last bit of a float64 sum.
// Speed: rather than sorting V tokens, tokens are bucketed by logit (monotone, so bucket order is sort
// order); whole buckets below the crossing are removed, above it kept, and only the crossing bucket is sorted.
// NOTE: the running sum then adds bucket subtotals of weights rather than single probabilities in HF's order;
// the sums differ by ~1e-16, which moves a decision only if the float32 rounding of a cumulative is a tie.
import { resum, rowWeights, scratch, type TRowWeights } from "./row-math";

const INDEX_BITS = 2 ** 21;
/** Largest vocabulary the packed sort key supports (32 value bits + 21 index bits = 53, exact in a double). */
export const TOP_P_MAX_VOCAB = INDEX_BITS;
const BUCKETS = 4096;
/** Nats below the max that buckets span; anything lower (p < e^-64) shares the last bucket. */
const SPAN_CAP = 64;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bucketMass = new Float64Array(BUCKETS + 1);
const NONE = 0xffff;
let indexBuffer = new Uint16Array(0);
function scratchIndex(n: number): Uint16Array {
  if (indexBuffer.length < n) indexBuffer = new Uint16Array(n);
  return indexBuffer;
}

/** A double whose numeric order is (value ascending, id descending); decoded by `idOf`. */
function sortKey(value: number, id: number): number {
  f32[0] = value === 0 ? 0 : value; // -0 and +0 tie, as they compare equal
  const bits = u32[0]!;
  const ordered = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0; // float order -> uint order
  return ordered * INDEX_BITS + (INDEX_BITS - 1 - id);
}
const idOf = (key: number): number => INDEX_BITS - 1 - (key % INDEX_BITS);

/** `weights` (of this row, see TRowWeights) is updated with the row; computed here when not given. */
export function applyTopP(row: Float32Array, topP: number, weights: TRowWeights = rowWeights(row)): void {
  const n = row.length;
  if (n > TOP_P_MAX_VOCAB) throw new RangeError(`top_p: vocabulary of ${n} exceeds ${TOP_P_MAX_VOCAB}`);
  const { w, max, total } = weights;
  const limit = Math.fround(1 - topP);
  let minFinite = max;
  for (let i = 0; i < n; i++) if (row[i]! < minFinite && row[i]! !== -Infinity) minFinite = row[i]!;
  const span = Math.min(max - minFinite, SPAN_CAP);
  const buckets = Math.min(BUCKETS, n); // a small row needs no more buckets than tokens
  const scale = span > 0 ? buckets / span : 0;

  // Bucket 0 holds the max; a token's bucket grows with its distance below the max, so bucket order is the
  // reverse of logit order (a weight-0 token is marked NONE: HF removes it, its cumulative adding nothing).
  const bucketOf = scratchIndex(n);
  bucketMass.fill(0, 0, buckets + 1);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    if (wi === 0) {
      bucketOf[i] = NONE;
      continue;
    }
    const d = (max - row[i]!) * scale;
    const b = d >= buckets ? buckets : d | 0;
    bucketOf[i] = b;
    bucketMass[b]! += wi;
  }
  // The crossing bucket: the first, in ascending logit order, whose tokens' cumulative can exceed the limit
  // (bucket 0, holding the max, when none does: then everything but the max goes).
  let crossing = 0;
  let below = 0;
  for (let b = buckets; b > 0; b--) {
    const mass = bucketMass[b]! / total;
    if (Math.fround(below + mass) > limit) {
      crossing = b;
      break;
    }
    below += mass;
  }

  const keys = scratch(2, n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i]!;
    if (b === crossing) keys[count++] = sortKey(row[i]!, i);
    else if (b > crossing) {
      row[i] = -Infinity; // NONE is above every bucket
      w[i] = 0;
    }
  }
  const sorted = keys.subarray(0, count).sort(); // native numeric sort, no comparator
  const removable = crossing === 0 ? count - 1 : count; // the max, last of bucket 0, always stays
  let cumulative = below;
  for (let j = 0; j < removable; j++) {
    const id = idOf(sorted[j]!);
    cumulative += w[id]! / total;
    if (Math.fround(cumulative) > limit) break; // cumulative only grows: the rest are kept
    row[id] = -Infinity;
    w[id] = 0;
  }
  resum(weights, n);
}
