// The float64 ndarray the reference implementations compute on (every dtype's values as doubles); tests only.
import { at, fromNumbers, getNumber, numel, type DType, type Tensor } from "../ir";

export interface NdArray {
  /** The dtype the value has in the graph; data holds its values as doubles (int64 exact below 2^53). */
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function nd(dtype: DType, shape: readonly number[], data: ArrayLike<number>): NdArray {
  if (data.length !== numel(shape))
    throw new Error(`ndarray data has ${data.length} elements, shape [${shape.join(", ")}] needs ${numel(shape)}`);
  return { dtype, shape: [...shape], data: Float64Array.from(data) };
}

export function fromTensor(t: Tensor): NdArray {
  const data = new Float64Array(t.data.length);
  for (let i = 0; i < data.length; i++) data[i] = getNumber(t, i);
  return { dtype: t.dtype, shape: [...t.shape], data };
}

/** Rounds to the dtype (float32, float16, bfloat16 to nearest even; integers must already be integral). */
export function toTensor(a: NdArray): Tensor {
  return fromNumbers(a.dtype, a.shape, a.data);
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = at(s, i + 1) * at(shape, i + 1);
  return s;
}

/** The multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1, r = flat; i >= 0; i--) {
    const d = at(shape, i);
    idx[i] = r % d;
    r = Math.floor(r / d);
  }
  return idx;
}

export function ravel(idx: readonly number[], st: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < idx.length; i++) f += at(idx, i) * at(st, i);
  return f;
}

/** Values of a rank-0/1 integer input (axes, shapes, starts). */
export function ints(a: NdArray): number[] {
  return Array.from(a.data);
}

export function normAxis(axis: number, rank: number): number {
  if (axis < -rank || axis >= rank) throw new Error(`reference: axis ${axis} out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}
