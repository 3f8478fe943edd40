// Max: numpy-broadcast elementwise maximum of one or more tensors (ONNX Max-13); gradient in variadic.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { NUMERIC } from "./infer-util";
import { applyOp1, type NodeOptions } from "./op";
import { variadicOp } from "./variadic";

export const Max = variadicOp("Max", NUMERIC);

export function max(b: GraphBuilder, xs: readonly Value[], opts?: NodeOptions): Value {
  return applyOp1(b, Max, xs, {}, opts);
}
