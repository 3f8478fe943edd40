// Min: numpy-broadcast elementwise minimum of one or more tensors (ONNX Min-13); gradient in variadic.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { NUMERIC } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { variadicOp } from "./variadic";

export const Min = variadicOp("Min", NUMERIC);

export function min(b: GraphBuilder, xs: readonly Value[], opts?: NodeOptions): Value {
  return applyOp1(b, Min, xs, {}, opts);
}
