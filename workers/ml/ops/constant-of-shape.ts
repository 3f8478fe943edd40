// ConstantOfShape: a tensor of a given shape filled with one value (ONNX ConstantOfShape-9; default float32 0).
// Not differentiable.
import { dimsToString, numel, type GraphBuilder, type Tensor, type Value } from "../ir";
import { attr } from "./attrs";
import { checkDType, staticLength } from "./infer-util";
import { asInt64s, type IntsLike } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface ConstantOfShapeAttrs {
  value: Tensor | undefined;
}

export const ConstantOfShape = defineOp<ConstantOfShapeAttrs>({
  opType: "ConstantOfShape",
  domain: "",
  inputs: [{ name: "input" }],
  attrs: { value: attr.tensor() },
  infer(a) {
    const shp = inputAt(a, 0);
    checkDType(a, shp, ["int64"], "input");
    const len = staticLength(a, shp, "input");
    const v = a.attrs.value;
    if (v && (numel(v.shape) !== 1 || v.shape.length > 1))
      a.fail(`value must hold one element, got shape ${dimsToString(v.shape)}`);
    if (shp.known?.some((d) => typeof d === "number" && d < 0))
      a.fail(`shape ${dimsToString(shp.known)} has a negative size`);
    const shape = shp.known ?? Array.from({ length: len }, () => a.fresh());
    return [{ type: { dtype: v?.dtype ?? "float32", shape } }];
  },
});

export function constantOfShape(
  b: GraphBuilder,
  shape: IntsLike,
  attrs?: Partial<ConstantOfShapeAttrs>,
  opts?: NodeOptions,
): Value {
  return applyOp1(b, ConstantOfShape, [asInt64s(b, shape)], attrs, opts);
}
