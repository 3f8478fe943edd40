// Factory for ReduceMean/ReduceSum/ReduceMax (opset 18: axes as an optional int64 input); not numerics.
import type { Dim, GraphBuilder, Value } from "../ir";
import { attr } from "./attrs";
import { checkDType, knownInts, normAxis, NUMERIC } from "./infer-util";
import { asOptionalInt64s, type IntsLike } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type NodeOptions, type OpSpec } from "./op";

export interface ReduceAttrs {
  keepdims: number;
  noop_with_empty_axes: number;
}

export function reduceOp(opType: "ReduceMean" | "ReduceSum" | "ReduceMax"): OpSpec<ReduceAttrs> {
  return defineOp<ReduceAttrs>({
    opType,
    domain: "",
    inputs: [{ name: "data" }, { name: "axes", optional: true }],
    attrs: { keepdims: attr.int(1, [0, 1]), noop_with_empty_axes: attr.int(0, [0, 1]) },
    infer(a) {
      const x = inputAt(a, 0);
      checkDType(a, x, NUMERIC, "data");
      const shape = x.type.shape;
      const axesValue = a.inputs[1] ?? null;
      if (axesValue) checkDType(a, axesValue, ["int64"], "axes");
      const given = axesValue ? knownInts(axesValue) : [];
      if (given === undefined) {
        if (a.attrs.keepdims === 0) a.fail("axes must be known at build time when keepdims=0");
        return [{ type: { dtype: x.type.dtype, shape: shape.map(() => a.fresh()) } }];
      }
      if (given.length === 0 && a.attrs.noop_with_empty_axes === 1) return [{ type: x.type }];
      const axes =
        given.length === 0 ? shape.map((_, i) => i) : given.map((ax) => normAxis(a, ax, shape.length, "axes"));
      if (new Set(axes).size !== axes.length) a.fail(`axes [${given.join(", ")}] repeat an axis`);
      const out: Dim[] = [];
      shape.forEach((d, i) => {
        if (!axes.includes(i)) out.push(d);
        else if (a.attrs.keepdims === 1) out.push(1);
      });
      return [{ type: { dtype: x.type.dtype, shape: out } }];
    },
  });
}

export function applyReduce(
  b: GraphBuilder,
  spec: OpSpec<ReduceAttrs>,
  x: Value,
  axes?: IntsLike | null,
  attrs?: Partial<ReduceAttrs>,
  opts?: NodeOptions,
): Value {
  return applyOp1(b, spec, [x, asOptionalInt64s(b, axes)], attrs, opts);
}
