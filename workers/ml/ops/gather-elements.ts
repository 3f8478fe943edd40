// GatherElements: out[i][j] = data[index[i][j]][j] along one axis (ONNX GatherElements-13); gradient in gather-elements.grad.ts.
// Shapes: data and indices share rank; the output has the indices' shape.
import { dimsToString, type GraphBuilder, type Value } from "../ir";
import { attr } from "./attrs";
import { ALL, checkDType, INDEX, normAxis } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface GatherElementsAttrs {
  axis: number;
}

export const GatherElements = defineOp<GatherElementsAttrs>({
  opType: "GatherElements",
  domain: "",
  inputs: [{ name: "data" }, { name: "indices" }],
  attrs: { axis: attr.int(0) },
  infer(a) {
    const x = inputAt(a, 0);
    const idx = inputAt(a, 1);
    checkDType(a, x, ALL, "data");
    checkDType(a, idx, INDEX, "indices");
    if (x.type.shape.length === 0 || x.type.shape.length !== idx.type.shape.length)
      a.fail(
        `data ${dimsToString(x.type.shape)} and indices ${dimsToString(idx.type.shape)} must have the same rank >= 1`,
      );
    normAxis(a, a.attrs.axis, x.type.shape.length);
    return [{ type: { dtype: x.type.dtype, shape: idx.type.shape } }];
  },
});

export function gatherElements(
  b: GraphBuilder,
  data: Value,
  indices: Value,
  attrs?: Partial<GatherElementsAttrs>,
  opts?: NodeOptions,
): Value {
  return applyOp1(b, GatherElements, [data, indices], attrs, opts);
}
