// ReduceMean: mean over axes (ONNX ReduceMean-18, axes as input; all axes when absent); gradient in reduce-mean.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import type { IntsLike } from "./int-inputs";
import type { NodeOptions } from "./op";
import { applyReduce, reduceOp, type ReduceAttrs } from "./reduce-family";

export const ReduceMean = reduceOp("ReduceMean");

export function reduceMean(
  b: GraphBuilder,
  x: Value,
  axes?: IntsLike | null,
  attrs?: Partial<ReduceAttrs>,
  opts?: NodeOptions,
): Value {
  return applyReduce(b, ReduceMean, x, axes, attrs, opts);
}
