// CumSum: running sum along an axis given as a scalar input (ONNX CumSum-14); gradient in cum-sum.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { attr } from "./attrs";
import { checkDType, INDEX, knownInts, normAxis } from "./infer-util";
import { int64Scalar } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface CumSumAttrs {
  exclusive: number;
  reverse: number;
}

export const CumSum = defineOp<CumSumAttrs>({
  opType: "CumSum",
  domain: "",
  inputs: [{ name: "x" }, { name: "axis" }],
  attrs: { exclusive: attr.int(0, [0, 1]), reverse: attr.int(0, [0, 1]) },
  infer(a) {
    const x = inputAt(a, 0);
    const axis = inputAt(a, 1);
    checkDType(a, x, ["float32", "float16", "bfloat16", "float64", "int32", "int64"], "x");
    checkDType(a, axis, INDEX, "axis");
    if (axis.type.shape.length !== 0) a.fail("axis must be a scalar (0-D)");
    const [ax] = knownInts(axis) ?? [];
    if (ax !== undefined) normAxis(a, ax, x.type.shape.length);
    return [{ type: x.type }];
  },
});

export function cumSum(
  b: GraphBuilder,
  x: Value,
  axis: Value | number,
  attrs?: Partial<CumSumAttrs>,
  opts?: NodeOptions,
): Value {
  return applyOp1(b, CumSum, [x, typeof axis === "number" ? int64Scalar(b, axis) : axis], attrs, opts);
}
