// Trilu: keeps the upper (default) or lower triangle of the last two axes, shifted by diagonal k (ONNX Trilu-14).
// Gradient in trilu.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { attr } from "./attrs";
import { ALL, checkDType } from "./infer-util";
import { int64Scalar } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface TriluAttrs {
  upper: number;
}

export const Trilu = defineOp<TriluAttrs>({
  opType: "Trilu",
  domain: "",
  inputs: [{ name: "input" }, { name: "k", optional: true }],
  attrs: { upper: attr.int(1, [0, 1]) },
  infer(a) {
    const x = inputAt(a, 0);
    checkDType(a, x, ALL, "input");
    if (x.type.shape.length < 2) a.fail("input must have rank >= 2");
    const k = a.inputs[1] ?? null;
    if (k) {
      checkDType(a, k, ["int64"], "k");
      if (k.type.shape.length !== 0) a.fail("k must be a scalar (0-D)");
    }
    return [{ type: x.type }];
  },
});

export function trilu(
  b: GraphBuilder,
  x: Value,
  k?: Value | number | null,
  attrs?: Partial<TriluAttrs>,
  opts?: NodeOptions,
): Value {
  const kv = typeof k === "number" ? int64Scalar(b, k) : (k ?? null);
  return applyOp1(b, Trilu, [x, kv], attrs, opts);
}
