// Concat: joins tensors along one axis (ONNX Concat-13); concatenates known shape contents. Gradient in concat.grad.ts.
import { dimAdd, dimsToString, type Dim, type GraphBuilder, type Value } from "../ir";
import { attr } from "./attrs";
import { ALL, mergeDim, normAxis, sameDType } from "./infer-util";
import { applyOp1, defineOp, type NodeOptions } from "./op";

export interface ConcatAttrs {
  axis: number;
}

export const Concat = defineOp<ConcatAttrs>({
  opType: "Concat",
  domain: "",
  inputs: [{ name: "inputs", variadic: true }],
  attrs: { axis: attr.requiredInt() },
  infer(a) {
    const xs = a.inputs.filter((v) => v !== null);
    const dtype = sameDType(a, xs, ALL);
    const first = xs[0]?.type.shape ?? [];
    if (first.length === 0) a.fail("inputs must have rank >= 1");
    const axis = normAxis(a, a.attrs.axis, first.length);
    const shape: Dim[] = [...first];
    xs.slice(1).forEach((v) => {
      const s = v.type.shape;
      if (s.length !== first.length)
        a.fail(`all inputs must have rank ${first.length}; "${v.name}" is ${dimsToString(s)}`);
      s.forEach((d, i) => {
        const cur = shape[i] ?? 0;
        shape[i] = i === axis ? dimAdd(cur, d) : mergeDim(a, cur, d, `dim ${i} of "${v.name}"`);
      });
    });
    const isKnown = first.length === 1 && xs.every((v) => v.known !== undefined);
    return [{ type: { dtype, shape }, known: isKnown ? xs.flatMap((v) => v.known ?? []) : undefined }];
  },
});

export function concat(
  b: GraphBuilder,
  xs: readonly Value[],
  attrs: Partial<ConcatAttrs> & { axis: number },
  opts?: NodeOptions,
): Value {
  return applyOp1(b, Concat, xs, attrs, opts);
}
