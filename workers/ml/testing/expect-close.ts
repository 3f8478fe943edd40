// Tolerance check for numeric arrays: fails when |a - e| > atol + rtol * |e| anywhere, or when non-finite
// values differ in kind (NaN, +Inf, -Inf); not a vitest matcher (it throws, so it works in any test).
import { at, getNumber, type Tensor } from "../ir";
import type { NdArray } from "../reference";

export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

type Numeric = ArrayLike<number> | Tensor | NdArray;

function values(x: Numeric): { shape?: readonly number[]; get: (i: number) => number; length: number } {
  if ("shape" in x && "data" in x && "dtype" in x) {
    const t = x;
    const isNd = t.data instanceof Float64Array;
    return {
      shape: t.shape,
      length: t.data.length,
      get: (i) => (isNd ? at(t.data, i) : getNumber(t, i)),
    };
  }
  const arr = x;
  return { length: arr.length, get: (i) => at(arr, i) };
}

function kind(v: number): string {
  return Number.isNaN(v) ? "NaN" : v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : "finite";
}

export function expectClose(actual: Numeric, expected: Numeric, tol: Tolerance, label = "values"): void {
  const a = values(actual);
  const e = values(expected);
  if (a.shape && e.shape && a.shape.join(",") !== e.shape.join(","))
    throw new Error(`${label}: shape [${a.shape.join(", ")}] differs from expected [${e.shape.join(", ")}]`);
  if (a.length !== e.length) throw new Error(`${label}: ${a.length} elements, expected ${e.length}`);
  let worst = -1;
  let worstExcess = 0;
  let largest = 0;
  let failures = 0;
  let kindMismatch = -1;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a.get(i), e.get(i)];
    if (kind(x) !== "finite" || kind(y) !== "finite") {
      if (kind(x) !== kind(y)) {
        failures++;
        if (kindMismatch < 0) kindMismatch = i;
      }
      continue;
    }
    const diff = Math.abs(x - y);
    largest = Math.max(largest, diff);
    const excess = diff - (tol.atol + tol.rtol * Math.abs(y));
    if (excess > 0) {
      failures++;
      if (excess > worstExcess) [worst, worstExcess] = [i, excess];
    }
  }
  if (failures === 0) return;
  const where = (i: number) => (e.shape ? ` [${unravelText(i, e.shape)}]` : "");
  const i = kindMismatch >= 0 ? kindMismatch : worst;
  const head = kindMismatch >= 0 ? "non-finite mismatch" : "not close";
  throw new Error(
    `${label}: ${head}: ${failures} of ${a.length} elements fail (atol ${tol.atol}, rtol ${tol.rtol}); ` +
      `worst at index ${i}${where(i)}: actual ${a.get(i)}, expected ${e.get(i)}; largest finite difference ${largest}`,
  );
}

function unravelText(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let k = shape.length - 1, r = flat; k >= 0; k--) {
    const d = at(shape, k);
    idx.unshift(r % d);
    r = Math.floor(r / d);
  }
  return idx.join(", ");
}
