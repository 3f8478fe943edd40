// MatMul: numpy matmul with batch broadcasting and 1-D promotion (ONNX MatMul-13); gradient in matmul.grad.ts.
// Shapes: A [..., M, K] @ B [..., K, N] -> [..., M, N].
import { dimsToString, type Dim, type GraphBuilder, type Value } from "../ir";
import { broadcastShapes, mergeDim, sameDType } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export const MatMul = defineOp({
  opType: "MatMul",
  domain: "",
  inputs: [{ name: "A" }, { name: "B" }],
  attrs: {},
  infer(a) {
    const x = inputAt(a, 0);
    const y = inputAt(a, 1);
    const dtype = sameDType(a, [x, y], ["float32", "float16", "bfloat16", "float64", "int32", "int64"]);
    if (x.type.shape.length === 0 || y.type.shape.length === 0) a.fail("inputs must have rank >= 1");
    const isVecA = x.type.shape.length === 1;
    const isVecB = y.type.shape.length === 1;
    const sa: Dim[] = isVecA ? [1, ...x.type.shape] : [...x.type.shape];
    const sb: Dim[] = isVecB ? [...y.type.shape, 1] : [...y.type.shape];
    const [m, k1] = sa.slice(-2) as [Dim, Dim];
    const [k2, n] = sb.slice(-2) as [Dim, Dim];
    mergeDim(a, k1, k2, `inner dimensions of ${dimsToString(x.type.shape)} @ ${dimsToString(y.type.shape)}`);
    const batch = broadcastShapes(a, [sa.slice(0, -2), sb.slice(0, -2)]);
    return [{ type: { dtype, shape: [...batch, ...(isVecA ? [] : [m]), ...(isVecB ? [] : [n])] } }];
  },
});

export function matMul(b: GraphBuilder, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyOp1(b, MatMul, [x, y], {}, opts);
}
