// Transpose: permutes axes, reversing them when perm is absent (ONNX Transpose-13); gradient in transpose.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { attr } from "./attrs";
import { ALL, checkDType } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface TransposeAttrs {
  perm: readonly number[] | undefined;
}

export const Transpose = defineOp<TransposeAttrs>({
  opType: "Transpose",
  domain: "",
  inputs: [{ name: "data" }],
  attrs: { perm: attr.ints() },
  infer(a) {
    const x = inputAt(a, 0);
    checkDType(a, x, ALL, "data");
    const r = x.type.shape.length;
    const perm = a.attrs.perm ?? x.type.shape.map((_, i) => r - 1 - i);
    const isPerm = perm.length === r && [...perm].sort((p, q) => p - q).every((p, i) => p === i);
    if (!isPerm) a.fail(`perm [${perm.join(", ")}] is not a permutation of ${r} axes`);
    return [{ type: { dtype: x.type.dtype, shape: perm.map((p) => x.type.shape[p] ?? 0) } }];
  },
});

export function transpose(b: GraphBuilder, x: Value, attrs?: Partial<TransposeAttrs>, opts?: NodeOptions): Value {
  return applyOp1(b, Transpose, [x], attrs, opts);
}
