// The KV cache between decode steps: per layer the graph's present.{l}.key|value [B, KV, S, D], fed back as
// past_key_values; rows can be repeated (n candidates share one prefill) or dropped (finished candidates).
// Not the graph side (model/attention.ts).
import { tensor, type Tensor } from "../ir";

export type TLayerKv = { readonly key: Tensor<"float32">; readonly value: Tensor<"float32"> };
export type TKvCache = readonly TLayerKv[];

function rowSize(t: Tensor): number {
  return t.shape.slice(1).reduce((a, b) => a * b, 1);
}

/** Rows `rows` of t (in that order; a row may appear several times) along the first axis. */
export function takeRows(t: Tensor<"float32">, rows: readonly number[]): Tensor<"float32"> {
  const size = rowSize(t);
  const batch = t.shape[0] ?? 0;
  const out = new Float32Array(rows.length * size);
  rows.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 0 || r >= batch) throw new RangeError(`row ${r} outside a batch of ${batch}`);
    out.set(t.data.subarray(r * size, (r + 1) * size), i * size);
  });
  return tensor("float32", [rows.length, ...t.shape.slice(1)], out);
}

/** Each row repeated `times` times in place: [a, b] -> [a, a, b, b] for times = 2. */
export function repeatRowIndices(batch: number, times: number): number[] {
  return Array.from({ length: batch * times }, (_, i) => Math.floor(i / times));
}

export function takeCacheRows(cache: TKvCache, rows: readonly number[]): TKvCache {
  return cache.map((kv) => ({ key: takeRows(kv.key, rows), value: takeRows(kv.value, rows) }));
}

/** Keys per row of the cache (S). */
export function cacheLength(cache: TKvCache): number {
  return cache[0]?.key.shape[2] ?? 0;
}
