// Shorthands for writing op test cases (typed tensors from numbers, named cases); test data, not tests.
import { fromNumbers, type DType, type Tensor } from "../../ir";
import type { OpCase } from "../../testing";

export interface NamedCase extends OpCase {
  readonly name: string;
}

const make =
  (dtype: DType) =>
  (shape: readonly number[], values: readonly number[]): Tensor =>
    fromNumbers(dtype, shape, values);

export const f32 = make("float32");
export const f64 = make("float64");
export const f16 = make("float16");
export const i64 = make("int64");
export const i32 = make("int32");
export const bool = make("bool");

export function cases(op: string, list: readonly Omit<NamedCase, "op">[]): NamedCase[] {
  return list.map((c) => ({ ...c, op, name: `${op}: ${c.name}` }));
}
