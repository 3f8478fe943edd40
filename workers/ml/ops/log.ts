// Log: elementwise natural logarithm (ONNX Log-13); gradient in log.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { FLOATS } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { unaryOp } from "./unary";

export const Log = unaryOp("Log", FLOATS);

export function log(b: GraphBuilder, x: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Log, [x], {}, opts);
}
