// ReduceMax: maximum over axes (ONNX ReduceMax-18, axes as input; all axes when absent); gradient in reduce-max.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import type { IntsLike } from "./int-inputs";
import type { NodeOptions } from "./op";
import { applyReduce, reduceOp, type ReduceAttrs } from "./reduce-family";

export const ReduceMax = reduceOp("ReduceMax");

export function reduceMax(
  b: GraphBuilder,
  x: Value,
  axes?: IntsLike | null,
  attrs?: Partial<ReduceAttrs>,
  opts?: NodeOptions,
): Value {
  return applyReduce(b, ReduceMax, x, axes, attrs, opts);
}
