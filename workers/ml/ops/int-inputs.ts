// Turns plain integer lists into int64 constant inputs (axes, shapes, starts); not attribute handling.
import { fromNumbers, type GraphBuilder, type Value } from "../ir";

/** An int64 input given as a graph value or as numbers (then a 1-D constant). */
export type IntsLike = Value | readonly number[];

export function int64s(b: GraphBuilder, values: readonly number[], name?: string): Value {
  return b.constant(fromNumbers("int64", [values.length], values), name);
}

export function int64Scalar(b: GraphBuilder, value: number, name?: string): Value {
  return b.constant(fromNumbers("int64", [], [value]), name);
}

export function asInt64s(b: GraphBuilder, x: IntsLike): Value {
  return Array.isArray(x) ? int64s(b, x as readonly number[]) : (x as Value);
}

export function asOptionalInt64s(b: GraphBuilder, x: IntsLike | undefined | null): Value | null {
  return x === undefined || x === null ? null : asInt64s(b, x);
}
