// Cast: converts element type (ONNX Cast-13: float->int truncates toward zero, to bool is x != 0); no saturate
// attribute before opset 19. Gradient in cast.grad.ts.
import type { DType, GraphBuilder, Value } from "../ir";
import { attr } from "./attrs";
import { ALL, checkDType, INTS } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface CastAttrs {
  to: DType;
}

export const Cast = defineOp<CastAttrs>({
  opType: "Cast",
  domain: "",
  inputs: [{ name: "input" }],
  attrs: { to: attr.requiredDType() },
  infer(a) {
    const x = inputAt(a, 0);
    checkDType(a, x, ALL, "input");
    const keepsKnown = INTS.includes(x.type.dtype) && INTS.includes(a.attrs.to);
    return [{ type: { dtype: a.attrs.to, shape: x.type.shape }, known: keepsKnown ? x.known : undefined }];
  },
});

export function cast(b: GraphBuilder, x: Value, to: DType, opts?: NodeOptions): Value {
  return applyOp1(b, Cast, [x], { to }, opts);
}
