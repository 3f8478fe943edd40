// Tanh: elementwise hyperbolic tangent (ONNX Tanh-13); gradient in tanh.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { FLOATS } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { unaryOp } from "./unary";

export const Tanh = unaryOp("Tanh", FLOATS);

export function tanh(b: GraphBuilder, x: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Tanh, [x], {}, opts);
}
