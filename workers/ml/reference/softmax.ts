// Reference Softmax and LogSoftmax along one axis in float64; tests only.
// NOTE: the row max is subtracted before exp (no overflow for large logits); a row that is all -inf
// gives NaN, as onnxruntime does (-inf - -inf).
import { at, numel } from "../ir";
import { nodeAttrs, type SoftmaxAttrs } from "../ops";
import { normAxis, type NdArray } from "./ndarray";
import { input, type RefOp } from "./ref-op";

function alongAxis(x: NdArray, axis: number, f: (row: number[]) => number[]): NdArray {
  const ax = normAxis(axis, x.shape.length);
  const d = at(x.shape, ax);
  const inner = numel(x.shape.slice(ax + 1));
  const outer = numel(x.shape.slice(0, ax));
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const base = o * d * inner + i;
      const row = Array.from({ length: d }, (_, k) => at(x.data, base + k * inner));
      f(row).forEach((v, k) => (out[base + k * inner] = v));
    }
  return { ...x, data: out };
}

function shifted(row: number[]): { z: number[]; logSum: number } {
  const max = Math.max(...row);
  const z = row.map((v) => v - max);
  return { z, logSum: Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) };
}

export const SOFTMAX: Readonly<Record<string, RefOp>> = {
  Softmax: (ins, node) => [
    alongAxis(input(ins, 0, node), nodeAttrs<SoftmaxAttrs>(node).axis, (row) => {
      const { z, logSum } = shifted(row);
      return z.map((v) => Math.exp(v - logSum));
    }),
  ],
  LogSoftmax: (ins, node) => [
    alongAxis(input(ins, 0, node), nodeAttrs<SoftmaxAttrs>(node).axis, (row) => {
      const { z, logSum } = shifted(row);
      return z.map((v) => v - logSum);
    }),
  ],
};
