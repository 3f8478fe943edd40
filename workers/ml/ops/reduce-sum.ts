// ReduceSum: sum over axes (ONNX ReduceSum-13, axes as input; all axes when absent); gradient in reduce-sum.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import type { IntsLike } from "./int-inputs";
import type { NodeOptions } from "./op";
import { applyReduce, reduceOp, type ReduceAttrs } from "./reduce-family";

export const ReduceSum = reduceOp("ReduceSum");

export function reduceSum(
  b: GraphBuilder,
  x: Value,
  axes?: IntsLike | null,
  attrs?: Partial<ReduceAttrs>,
  opts?: NodeOptions,
): Value {
  return applyReduce(b, ReduceSum, x, axes, attrs, opts);
}
