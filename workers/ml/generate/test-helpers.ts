// Helpers for this folder's tests only: building logits rows from probabilities and reading what survived.

/** Float32 logits whose softmax is `probs` (up to float32 rounding of the logarithms); 0 gives -Infinity. */
export const logitsOf = (probs: readonly number[]): Float32Array => Float32Array.from(probs, (p) => Math.log(p));

/** Token ids whose logit is not -Infinity, ascending. */
export function survivors(row: Float32Array): number[] {
  const ids: number[] = [];
  row.forEach((x, i) => {
    if (x !== -Infinity) ids.push(i);
  });
  return ids;
}

/** Float64 softmax of a row (for expectations). */
export function softmax(row: ArrayLike<number>): number[] {
  const xs = Array.from(row);
  const max = Math.max(...xs);
  const w = xs.map((x) => Math.exp(x - max));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}
