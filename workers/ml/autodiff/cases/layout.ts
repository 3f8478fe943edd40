// Gradient cases for the data-movement ops (Reshape, Transpose, Concat, Slice, Split, Unsqueeze, Squeeze,
// Expand): static and symbolic sizes, run-time parameters, unused outputs.
import { fromNumbers } from "../../ir";
import * as op from "../../ops";
import type { GradCase } from "../testing/grad-case";

const BIG = 2 ** 31 - 1;

const sliceCase = (name: string, shape: number[], p: op.SliceParams, dims?: (string | number)[]): GradCase => ({
  name: `Slice: ${name}`,
  inputs: { x: { shape, dims } },
  forward: (b, v) => op.slice(b, v("x"), p),
});

export const LAYOUT_GRAD_CASES: GradCase[] = [
  {
    name: "Reshape: [2,3,4] -> [6,4]",
    inputs: { x: { shape: [2, 3, 4] } },
    forward: (b, v) => op.reshape(b, v("x"), [6, 4]),
  },
  {
    name: "Reshape: symbolic split heads",
    inputs: { x: { shape: [2, 3, 8], dims: ["batch", "seq", 8] } },
    forward: (b, v) => op.reshape(b, v("x"), [0, 0, 2, 4]),
  },
  {
    name: "Reshape: fed shape (unknown dims)",
    inputs: { x: { shape: [2, 6] }, s: { shape: [3], dtype: "int64", values: [3, 2, 2] } },
    forward: (b, v) => op.reshape(b, v("x"), v("s")),
  },
  { name: "Transpose: default perm", inputs: { x: { shape: [2, 3, 4] } }, forward: (b, v) => op.transpose(b, v("x")) },
  {
    name: "Transpose: perm [0,2,3,1]",
    inputs: { x: { shape: [2, 3, 4, 5] } },
    forward: (b, v) => op.transpose(b, v("x"), { perm: [0, 2, 3, 1] }),
  },
  {
    name: "Concat: axis 1",
    inputs: { a: { shape: [2, 3] }, b: { shape: [2, 4] } },
    forward: (b, v) => op.concat(b, [v("a"), v("b")], { axis: 1 }),
  },
  {
    name: "Concat: three, one frozen, axis -1",
    inputs: { a: { shape: [2, 1] }, k: { shape: [2, 2], kind: "constant" }, c: { shape: [2, 3] } },
    forward: (b, v) => op.concat(b, [v("a"), v("k"), v("c")], { axis: -1 }),
  },
  {
    name: "Concat: kv cache past+seq",
    inputs: {
      past: { shape: [1, 2, 3, 4], dims: ["batch", 2, "past", 4] },
      cur: { shape: [1, 2, 2, 4], dims: ["batch", 2, "seq", 4] },
      z: { shape: [1, 2, 1, 4], dims: ["batch", 2, 1, 4] },
    },
    forward: (b, v) => op.concat(b, [v("past"), v("cur"), v("z")], { axis: 2 }),
  },
  {
    name: "Concat: the same value twice (fan-in)",
    inputs: { a: { shape: [2, 3] } },
    forward: (b, v) => op.concat(b, [v("a"), v("a")], { axis: 0 }),
  },
  sliceCase("basic", [4, 5], { starts: [1, 0], ends: [3, 4] }),
  sliceCase("negative start, huge end", [4, 5], { starts: [-2], ends: [BIG], axes: [1] }),
  sliceCase("step 2", [6, 3], { starts: [0], ends: [6], axes: [0], steps: [2] }),
  sliceCase("reverse", [5], { starts: [-1], ends: [-BIG], axes: [0], steps: [-1] }),
  sliceCase("empty", [4, 3], { starts: [3], ends: [1], axes: [0] }),
  sliceCase("last token (symbolic)", [2, 5, 3], { starts: [-1], ends: [BIG], axes: [1] }, ["batch", "seq", 3]),
  sliceCase("symbolic middle window", [2, 6, 3], { starts: [1], ends: [-1], axes: [1] }, ["batch", "seq", 3]),
  {
    name: "Slice: bounds fed at run time, out of range and negative",
    inputs: {
      x: { shape: [4, 5] },
      s: { shape: [2], dtype: "int64", values: [-3, -100] },
      e: { shape: [2], dtype: "int64", values: [100, 4] },
    },
    forward: (b, v) => op.slice(b, v("x"), { starts: v("s"), ends: v("e") }),
  },
  {
    name: "Slice: int32 bounds fed at run time",
    inputs: {
      x: { shape: [4, 5] },
      s: { shape: [1], dtype: "int32", values: [1] },
      e: { shape: [1], dtype: "int32", values: [3] },
    },
    forward: (b, v) =>
      op.slice(b, v("x"), { starts: v("s"), ends: v("e"), axes: b.constant(fromNumbers("int32", [1], [1])) }),
  },
  {
    name: "Split: num_outputs 2",
    inputs: { x: { shape: [4, 6] } },
    forward: (b, v) => op.split(b, v("x"), null, { axis: 1, num_outputs: 2 }),
  },
  {
    name: "Split: sizes [1,2,3]",
    inputs: { x: { shape: [2, 6] } },
    forward: (b, v) => op.split(b, v("x"), [1, 2, 3], { axis: -1 }),
  },
  {
    name: "Split: only the middle part reaches the loss",
    inputs: { x: { shape: [2, 6] } },
    forward: (b, v) => op.split(b, v("x"), [1, 2, 3], { axis: -1 })[1] ?? v("x"),
  },
  {
    name: "Split: symbolic rows, rotate_half",
    inputs: { x: { shape: [2, 3, 4], dims: ["batch", "seq", 4] } },
    forward: (b, v) => {
      const [x1, x2] = op.split(b, v("x"), [2, 2], { axis: -1 });
      return op.concat(b, [op.neg(b, x2 ?? v("x")), x1 ?? v("x")], { axis: -1 });
    },
  },
  {
    name: "Unsqueeze: axes [0,3]",
    inputs: { x: { shape: [3, 4] } },
    forward: (b, v) => op.unsqueeze(b, v("x"), [0, 3]),
  },
  { name: "Squeeze: all ones", inputs: { x: { shape: [1, 3, 1, 4] } }, forward: (b, v) => op.squeeze(b, v("x")) },
  {
    name: "Squeeze: symbolic",
    inputs: { x: { shape: [2, 1, 3], dims: ["batch", 1, "seq"] } },
    forward: (b, v) => op.squeeze(b, v("x"), [1]),
  },
  {
    name: "Expand: [3,1] -> [2,3,4]",
    inputs: { x: { shape: [3, 1] } },
    forward: (b, v) => op.expand(b, v("x"), [2, 3, 4]),
  },
  {
    name: "Expand: shorter shape",
    inputs: { x: { shape: [2, 1, 4] } },
    forward: (b, v) => op.expand(b, v("x"), [3, 1]),
  },
  {
    name: "Expand: to a symbolic shape",
    inputs: { x: { shape: [1, 4] }, y: { shape: [3, 4], dims: ["seq", 4] } },
    forward: (b, v) => op.mul(b, op.expand(b, v("x"), op.shape(b, v("y"))), v("y")),
  },
];
