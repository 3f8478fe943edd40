// Pow: numpy-broadcast X ** Y, Y may have another numeric type (ONNX Pow-15); gradient in pow.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { broadcastShapes, checkDType, NUMERIC } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export const Pow = defineOp({
  opType: "Pow",
  domain: "",
  inputs: [{ name: "X" }, { name: "Y" }],
  attrs: {},
  infer(a) {
    const x = inputAt(a, 0);
    const y = inputAt(a, 1);
    const dtype = checkDType(a, x, ["float32", "float16", "bfloat16", "float64", "int32", "int64"], "X");
    checkDType(a, y, NUMERIC, "Y");
    return [{ type: { dtype, shape: broadcastShapes(a, [x.type.shape, y.type.shape]) } }];
  },
});

export function pow(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Pow, [x, y], {}, opts);
}
