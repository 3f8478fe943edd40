// Gradient cases for Gather, GatherElements and ScatterElements (repeated and negative indices, embedding
// lookups, symbolic batches) and for the fused LogSoftmax + GatherElements rule (cross-entropy), on and off.
import * as op from "../../ops";
import type { GradCase } from "../testing/grad-case";
import type { GradOptions } from "../grad";

const ids = (shape: number[], values: number[], dims?: (string | number)[]) => ({
  shape,
  dims,
  dtype: "int64" as const,
  values,
});
const UNFUSED: GradOptions = { fused: [] };

/** Mean token cross-entropy of logits [B, T, V] against targets [B, T] (the pre-training loss). */
const crossEntropy = (options?: GradOptions): GradCase => ({
  name: `LogSoftmax + GatherElements: mean cross-entropy (${options ? "composed rules" : "fused rule"})`,
  inputs: {
    logits: { shape: [2, 3, 5], dims: ["batch", "seq", 5] },
    targets: ids([2, 3], [4, 0, 2, 2, 1, 4], ["batch", "seq"]),
  },
  forward: (b, v) => {
    const logp = op.logSoftmax(b, v("logits"), { axis: -1 }); // [B, T, V]
    const picked = op.gatherElements(b, logp, op.unsqueeze(b, v("targets"), [-1]), { axis: -1 }); // [B, T, 1]
    return op.neg(b, op.reduceMean(b, picked, null, { keepdims: 0 }));
  },
  options,
});

export const INDEXING_GRAD_CASES: GradCase[] = [
  {
    name: "Gather: axis 0 with a repeated index",
    inputs: { x: { shape: [5, 3] }, i: ids([3], [4, 0, 4]) },
    forward: (b, v) => op.gather(b, v("x"), v("i")),
  },
  {
    name: "Gather: axis 1, 2-D indices",
    inputs: { x: { shape: [2, 5] }, i: ids([2, 2], [1, 4, 1, 2]) },
    forward: (b, v) => op.gather(b, v("x"), v("i"), { axis: 1 }),
  },
  {
    name: "Gather: axis 1 of rank 3, negative indices",
    inputs: { x: { shape: [2, 4, 3] }, i: ids([3], [-1, 0, -1]) },
    forward: (b, v) => op.gather(b, v("x"), v("i"), { axis: 1 }),
  },
  {
    name: "Gather: scalar index drops the axis",
    inputs: { x: { shape: [4, 3] }, i: ids([], [2]) },
    forward: (b, v) => op.gather(b, v("x"), v("i")),
  },
  {
    name: "Gather: int32 indices",
    inputs: { x: { shape: [5, 3] }, i: { shape: [2], dtype: "int32", values: [1, 1] } },
    forward: (b, v) => op.gather(b, v("x"), v("i")),
  },
  {
    name: "Gather: embedding lookup, symbolic [batch, seq], trained table",
    inputs: { table: { shape: [10, 4], kind: "parameter" }, i: ids([2, 3], [1, 9, 0, 3, 3, 7], ["batch", "seq"]) },
    forward: (b, v) => op.gather(b, v("table"), v("i")),
  },
  {
    name: "GatherElements: axis 1",
    inputs: { x: { shape: [3, 4] }, i: ids([3, 2], [0, 3, 1, 1, 2, 0]) },
    forward: (b, v) => op.gatherElements(b, v("x"), v("i"), { axis: 1 }),
  },
  {
    name: "GatherElements: axis 0, repeated",
    inputs: { x: { shape: [3, 4] }, i: ids([2, 4], [2, 0, 1, 2, 2, 0, 1, 2]) },
    forward: (b, v) => op.gatherElements(b, v("x"), v("i")),
  },
  {
    name: "GatherElements: negative, token log-probs layout",
    inputs: { x: { shape: [2, 3, 5] }, i: ids([2, 3, 1], [-1, 0, 4, 2, 2, -5]) },
    forward: (b, v) => op.gatherElements(b, v("x"), v("i"), { axis: 2 }),
  },
  {
    name: "ScatterElements: add, repeated indices",
    inputs: { x: { shape: [3, 4] }, i: ids([2, 4], [0, 2, 1, 0, 0, 1, 1, 2]), u: { shape: [2, 4] } },
    forward: (b, v) => op.scatterElements(b, v("x"), v("i"), v("u"), { reduction: "add" }),
  },
  {
    name: "ScatterElements: none, distinct indices, axis 1, negative",
    inputs: { x: { shape: [2, 5] }, i: ids([2, 2], [4, -5, 1, 3]), u: { shape: [2, 2] } },
    forward: (b, v) => op.scatterElements(b, v("x"), v("i"), v("u"), { axis: 1 }),
  },
  crossEntropy(),
  crossEntropy(UNFUSED),
  {
    name: "LogSoftmax + GatherElements: log-probs also read elsewhere (fused and composed parts add up)",
    inputs: { logits: { shape: [2, 4] }, targets: ids([2, 1], [3, 1]) },
    forward: (b, v) => {
      const logp = op.logSoftmax(b, v("logits"));
      return [op.gatherElements(b, logp, v("targets"), { axis: 1 }), op.reduceMax(b, logp, [1])];
    },
  },
  {
    name: "LogSoftmax + GatherElements: indices narrower than the rows (not fused)",
    inputs: { logits: { shape: [3, 4] }, targets: ids([2, 1], [3, 1]) },
    forward: (b, v) => op.gatherElements(b, op.logSoftmax(b, v("logits")), v("targets"), { axis: 1 }),
  },
];
