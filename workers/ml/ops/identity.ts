// Identity: elementwise copy (passes known contents through) (ONNX Identity-16); gradient in identity.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { ALL } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { unaryOp } from "./unary";

export const Identity = unaryOp("Identity", ALL, true);

export function identity(b: GraphBuilder, x: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Identity, [x], {}, opts);
}
