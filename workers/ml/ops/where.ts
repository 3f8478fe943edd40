// Where: numpy-broadcast select, condition ? X : Y (ONNX Where-16); gradient in where.grad.ts.
import type { GraphBuilder, Value } from "../ir";
import { ALL, broadcastShapes, checkDType, sameDType } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export const Where = defineOp({
  opType: "Where",
  domain: "",
  inputs: [{ name: "condition" }, { name: "X" }, { name: "Y" }],
  attrs: {},
  infer(a) {
    const [c, x, y] = [inputAt(a, 0), inputAt(a, 1), inputAt(a, 2)];
    checkDType(a, c, ["bool"], "condition");
    const dtype = sameDType(a, [x, y], ALL);
    return [{ type: { dtype, shape: broadcastShapes(a, [c.type.shape, x.type.shape, y.type.shape]) } }];
  },
});

export function where(b: GraphBuilder, condition: Value, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyOp1(b, Where, [condition, x, y], {}, opts);
}
