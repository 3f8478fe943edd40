// Mul: numpy-broadcast elementwise product (ONNX Mul-14); gradient in mul.grad.ts.
import { dimMul, type GraphBuilder, type Value } from "../ir";
import { applyBinary, binaryOp } from "./binary";
import { NUMERIC } from "./infer-util";
import type { NodeOptions } from "./op";

export const Mul = binaryOp("Mul", NUMERIC, { known: dimMul });

export function mul(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyBinary(b, Mul, x, y, opts);
}
