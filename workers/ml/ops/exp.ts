// Exp: elementwise e ** x (ONNX Exp-13); gradient in exp.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { FLOATS } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { unaryOp } from "./unary";

export const Exp = unaryOp("Exp", FLOATS);

export function exp(b: GraphBuilder, x: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Exp, [x], {}, opts);
}
