// Div: numpy-broadcast elementwise quotient (ONNX Div-14; integers truncate toward zero); gradient in div.grad.ts.
import { dimDivExact, type GraphBuilder, type Value } from "../ir";
import { applyBinary, binaryOp } from "./binary";
import { NUMERIC } from "./infer-util";
import type { NodeOptions } from "./op";

export const Div = binaryOp("Div", NUMERIC, { known: dimDivExact });

export function div(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyBinary(b, Div, x, y, opts);
}
