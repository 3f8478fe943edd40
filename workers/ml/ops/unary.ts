// Factory for elementwise unary ops (Exp, Neg, Not...); not their gradients.
import type { DType } from "../ir";
import { checkDType } from "./infer-util";
import { defineOp, inputAt, type OpSpec } from "./op";

export function unaryOp(opType: string, types: readonly DType[], passKnown = false): OpSpec {
  return defineOp({
    opType,
    domain: "",
    inputs: [{ name: "X" }],
    attrs: {},
    infer(a) {
      const x = inputAt(a, 0);
      checkDType(a, x, types, "X");
      return [{ type: x.type, known: passKnown ? x.known : undefined }];
    },
  });
}
