// Op cases for Gather, GatherElements, ScatterElements, CumSum, Trilu and Cast: negative and repeated indices,
// axes, rounding and casts.
import { feed, konst, Rng } from "../../testing";
import { bool, cases, f16, f32, f64, i32, i64, type NamedCase } from "./case";

const r = new Rng(4);
const n = (shape: number[]) => r.tensor("float32", shape);
const CAST_EDGE = f32([8], [-2.7, -0.5, 0, 0.5, 2.7, 100, -100, 3]);

export const INDEXING_CASES: NamedCase[] = [
  ...cases("Gather", [
    { name: "axis 0", inputs: [feed(n([5, 3])), feed(i64([2], [4, 0]))] },
    { name: "axis 1, 2-D indices", inputs: [feed(n([2, 5])), feed(i64([2, 2], [1, 4, 0, 2]))], attrs: { axis: 1 } },
    { name: "negative indices", inputs: [feed(n([5, 3])), feed(i64([3], [-1, -5, 2]))] },
    { name: "scalar index drops the axis", inputs: [feed(n([4, 3])), konst(i64([], [2]))], attrs: { axis: 0 } },
    { name: "int32 indices", inputs: [feed(n([5, 3])), feed(i32([2], [1, 3]))] },
    {
      name: "embedding lookup",
      inputs: [feed(n([10, 4])), { feed: i64([2, 3], [1, 9, 0, 3, 3, 7]), dims: ["batch", "seq"] }],
    },
  ]),
  ...cases("GatherElements", [
    { name: "axis 1", inputs: [feed(n([3, 4])), feed(i64([3, 2], [0, 3, 1, 1, 2, 0]))], attrs: { axis: 1 } },
    { name: "axis 0", inputs: [feed(n([3, 4])), feed(i64([1, 4], [2, 0, 1, 2]))] },
    {
      name: "negative, token log-probs",
      inputs: [feed(n([2, 3, 5])), feed(i64([2, 3, 1], [-1, 0, 4, 2, 2, -5]))],
      attrs: { axis: 2 },
    },
  ]),
  ...cases("ScatterElements", [
    { name: "none, axis 0", inputs: [feed(n([3, 4])), feed(i64([1, 4], [2, 0, 1, 2])), feed(n([1, 4]))] },
    {
      name: "none, axis 1, negative",
      inputs: [feed(n([2, 5])), feed(i64([2, 2], [4, -5, 1, 3])), feed(n([2, 2]))],
      attrs: { axis: 1 },
    },
    {
      name: "add, repeated indices",
      inputs: [feed(n([3, 4])), feed(i64([2, 4], [0, 2, 1, 0, 0, 1, 1, 2])), feed(n([2, 4]))],
      attrs: { reduction: "add" },
    },
    {
      name: "add, narrower indices, int32",
      inputs: [feed(n([3, 5])), feed(i32([2, 1], [4, 4])), feed(n([2, 1]))],
      attrs: { axis: 1, reduction: "add" },
    },
    {
      name: "add into zeros (an embedding gradient)",
      inputs: [feed(f32([4, 2], [0, 0, 0, 0, 0, 0, 0, 0])), feed(i64([3, 2], [1, 1, 3, 3, 1, 1])), feed(n([3, 2]))],
      attrs: { reduction: "add" },
    },
  ]),
  ...cases("CumSum", [
    { name: "axis 1", inputs: [feed(n([2, 4])), konst(i64([], [1]))] },
    { name: "exclusive", inputs: [feed(n([2, 4])), konst(i64([], [1]))], attrs: { exclusive: 1 } },
    { name: "reverse", inputs: [feed(n([3, 2])), konst(i64([], [0]))], attrs: { reverse: 1 } },
    { name: "exclusive reverse", inputs: [feed(n([5])), konst(i64([], [-1]))], attrs: { exclusive: 1, reverse: 1 } },
    { name: "int64 attention mask", inputs: [feed(i64([2, 4], [0, 0, 1, 1, 1, 1, 1, 1])), konst(i32([], [1]))] },
    { name: "fed axis", inputs: [feed(n([2, 3])), feed(i64([], [1]))] },
  ]),
  ...cases("Trilu", [
    { name: "upper", inputs: [feed(n([4, 5]))] },
    { name: "lower", inputs: [feed(n([4, 5]))], attrs: { upper: 0 } },
    { name: "upper k=1 (causal mask)", inputs: [feed(n([4, 4])), konst(i64([], [1]))] },
    { name: "lower k=-1 batched", inputs: [feed(n([2, 3, 4])), konst(i64([], [-1]))], attrs: { upper: 0 } },
    { name: "fed k", inputs: [feed(n([3, 3])), feed(i64([], [2]))] },
  ]),
  ...cases("Cast", [
    { name: "float32 -> int64 truncates", inputs: [feed(CAST_EDGE)], attrs: { to: "int64" } },
    { name: "float32 -> int32", inputs: [feed(CAST_EDGE)], attrs: { to: "int32" } },
    { name: "float32 -> bool", inputs: [feed(f32([4], [0, -0, 2, NaN]))], attrs: { to: "bool" } },
    { name: "bool -> float32", inputs: [feed(bool([3], [1, 0, 1]))], attrs: { to: "float32" } },
    { name: "int64 -> float32", inputs: [feed(i64([3], [-3, 0, 16777217]))], attrs: { to: "float32" } },
    {
      name: "float32 -> float16 rounds",
      inputs: [feed(f32([6], [1.0009765625, 65504, 70000, 1e-8, -2.5, NaN]))],
      attrs: { to: "float16" },
      tol: { atol: 0, rtol: 0 },
    },
    {
      name: "float16 -> float32",
      inputs: [feed(f16([4], [1.5, -65504, 6e-8, Infinity]))],
      attrs: { to: "float32" },
      tol: { atol: 0, rtol: 0 },
    },
    {
      name: "float64 -> float32",
      inputs: [feed(f64([3], [1 / 3, 1e40, -1e-50]))],
      attrs: { to: "float32" },
      tol: { atol: 0, rtol: 0 },
    },
    { name: "float32 -> float64", inputs: [feed(n([2, 2]))], attrs: { to: "float64" }, tol: { atol: 0, rtol: 0 } },
  ]),
];
