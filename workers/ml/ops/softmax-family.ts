// Factory for Softmax and LogSoftmax (opset 13: one axis, default -1); not their numerics (reference/).
import { FLOATS, checkDType, normAxis } from "./infer-util";
import { attr } from "./attrs";
import { defineOp, inputAt, type OpSpec } from "./op";

export interface SoftmaxAttrs {
  axis: number;
}

export function softmaxOp(opType: "Softmax" | "LogSoftmax"): OpSpec<SoftmaxAttrs> {
  return defineOp<SoftmaxAttrs>({
    opType,
    domain: "",
    inputs: [{ name: "input" }],
    attrs: { axis: attr.int(-1) },
    infer(a) {
      const x = inputAt(a, 0);
      checkDType(a, x, FLOATS, "input");
      normAxis(a, a.attrs.axis, x.type.shape.length);
      return [{ type: x.type }];
    },
  });
}
