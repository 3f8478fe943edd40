// Reference MatMul (batch broadcasting, 1-D promotion) and Gemm in float64; tests only.
// Shapes: A [..., M, K] @ B [..., K, N] -> [..., M, N].
import { at, numel, type Node } from "../ir";
import { nodeAttrs, type GemmAttrs } from "../ops";
import { broadcastIndex, broadcastShape, broadcastTo } from "./broadcast";
import type { NdArray } from "./ndarray";
import { input, outDType, type RefOp } from "./ref-op";

function matmul(a: NdArray, b: NdArray, node: Node): NdArray {
  const sa = a.shape.length === 1 ? [1, ...a.shape] : [...a.shape];
  const sb = b.shape.length === 1 ? [...b.shape, 1] : [...b.shape];
  const [m, k] = sa.slice(-2) as [number, number];
  const n = at(sb, sb.length - 1);
  const ba = sa.slice(0, -2);
  const bb = sb.slice(0, -2);
  const batch = broadcastShape([ba, bb]);
  const ia = broadcastIndex({ dtype: a.dtype, shape: ba, data: new Float64Array(numel(ba)) }, batch);
  const ib = broadcastIndex({ dtype: b.dtype, shape: bb, data: new Float64Array(numel(bb)) }, batch);
  const out = new Float64Array(numel(batch) * m * n);
  for (let t = 0; t < numel(batch); t++) {
    const oa = at(ia, t) * m * k;
    const ob = at(ib, t) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += at(a.data, oa + i * k + p) * at(b.data, ob + p * n + j);
        out[t * m * n + i * n + j] = s;
      }
  }
  const shape = [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [n])];
  return { dtype: outDType(node), shape, data: out };
}

function transpose2(a: NdArray): NdArray {
  const [r, c] = a.shape as [number, number];
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[j * r + i] = at(a.data, i * c + j);
  return { dtype: a.dtype, shape: [c, r], data };
}

export const MATMUL: Readonly<Record<string, RefOp>> = {
  MatMul: (ins, node) => [matmul(input(ins, 0, node), input(ins, 1, node), node)],
  Gemm: (ins, node) => {
    const attrs = nodeAttrs<GemmAttrs>(node);
    const a = attrs.transA === 1 ? transpose2(input(ins, 0, node)) : input(ins, 0, node);
    const b = attrs.transB === 1 ? transpose2(input(ins, 1, node)) : input(ins, 1, node);
    const y = matmul(a, b, node);
    const c = ins[2] ? broadcastTo(ins[2], y.shape) : null;
    const data = y.data.map((v, i) => attrs.alpha * v + (c ? attrs.beta * at(c.data, i) : 0));
    return [{ ...y, data }];
  },
};
