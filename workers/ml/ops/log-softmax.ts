// LogSoftmax: x - max - log(sum(exp(x - max))) along one axis (ONNX LogSoftmax-13); gradient in log-softmax.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { applyOp1, type NodeOptions } from "./op";
import { softmaxOp, type SoftmaxAttrs } from "./softmax-family";

export const LogSoftmax = softmaxOp("LogSoftmax");

export function logSoftmax(b: GraphBuilder, x: Value, attrs?: Partial<SoftmaxAttrs>, opts?: NodeOptions): Value {
  return applyOp1(b, LogSoftmax, [x], attrs, opts);
}
