// Squeeze: removes size-1 axes, all of them when axes is absent (ONNX Squeeze-13, axes as input); gradient in squeeze.grad.ts.
import { dimsToString, type GraphBuilder, type Value } from "../ir";
import { ALL, checkDType, knownInts, normAxis } from "./infer-util";
import { asOptionalInt64s, type IntsLike } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export const Squeeze = defineOp({
  opType: "Squeeze",
  domain: "",
  inputs: [{ name: "data" }, { name: "axes", optional: true }],
  attrs: {},
  infer(a) {
    const x = inputAt(a, 0);
    checkDType(a, x, ALL, "data");
    const s = x.type.shape;
    const axesValue = a.inputs[1] ?? null;
    let axes: number[];
    if (axesValue === null) {
      if (s.some((d) => typeof d !== "number")) a.fail(`axes are required for symbolic shape ${dimsToString(s)}`);
      axes = s.flatMap((d, i) => (d === 1 ? [i] : []));
    } else {
      checkDType(a, axesValue, ["int64"], "axes");
      const given = knownInts(axesValue) ?? a.fail("axes must be known at build time");
      axes = given.map((ax) => normAxis(a, ax, s.length, "axes"));
      for (const ax of axes)
        if (typeof s[ax] === "number" && s[ax] !== 1) a.fail(`axis ${ax} of ${dimsToString(s)} is not 1`);
    }
    const known = s.length === 1 && axes.length === 1 ? x.known : undefined;
    return [{ type: { dtype: x.type.dtype, shape: s.filter((_, i) => !axes.includes(i)) }, known }];
  },
});

export function squeeze(b: GraphBuilder, x: Value, axes?: IntsLike | null, opts?: NodeOptions): Value {
  return applyOp1(b, Squeeze, [x, asOptionalInt64s(b, axes)], {}, opts);
}
