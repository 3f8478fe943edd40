// Concrete tensors (dtype, static shape, typed-array data) and conversions from plain numbers; no math.
import { allocData, type DataByDType, type DType } from "./dtype";
import { at } from "./at";
import { bfloat16BitsToFloat, floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat } from "./half";

export interface Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: DataByDType[D];
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function tensor<D extends DType>(dtype: D, shape: readonly number[], data: DataByDType[D]): Tensor<D> {
  for (const d of shape)
    if (!Number.isInteger(d) || d < 0) throw new Error(`invalid tensor shape [${shape.join(", ")}]`);
  if (data.length !== numel(shape))
    throw new Error(`tensor data has ${data.length} elements, shape [${shape.join(", ")}] needs ${numel(shape)}`);
  return { dtype, shape: [...shape], data };
}

/** Builds a tensor from numbers, rounding them to the dtype (float16/bfloat16 to nearest even,
 *  integers must be integral, bool from non-zero). */
export function fromNumbers<D extends DType>(dtype: D, shape: readonly number[], values: ArrayLike<number>): Tensor<D> {
  const data = allocData(dtype, values.length);
  for (let i = 0; i < values.length; i++) setNumber(dtype, data, i, at(values, i));
  return tensor(dtype, shape, data);
}

export function setNumber(dtype: DType, data: DataByDType[DType], i: number, v: number): void {
  switch (dtype) {
    case "float16":
      data[i] = floatToHalfBits(v);
      return;
    case "bfloat16":
      data[i] = floatToBfloat16Bits(v);
      return;
    case "int64":
      // NOTE: 2^63 itself is a double but not an int64; BigInt64Array would silently wrap it to -2^63.
      if (!Number.isInteger(v) || Math.abs(v) >= 2 ** 63)
        throw new Error(`int64 value ${v} is not an integer in range`);
      (data as BigInt64Array)[i] = BigInt(v);
      return;
    case "bool":
      data[i] = v !== 0 ? 1 : 0;
      return;
    case "float32":
    case "float64":
      data[i] = v;
      return;
    case "int32":
    case "int8":
    case "uint8":
      if (!Number.isInteger(v)) throw new Error(`${dtype} value ${v} is not an integer`);
      data[i] = v;
      return;
  }
}

/** Element i as a number (int64 through Number: exact below 2^53). */
export function getNumber(t: Tensor, i: number): number {
  const v = at<number | bigint>(t.data, i);
  if (typeof v === "bigint") return Number(v);
  if (t.dtype === "float16") return halfBitsToFloat(v);
  if (t.dtype === "bfloat16") return bfloat16BitsToFloat(v);
  return v;
}

export function toNumbers(t: Tensor): number[] {
  const out = new Array<number>(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = getNumber(t, i);
  return out;
}

export function scalarTensor<D extends DType>(dtype: D, v: number): Tensor<D> {
  return fromNumbers(dtype, [], [v]);
}
