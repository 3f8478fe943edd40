// Op cases for MatMul, Gemm, Softmax, LogSoftmax and the reductions: batching, axes, large and masked logits.
import { feed, konst, Rng } from "../../testing";
import { cases, f32, i64, type NamedCase } from "./case";

const r = new Rng(2);
const n = (shape: number[], std = 1) => r.tensor("float32", shape, { std });
const LOGITS = f32([2, 4], [1000, 1001, 1002, 999, -1e4, 0, 1e4, 5]);
const MASKED = f32([2, 4], [0, -Infinity, 1, -Infinity, -Infinity, 2, -Infinity, -Infinity]);
const ALL_MASKED = f32([1, 3], [-Infinity, -Infinity, -Infinity]);
const WITH_NAN = f32([2, 3], [1, NaN, 2, 3, 4, 5]);

export const NN_CASES: NamedCase[] = [
  ...cases("MatMul", [
    { name: "[3,4]@[4,5]", inputs: [feed(n([3, 4])), feed(n([4, 5]))] },
    { name: "batched [2,3,4]@[4,5]", inputs: [feed(n([2, 3, 4])), feed(n([4, 5]))] },
    { name: "batch broadcast [2,1,3,4]@[5,4,6]", inputs: [feed(n([2, 1, 3, 4])), feed(n([5, 4, 6]))] },
    { name: "symbolic batch, seq", inputs: [{ feed: n([2, 3, 8]), dims: ["batch", "seq", 8] }, feed(n([8, 4]))] },
    { name: "1-D @ 2-D", inputs: [feed(n([4])), feed(n([4, 3]))] },
    { name: "2-D @ 1-D", inputs: [feed(n([3, 4])), feed(n([4]))] },
    { name: "1-D @ 1-D", inputs: [feed(n([5])), feed(n([5]))] },
    { name: "K=256 accumulation", inputs: [feed(n([4, 256])), feed(n([256, 3]))], tol: { atol: 1e-5 } },
  ]),
  ...cases("Gemm", [
    { name: "plain", inputs: [feed(n([3, 4])), feed(n([4, 5]))] },
    {
      name: "transA transB, C [5]",
      inputs: [feed(n([4, 3])), feed(n([5, 4])), feed(n([5]))],
      attrs: { transA: 1, transB: 1 },
    },
    {
      name: "alpha beta, C [3,1]",
      inputs: [feed(n([3, 4])), feed(n([4, 5])), feed(n([3, 1]))],
      attrs: { alpha: 0.5, beta: -2 },
    },
  ]),
  ...["Softmax", "LogSoftmax"].flatMap((op) =>
    cases(op, [
      { name: "[2,5] default axis", inputs: [feed(n([2, 5], 3))] },
      { name: "[2,3,4] axis 1", inputs: [feed(n([2, 3, 4]))], attrs: { axis: 1 } },
      { name: "[2,3,4] axis 0", inputs: [feed(n([2, 3, 4]))], attrs: { axis: 0 } },
      { name: "large logits", inputs: [feed(LOGITS)] },
      { name: "-inf masks", inputs: [feed(MASKED)] },
      { name: "fully masked row gives NaN", inputs: [feed(ALL_MASKED)] },
      { name: "NaN propagates in its row", inputs: [feed(WITH_NAN)] },
    ]),
  ),
  ...["ReduceSum", "ReduceMean", "ReduceMax"].flatMap((op) =>
    cases(op, [
      { name: "axes [1] keepdims", inputs: [feed(n([2, 3, 4])), konst(i64([1], [1]))] },
      { name: "axes [-1] no keepdims", inputs: [feed(n([2, 3, 4])), konst(i64([1], [-1]))], attrs: { keepdims: 0 } },
      { name: "axes [0,2]", inputs: [feed(n([2, 3, 4])), konst(i64([2], [0, 2]))] },
      { name: "all axes", inputs: [feed(n([2, 3]))] },
      { name: "all axes no keepdims", inputs: [feed(n([2, 3]))], attrs: { keepdims: 0 } },
      {
        name: "noop with empty axes",
        inputs: [feed(n([2, 3])), konst(i64([0], []))],
        attrs: { noop_with_empty_axes: 1 },
      },
      { name: "symbolic", inputs: [{ feed: n([2, 5, 3]), dims: ["batch", "seq", 3] }, konst(i64([1], [-1]))] },
      { name: "int64", inputs: [feed(i64([2, 3], [1, 2, 3, -4, 5, 6])), konst(i64([1], [1]))] },
      { name: "infinities", inputs: [feed(f32([2, 2], [-Infinity, 1, Infinity, 2])), konst(i64([1], [1]))] },
    ]),
  ),
];
