// Greater: numpy-broadcast elementwise greater-than test giving bool (ONNX Greater-13); no gradient (not differentiable).
import type { GraphBuilder, Value } from "../ir";
import { applyBinary, binaryOp } from "./binary";
import { NUMERIC } from "./infer-util";
import type { NodeOptions } from "./op";

export const Greater = binaryOp("Greater", NUMERIC, { out: "bool" });

export function greater(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyBinary(b, Greater, x, y, opts);
}
