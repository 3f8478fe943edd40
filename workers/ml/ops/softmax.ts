// Softmax: exp(x - max) / sum along one axis (ONNX Softmax-13); gradient in softmax.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { applyOp1, type NodeOptions } from "./op";
import { softmaxOp, type SoftmaxAttrs } from "./softmax-family";

export const Softmax = softmaxOp("Softmax");

export function softmax(b: GraphBuilder, x: Value, attrs?: Partial<SoftmaxAttrs>, opts?: NodeOptions): Value {
  return applyOp1(b, Softmax, [x], attrs, opts);
}
