// Add: numpy-broadcast elementwise sum (ONNX Add-14); gradient in add.grad.ts.
import { dimAdd, type GraphBuilder, type Value } from "../ir";
import { applyBinary, binaryOp } from "./binary";
import { NUMERIC } from "./infer-util";
import type { NodeOptions } from "./op";

export const Add = binaryOp("Add", NUMERIC, { known: dimAdd });

export function add(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyBinary(b, Add, x, y, opts);
}
