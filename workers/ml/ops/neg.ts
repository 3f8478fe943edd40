// Neg: elementwise -x (ONNX Neg-13); gradient in neg.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { SIGNED } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { unaryOp } from "./unary";

export const Neg = unaryOp("Neg", SIGNED);

export function neg(b: GraphBuilder, x: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Neg, [x], {}, opts);
}
