// Equal: numpy-broadcast elementwise equality test giving bool (ONNX Equal-13); no gradient (not differentiable).
import type { GraphBuilder, Value } from "../ir";
import { applyBinary, binaryOp } from "./binary";
import { ALL } from "./infer-util";
import type { NodeOptions } from "./op";

export const Equal = binaryOp("Equal", ALL, { out: "bool" });

export function equal(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyBinary(b, Equal, x, y, opts);
}
