// Expand: numpy-broadcasts a tensor to a shape (ONNX Expand-13); gradient in expand.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { ALL, broadcastShapes, checkDType, staticLength } from "./infer-util";
import { asInt64s, type IntsLike } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export const Expand = defineOp({
  opType: "Expand",
  domain: "",
  inputs: [{ name: "input" }, { name: "shape" }],
  attrs: {},
  infer(a) {
    const x = inputAt(a, 0);
    const shp = inputAt(a, 1);
    checkDType(a, x, ALL, "input");
    checkDType(a, shp, ["int64"], "shape");
    const len = staticLength(a, shp, "shape");
    const target = shp.known ?? Array.from({ length: len }, () => a.fresh());
    return [{ type: { dtype: x.type.dtype, shape: broadcastShapes(a, [x.type.shape, target]) } }];
  },
});

export function expand(b: GraphBuilder, x: Value, shape: IntsLike, opts?: NodeOptions): Value {
  return applyOp1(b, Expand, [x, asInt64s(b, shape)], {}, opts);
}
