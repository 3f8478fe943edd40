// Not: elementwise logical not of bool (ONNX Not-1); not differentiable.
import type { GraphBuilder, Value } from "../ir";
import { applyOp1, type NodeOptions } from "./op";
import { unaryOp } from "./unary";

export const Not = unaryOp("Not", ["bool"]);

export function not(b: GraphBuilder, x: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Not, [x], {}, opts);
}
