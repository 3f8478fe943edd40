// Op cases for the shape and layout ops (Reshape ... ConstantOfShape): constant and fed parameters, edges.
import { fromNumbers } from "../../ir";
import { feed, konst, Rng } from "../../testing";
import { cases, f32, i32, i64, type NamedCase } from "./case";

const r = new Rng(3);
const n = (shape: number[]) => r.tensor("float32", shape);
const ints = (values: number[]) => konst(i64([values.length], values));
const BIG = 2 ** 31 - 1;

export const LAYOUT_CASES: NamedCase[] = [
  ...cases("Reshape", [
    { name: "[2,3,4] -> [6,4]", inputs: [feed(n([2, 3, 4])), ints([6, 4])] },
    { name: "copy 0 and infer -1", inputs: [feed(n([2, 3, 4])), ints([0, -1])] },
    { name: "flatten -1", inputs: [feed(n([2, 3, 4])), ints([-1])] },
    { name: "symbolic split heads", inputs: [{ feed: n([2, 3, 8]), dims: ["batch", "seq", 8] }, ints([0, 0, 2, 4])] },
    { name: "allowzero=1", inputs: [feed(n([2, 3, 4])), ints([4, 6])], attrs: { allowzero: 1 } },
    { name: "fed shape (unknown dims)", inputs: [feed(n([2, 6])), feed(i64([3], [3, 2, 2]))] },
  ]),
  ...cases("Transpose", [
    { name: "default perm", inputs: [feed(n([2, 3, 4]))] },
    { name: "perm [0,2,1,3]", inputs: [feed(n([2, 3, 4, 5]))], attrs: { perm: [0, 2, 1, 3] } },
    { name: "symbolic", inputs: [{ feed: n([2, 3, 4]), dims: ["batch", "seq", 4] }], attrs: { perm: [1, 0, 2] } },
  ]),
  ...cases("Concat", [
    { name: "axis 1", inputs: [feed(n([2, 3])), feed(n([2, 4]))], attrs: { axis: 1 } },
    { name: "three, axis -1", inputs: [feed(n([2, 1])), feed(n([2, 2])), feed(n([2, 3]))], attrs: { axis: -1 } },
    {
      name: "kv cache past+seq",
      inputs: [
        { feed: n([1, 2, 3, 4]), dims: ["batch", 2, "past", 4] },
        { feed: n([1, 2, 1, 4]), dims: ["batch", 2, "seq", 4] },
      ],
      attrs: { axis: 2 },
    },
    { name: "empty past", inputs: [feed(n([1, 2, 0, 4])), feed(n([1, 2, 3, 4]))], attrs: { axis: 2 } },
    { name: "int64", inputs: [feed(i64([2], [1, 2])), feed(i64([1], [3]))], attrs: { axis: 0 } },
  ]),
  ...cases("Slice", [
    { name: "basic", inputs: [feed(n([4, 5])), ints([1, 0]), ints([3, 4])] },
    { name: "negative start, huge end", inputs: [feed(n([4, 5])), ints([-2]), ints([BIG]), ints([1])] },
    { name: "step 2", inputs: [feed(n([6, 3])), ints([0]), ints([6]), ints([0]), ints([2])] },
    { name: "reverse", inputs: [feed(n([5])), ints([-1]), ints([-BIG]), ints([0]), ints([-1])] },
    { name: "empty", inputs: [feed(n([4, 3])), ints([3]), ints([1]), ints([0])] },
    {
      name: "last token (symbolic)",
      inputs: [{ feed: n([2, 5, 3]), dims: ["batch", "seq", 3] }, ints([-1]), ints([BIG]), ints([1])],
    },
    {
      name: "int32 params",
      inputs: [feed(n([4, 5])), konst(i32([1], [1])), konst(i32([1], [3])), konst(i32([1], [1]))],
    },
    { name: "fed params", inputs: [feed(n([4, 5])), feed(i64([1], [1])), feed(i64([1], [3]))] },
  ]),
  ...cases("Split", [
    { name: "num_outputs 2", inputs: [feed(n([4, 6]))], attrs: { axis: 1, num_outputs: 2 } },
    { name: "num_outputs 3 of 7", inputs: [feed(n([7, 2]))], attrs: { num_outputs: 3 } },
    { name: "sizes [1,2,3]", inputs: [feed(n([2, 6])), ints([1, 2, 3])], attrs: { axis: -1 } },
  ]),
  ...cases("Unsqueeze", [
    { name: "axes [0]", inputs: [feed(n([3, 4])), ints([0])] },
    { name: "axes [-1]", inputs: [feed(n([3, 4])), ints([-1])] },
    { name: "axes [0,3]", inputs: [feed(n([3, 4])), ints([0, 3])] },
    { name: "scalar", inputs: [feed(f32([], [2])), ints([0])] },
  ]),
  ...cases("Squeeze", [
    { name: "all ones", inputs: [feed(n([1, 3, 1, 4]))] },
    { name: "axes [2]", inputs: [feed(n([1, 3, 1, 4])), ints([2])] },
    { name: "to scalar", inputs: [feed(n([1])), ints([0])] },
  ]),
  ...cases("Expand", [
    { name: "[3,1] -> [2,3,4]", inputs: [feed(n([3, 1])), ints([2, 3, 4])] },
    { name: "[4] -> [3,4]", inputs: [feed(n([4])), ints([3, 4])] },
    { name: "shorter shape", inputs: [feed(n([2, 1, 4])), ints([3, 1])] },
    { name: "fed shape", inputs: [feed(n([1, 3])), feed(i64([2], [2, 3]))] },
  ]),
  ...cases("Shape", [
    { name: "all", inputs: [feed(n([2, 3, 4]))] },
    { name: "start 1", inputs: [feed(n([2, 3, 4]))], attrs: { start: 1 } },
    { name: "end -1", inputs: [feed(n([2, 3, 4]))], attrs: { end: -1 } },
    { name: "symbolic", inputs: [{ feed: n([2, 3]), dims: ["batch", "seq"] }] },
  ]),
  ...cases("Range", [
    { name: "int64 0..10 by 3", inputs: [konst(i64([], [0])), konst(i64([], [10])), konst(i64([], [3]))] },
    { name: "negative delta", inputs: [konst(i64([], [10])), konst(i64([], [0])), konst(i64([], [-3]))] },
    { name: "empty", inputs: [konst(i64([], [5])), konst(i64([], [0])), konst(i64([], [1]))] },
    { name: "float32 fed", inputs: [feed(f32([], [1])), feed(f32([], [2])), feed(f32([], [0.25]))] },
    { name: "int64 fed", inputs: [feed(i64([], [-2])), feed(i64([], [7])), feed(i64([], [2]))] },
  ]),
  ...cases("ConstantOfShape", [
    { name: "default float32 zeros", inputs: [ints([2, 3])] },
    { name: "int64 value", inputs: [ints([4])], attrs: { value: fromNumbers("int64", [1], [7]) } },
    { name: "-inf value", inputs: [ints([2, 2])], attrs: { value: fromNumbers("float32", [1], [-Infinity]) } },
    { name: "fed shape", inputs: [feed(i64([2], [3, 1]))] },
  ]),
];
