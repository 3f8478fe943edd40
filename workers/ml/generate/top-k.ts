// Top-k filtering by Hugging Face's rule on one row, IN PLACE, and the k-th largest value it needs.
// Not the other processors.

/** The k-th largest value of the row counting repeats (as torch.topk(row, k).values[k-1]), 1 <= k <= V. */
export function kthLargest(row: Float32Array, k: number): number {
  // A min-heap of the k largest values seen so far: O(V log k), usually O(V) as most values miss the root.
  const heap = row.slice(0, k);
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < k && heap[l]! < heap[m]!) m = l;
      if (r < k && heap[r]! < heap[m]!) m = r;
      if (m === i) return;
      const tmp = heap[i]!;
      heap[i] = heap[m]!;
      heap[m] = tmp;
      i = m;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let i = k; i < row.length; i++) {
    if (row[i]! > heap[0]!) {
      heap[0] = row[i]!;
      siftDown(0);
    }
  }
  return heap[0]!;
}

/** HF TopKLogitsWarper: remove x < (k-th largest); every token tied with the k-th largest survives. */
export function applyTopK(row: Float32Array, topK: number): void {
  const k = Math.min(Math.max(topK, 1), row.length);
  if (k === row.length) return;
  const kth = kthLargest(row, k);
  for (let i = 0; i < row.length; i++) if (row[i]! < kth) row[i] = -Infinity;
}
