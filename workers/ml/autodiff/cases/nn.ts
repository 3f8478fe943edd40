// Gradient cases for MatMul, Gemm, Softmax, LogSoftmax, the reductions, CumSum and Trilu: batching and batch
// broadcasting, 1-D operands, axes, keepdims, symbolic dims.
import * as op from "../../ops";
import type { GradCase } from "../testing/grad-case";

const mm = (
  name: string,
  a: number[],
  bShape: number[],
  dims?: { a?: (string | number)[]; b?: (string | number)[] },
): GradCase => ({
  name: `MatMul: ${name}`,
  inputs: { a: { shape: a, dims: dims?.a }, b: { shape: bShape, dims: dims?.b } },
  forward: (b, v) => op.matMul(b, v("a"), v("b")),
});

const REDUCE = { ReduceSum: op.reduceSum, ReduceMean: op.reduceMean, ReduceMax: op.reduceMax } as const;

export const NN_GRAD_CASES: GradCase[] = [
  mm("[3,4]@[4,5]", [3, 4], [4, 5]),
  mm("batched [2,3,4]@[4,5] (2-D weight: one Gemm)", [2, 3, 4], [4, 5]),
  mm("batched both [2,3,4]@[2,4,5]", [2, 3, 4], [2, 4, 5]),
  mm("batch broadcast [2,1,3,4]@[5,4,6]", [2, 1, 3, 4], [5, 4, 6]),
  mm("2-D @ batched [3,4]@[2,4,5]", [3, 4], [2, 4, 5]),
  mm("symbolic [batch, seq, 8]@[8,4]", [2, 3, 8], [8, 4], { a: ["batch", "seq", 8] }),
  mm("symbolic attention [batch, 2, seq, 4]@[batch, 2, 4, seq]", [2, 2, 3, 4], [2, 2, 4, 3], {
    a: ["batch", 2, "seq", 4],
    b: ["batch", 2, 4, "seq"],
  }),
  mm("1-D @ 2-D", [4], [4, 3]),
  mm("2-D @ 1-D", [3, 4], [4]),
  mm("1-D @ 1-D", [5], [5]),
  mm("1-D @ batched", [4], [2, 4, 3]),
  mm("batched @ 1-D", [2, 3, 4], [4]),
  {
    name: "MatMul: a frozen weight (constant) under a trained input",
    inputs: { a: { shape: [2, 3, 4] }, w: { shape: [4, 5], kind: "constant" } },
    forward: (b, v) => op.matMul(b, v("a"), v("w")),
  },
  ...(
    [
      ["plain", [3, 4], [4, 5], [5], {}],
      ["transA transB, C [5]", [4, 3], [5, 4], [5], { transA: 1, transB: 1 }],
      ["transA, C [3,1]", [4, 3], [4, 5], [3, 1], { transA: 1, alpha: 0.5, beta: -2 }],
      ["transB, C [3,5]", [3, 4], [5, 4], [3, 5], { transB: 1, alpha: 2 }],
    ] satisfies [string, number[], number[], number[], Partial<op.GemmAttrs>][]
  ).map(([name, a, w, c, attrs]): GradCase => ({
    name: `Gemm: ${name}`,
    inputs: { a: { shape: a }, w: { shape: w }, c: { shape: c } },
    forward: (b, v) => op.gemm(b, v("a"), v("w"), v("c"), attrs),
  })),
  {
    name: "Gemm: no C",
    inputs: { a: { shape: [3, 4] }, w: { shape: [4, 2] } },
    forward: (b, v) => op.gemm(b, v("a"), v("w")),
  },
  ...(["Softmax", "LogSoftmax"] as const).flatMap((name): GradCase[] => {
    const f = name === "Softmax" ? op.softmax : op.logSoftmax;
    return [
      { name: `${name}: [2,5] default axis`, inputs: { x: { shape: [2, 5] } }, forward: (b, v) => f(b, v("x")) },
      {
        name: `${name}: [2,3,4] axis 1`,
        inputs: { x: { shape: [2, 3, 4] } },
        forward: (b, v) => f(b, v("x"), { axis: 1 }),
      },
      {
        name: `${name}: symbolic [batch, seq, 6]`,
        inputs: { x: { shape: [2, 3, 6], dims: ["batch", "seq", 6] } },
        forward: (b, v) => f(b, v("x")),
      },
      {
        name: `${name}: large logits`,
        inputs: { x: { shape: [2, 3], values: [1000, 1001, 1002, -1e4, 0, 3] } },
        forward: (b, v) => f(b, v("x")),
      },
    ];
  }),
  ...Object.entries(REDUCE).flatMap(([name, f]): GradCase[] => [
    { name: `${name}: axes [1] keepdims`, inputs: { x: { shape: [2, 3, 4] } }, forward: (b, v) => f(b, v("x"), [1]) },
    {
      name: `${name}: axes [-1] no keepdims`,
      inputs: { x: { shape: [2, 3, 4] } },
      forward: (b, v) => f(b, v("x"), [-1], { keepdims: 0 }),
    },
    {
      name: `${name}: axes [0, 2] no keepdims`,
      inputs: { x: { shape: [2, 3, 4] } },
      forward: (b, v) => f(b, v("x"), [0, 2], { keepdims: 0 }),
    },
    { name: `${name}: all axes`, inputs: { x: { shape: [2, 3] } }, forward: (b, v) => f(b, v("x")) },
    {
      name: `${name}: all axes no keepdims`,
      inputs: { x: { shape: [2, 3] } },
      forward: (b, v) => f(b, v("x"), null, { keepdims: 0 }),
    },
    {
      name: `${name}: noop with empty axes`,
      inputs: { x: { shape: [2, 3] } },
      forward: (b, v) => f(b, v("x"), [], { noop_with_empty_axes: 1 }),
    },
    {
      name: `${name}: symbolic, over seq`,
      inputs: { x: { shape: [2, 5, 3], dims: ["batch", "seq", 3] } },
      forward: (b, v) => f(b, v("x"), [1], { keepdims: 0 }),
    },
    {
      name: `${name}: symbolic, all axes`,
      inputs: { x: { shape: [2, 5], dims: ["batch", "seq"] } },
      forward: (b, v) => f(b, v("x"), null, { keepdims: 0 }),
    },
  ]),
  {
    name: "ReduceSum: axes computed at run time",
    inputs: { x: { shape: [2, 3, 4] }, axes: { shape: [1], dtype: "int64", values: [1] } },
    forward: (b, v) => op.reduceSum(b, v("x"), v("axes")),
  },
  {
    name: "ReduceMax: axes computed at run time",
    inputs: { x: { shape: [2, 3, 4] }, axes: { shape: [1], dtype: "int64", values: [-1] } },
    forward: (b, v) => op.reduceMax(b, v("x"), v("axes")),
  },
  ...(
    [
      ["axis 1", [2, 4], 1, {}],
      ["exclusive", [2, 4], 1, { exclusive: 1 }],
      ["reverse", [3, 2], 0, { reverse: 1 }],
      ["exclusive reverse", [5], -1, { exclusive: 1, reverse: 1 }],
    ] satisfies [string, number[], number, Partial<op.CumSumAttrs>][]
  ).map(([name, shape, axis, attrs]): GradCase => ({
    name: `CumSum: ${name}`,
    inputs: { x: { shape } },
    forward: (b, v) => op.cumSum(b, v("x"), axis, attrs),
  })),
  { name: "Trilu: upper", inputs: { x: { shape: [4, 5] } }, forward: (b, v) => op.trilu(b, v("x")) },
  {
    name: "Trilu: lower k=-1 batched",
    inputs: { x: { shape: [2, 3, 4] } },
    forward: (b, v) => op.trilu(b, v("x"), -1, { upper: 0 }),
  },
];
