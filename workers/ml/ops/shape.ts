// Shape: the input's dims as an int64 vector, optionally a start:end window (ONNX Shape-15); its contents stay
// symbolic (known) so later Reshape/Expand infer exact shapes. Not differentiable.
import type { GraphBuilder, Value } from "../ir";
import { attr } from "./attrs";
import { ALL, checkDType } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface ShapeAttrs {
  start: number;
  end: number | undefined;
}

export const Shape = defineOp<ShapeAttrs>({
  opType: "Shape",
  domain: "",
  inputs: [{ name: "data" }],
  attrs: { start: attr.int(0), end: attr.int() },
  infer(a) {
    const x = inputAt(a, 0);
    checkDType(a, x, ALL, "data");
    const r = x.type.shape.length;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
    const dims = x.type.shape.slice(clamp(a.attrs.start), clamp(a.attrs.end ?? r));
    return [{ type: { dtype: "int64", shape: [dims.length] }, known: dims }];
  },
});

export function shape(b: GraphBuilder, x: Value, attrs?: Partial<ShapeAttrs>, opts?: NodeOptions): Value {
  return applyOp1(b, Shape, [x], attrs, opts);
}
