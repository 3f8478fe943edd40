// Checked element read for arrays and typed arrays under `noUncheckedIndexedAccess`; not a general utility belt.
// NOTE: the one way this package reads `arr[i]`: a bounds-checked read that throws instead of
// yielding undefined. V8 inlines it, so hot reference loops use it too; no scattered `!`.

export function at<T>(arr: ArrayLike<T>, i: number): T {
  const v = arr[i];
  if (v === undefined) throw new RangeError(`index ${i} out of bounds (length ${arr.length})`);
  return v;
}
