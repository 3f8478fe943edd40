// Less: numpy-broadcast elementwise less-than test giving bool (ONNX Less-13); no gradient (not differentiable).
import type { GraphBuilder, Value } from "../ir";
import { applyBinary, binaryOp } from "./binary";
import { NUMERIC } from "./infer-util";
import type { NodeOptions } from "./op";

export const Less = binaryOp("Less", NUMERIC, { out: "bool" });

export function less(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyBinary(b, Less, x, y, opts);
}
