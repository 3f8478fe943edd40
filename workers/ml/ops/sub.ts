// Sub: numpy-broadcast elementwise difference (ONNX Sub-14); gradient in sub.grad.ts.
import { dimSub, type GraphBuilder, type Value } from "../ir";
import { applyBinary, binaryOp } from "./binary";
import { NUMERIC } from "./infer-util";
import type { NodeOptions } from "./op";

export const Sub = binaryOp("Sub", NUMERIC, { known: dimSub });

export function sub(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyBinary(b, Sub, x, y, opts);
}
