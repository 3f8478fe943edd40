// ScatterElements: a copy of data with updates written (or added) at positions indices give along one axis
// (ONNX ScatterElements-18; reductions "none" and "add" only). Gathers' gradients scatter-add through it.
// Shapes: data [..], indices and updates one shape of the same rank -> data's shape.
import { dimsToString, type GraphBuilder, type Value } from "../ir";
import type { AttrSpec } from "./attrs";
import { attr } from "./attrs";
import { ALL, checkDType, INDEX, normAxis, sameDType } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface ScatterElementsAttrs {
  axis: number;
  reduction: "none" | "add";
}

const REDUCTION: AttrSpec<"string"> = { kind: "string", default: "none", allowed: ["none", "add"] };

export const ScatterElements = defineOp<ScatterElementsAttrs>({
  opType: "ScatterElements",
  domain: "",
  inputs: [{ name: "data" }, { name: "indices" }, { name: "updates" }],
  attrs: { axis: attr.int(0), reduction: REDUCTION },
  infer(a) {
    const [x, idx, upd] = [inputAt(a, 0), inputAt(a, 1), inputAt(a, 2)];
    sameDType(a, [x, upd], ALL);
    checkDType(a, idx, INDEX, "indices");
    const [rx, ri, ru] = [x.type.shape.length, idx.type.shape.length, upd.type.shape.length];
    if (rx === 0 || ri !== rx || ru !== rx)
      a.fail(
        `data ${dimsToString(x.type.shape)}, indices ${dimsToString(idx.type.shape)} and updates ${dimsToString(upd.type.shape)} must share one rank >= 1`,
      );
    normAxis(a, a.attrs.axis, rx);
    return [{ type: x.type }];
  },
});

export function scatterElements(
  b: GraphBuilder,
  data: Value,
  indices: Value,
  updates: Value,
  attrs?: Partial<ScatterElementsAttrs>,
  opts?: NodeOptions,
): Value {
  return applyOp1(b, ScatterElements, [data, indices, updates], attrs, opts);
}
