// And: numpy-broadcast elementwise logical and of bool tensors (ONNX And-7); not differentiable.
import type { GraphBuilder, Value } from "../ir";
import { applyBinary, binaryOp } from "./binary";
import type { NodeOptions } from "./op";

export const And = binaryOp("And", ["bool"]);

export function and(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyBinary(b, And, x, y, opts);
}
