// Gemm: alpha * op(A) @ op(B) + beta * C for 2-D A, B (ONNX Gemm-13); gradient in gemm.grad.ts.
// Shapes: op(A) [M, K], op(B) [K, N], C broadcastable to [M, N].
import { dimEq, dimsToString, type GraphBuilder, type Value } from "../ir";
import { attr } from "./attrs";
import { broadcastShapes, mergeDim, sameDType } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface GemmAttrs {
  alpha: number;
  beta: number;
  transA: number;
  transB: number;
}

export const Gemm = defineOp<GemmAttrs>({
  opType: "Gemm",
  domain: "",
  inputs: [{ name: "A" }, { name: "B" }, { name: "C", optional: true }],
  attrs: { alpha: attr.float(1), beta: attr.float(1), transA: attr.int(0, [0, 1]), transB: attr.int(0, [0, 1]) },
  infer(a) {
    const x = inputAt(a, 0);
    const y = inputAt(a, 1);
    const c = a.inputs[2] ?? null;
    const dtype = sameDType(a, c ? [x, y, c] : [x, y], ["float32", "float16", "bfloat16", "float64", "int32", "int64"]);
    if (x.type.shape.length !== 2 || y.type.shape.length !== 2)
      a.fail(`A and B must be 2-D, got ${dimsToString(x.type.shape)} and ${dimsToString(y.type.shape)}`);
    const [a0, a1] = x.type.shape as [never, never];
    const [b0, b1] = y.type.shape as [never, never];
    const [m, k1] = a.attrs.transA === 1 ? [a1, a0] : [a0, a1];
    const [k2, n] = a.attrs.transB === 1 ? [b1, b0] : [b0, b1];
    mergeDim(a, k1, k2, "inner dimensions");
    if (c) {
      const s = broadcastShapes(a, [[m, n], c.type.shape]);
      if (c.type.shape.length > 2 || !s.every((d, i) => dimEq(d, [m, n][i] ?? 0)))
        a.fail(`C ${dimsToString(c.type.shape)} does not broadcast to [M, N]`);
    }
    return [{ type: { dtype, shape: [m, n] } }];
  },
});

export function gemm(
  b: GraphBuilder,
  x: Value,
  y: Value,
  c?: Value | null,
  attrs?: Partial<GemmAttrs>,
  opts?: NodeOptions,
): Value {
  return applyOp1(b, Gemm, [x, y, c ?? null], attrs, opts);
}
