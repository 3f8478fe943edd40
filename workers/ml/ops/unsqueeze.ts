// Unsqueeze: inserts size-1 axes at output positions `axes` (ONNX Unsqueeze-13, axes as input); gradient in unsqueeze.grad.ts.
import type { Dim, GraphBuilder, Value } from "../ir";
import { ALL, checkDType, knownInts, normAxis } from "./infer-util";
import { asInt64s, type IntsLike } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export const Unsqueeze = defineOp({
  opType: "Unsqueeze",
  domain: "",
  inputs: [{ name: "data" }, { name: "axes" }],
  attrs: {},
  infer(a) {
    const x = inputAt(a, 0);
    const axesValue = inputAt(a, 1);
    checkDType(a, x, ALL, "data");
    checkDType(a, axesValue, ["int64"], "axes");
    const axes = knownInts(axesValue);
    if (!axes) return a.fail("axes must be known at build time");
    const rank = x.type.shape.length + axes.length;
    const norm = axes.map((ax) => normAxis(a, ax, rank, "axes"));
    if (new Set(norm).size !== norm.length) a.fail(`axes [${axes.join(", ")}] repeat an axis`);
    const rest = [...x.type.shape];
    const shape: Dim[] = Array.from({ length: rank }, (_, i) => (norm.includes(i) ? 1 : (rest.shift() ?? 0)));
    const known = x.type.shape.length === 0 ? x.known : undefined;
    return [{ type: { dtype: x.type.dtype, shape }, known }];
  },
});

export function unsqueeze(b: GraphBuilder, x: Value, axes: IntsLike, opts?: NodeOptions): Value {
  return applyOp1(b, Unsqueeze, [x, asInt64s(b, axes)], {}, opts);
}
