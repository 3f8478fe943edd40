// Gather: takes slices of data along an axis at the given indices (ONNX Gather-13); gradient in gather.grad.ts.
// Shapes: data [..a, D, ..b], indices [..i] -> [..a, ..i, ..b].
import type { Dim, GraphBuilder, Value } from "../ir";
import { attr } from "./attrs";
import { ALL, checkDType, INDEX, knownInts, normAxis } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface GatherAttrs {
  axis: number;
}

export const Gather = defineOp<GatherAttrs>({
  opType: "Gather",
  domain: "",
  inputs: [{ name: "data" }, { name: "indices" }],
  attrs: { axis: attr.int(0) },
  infer(a) {
    const x = inputAt(a, 0);
    const idx = inputAt(a, 1);
    checkDType(a, x, ALL, "data");
    checkDType(a, idx, INDEX, "indices");
    const s = x.type.shape;
    if (s.length === 0) a.fail("data must have rank >= 1");
    const axis = normAxis(a, a.attrs.axis, s.length);
    const shape = [...s.slice(0, axis), ...idx.type.shape, ...s.slice(axis + 1)];
    return [{ type: { dtype: x.type.dtype, shape }, known: gatherKnown(x, idx) }];
  },
});

function gatherKnown(x: Value, idx: Value): Dim[] | undefined {
  const ids = knownInts(idx);
  if (!x.known || x.type.shape.length !== 1 || !ids) return undefined;
  const data = x.known;
  const out = ids.map((i) => data[i < 0 ? i + data.length : i]);
  return out.every((d) => d !== undefined) ? out : undefined;
}

export function gather(
  b: GraphBuilder,
  data: Value,
  indices: Value,
  attrs?: Partial<GatherAttrs>,
  opts?: NodeOptions,
): Value {
  return applyOp1(b, Gather, [data, indices], attrs, opts);
}
