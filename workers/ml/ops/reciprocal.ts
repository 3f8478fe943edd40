// Reciprocal: elementwise 1 / x (ONNX Reciprocal-13); gradient in reciprocal.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { FLOATS } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { unaryOp } from "./unary";

export const Reciprocal = unaryOp("Reciprocal", FLOATS);

export function reciprocal(b: GraphBuilder, x: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Reciprocal, [x], {}, opts);
}
