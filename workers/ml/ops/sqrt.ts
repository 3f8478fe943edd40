// Sqrt: elementwise square root (ONNX Sqrt-13); gradient in sqrt.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { FLOATS } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { unaryOp } from "./unary";

export const Sqrt = unaryOp("Sqrt", FLOATS);

export function sqrt(b: GraphBuilder, x: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Sqrt, [x], {}, opts);
}
