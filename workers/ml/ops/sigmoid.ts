// Sigmoid: elementwise 1 / (1 + exp(-x)) (ONNX Sigmoid-13); gradient in sigmoid.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { FLOATS } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { unaryOp } from "./unary";

export const Sigmoid = unaryOp("Sigmoid", FLOATS);

export function sigmoid(b: GraphBuilder, x: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Sigmoid, [x], {}, opts);
}
