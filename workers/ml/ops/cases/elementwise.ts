// Op cases for the elementwise ops (unary, binary, variadic, Where): shapes, broadcasting, non-finite inputs.
import { feed, konst, Rng } from "../../testing";
import { bool, cases, f32, i64, type NamedCase } from "./case";

const r = new Rng(1);
const n = (shape: number[], std = 1) => r.tensor("float32", shape, { std });
const pos = (shape: number[]) =>
  f32(
    shape,
    r.normals(shape.reduce((a, b) => a * b, 1)).map((v) => Math.abs(v) + 0.1),
  );
const edge = f32([6], [NaN, Infinity, -Infinity, 0, -0, 1]);

const unary = (op: string, x: () => ReturnType<typeof n>, extra: NamedCase["inputs"][] = []): NamedCase[] =>
  cases(op, [
    { name: "[2,3]", inputs: [feed(x())] },
    { name: "[4,1,5] symbolic", inputs: [{ feed: n([4, 1, 5]), dims: ["batch", 1, "seq"] }] },
    ...extra.map((inputs, i) => ({ name: `edge ${i}`, inputs })),
  ]);

export const ELEMENTWISE_CASES: NamedCase[] = [
  ...unary("Neg", () => n([2, 3]), [[feed(edge)], [feed(i64([4], [-3, 0, 2, 7]))]]),
  ...unary("Sqrt", () => pos([2, 3]), [[feed(f32([5], [0, Infinity, NaN, -1, 1e-30]))]]),
  ...unary("Reciprocal", () => pos([2, 3]), [[feed(f32([5], [0, -0, Infinity, NaN, 1e-3]))]]),
  ...unary("Exp", () => n([2, 3]), [[feed(f32([5], [-Infinity, 88, -100, NaN, Infinity]))]]),
  ...unary("Log", () => pos([2, 3]), [[feed(f32([5], [0, -1, Infinity, NaN, 1e-30]))]]),
  ...unary("Tanh", () => n([2, 3], 3), [[feed(f32([5], [-Infinity, Infinity, 20, -20, NaN]))]]),
  ...unary("Sigmoid", () => n([2, 3], 3), [[feed(f32([6], [-100, 100, -Infinity, Infinity, NaN, 0]))]]),
  ...unary("Identity", () => n([2, 3]), [[feed(edge)], [feed(i64([3], [1, -2, 3]))], [feed(bool([2], [1, 0]))]]),
  ...cases("Not", [{ name: "bool", inputs: [feed(bool([2, 2], [1, 0, 0, 1]))] }]),
  ...["Add", "Sub", "Mul", "Div"].flatMap((op) =>
    cases(op, [
      { name: "same shape", inputs: [feed(n([3, 4])), feed(pos([3, 4]))] },
      { name: "broadcast [2,3,4] and [4]", inputs: [feed(n([2, 3, 4])), feed(pos([4]))] },
      { name: "broadcast [2,1,4] and [3,1]", inputs: [feed(n([2, 1, 4])), feed(pos([3, 1]))] },
      { name: "symbolic", inputs: [{ feed: n([2, 3]), dims: ["batch", 3] }, feed(pos([1, 3]))] },
      { name: "scalar constant", inputs: [feed(n([2, 3])), konst(f32([], [2.5]))] },
      {
        name: "non-finite",
        inputs: [feed(f32([4], [NaN, Infinity, Infinity, 1])), feed(f32([4], [1, Infinity, -Infinity, 0]))],
      },
      { name: "int64", inputs: [feed(i64([5], [7, -7, 7, -7, 0])), feed(i64([5], [2, 2, -2, -2, 3]))] },
    ]),
  ),
  ...cases("Pow", [
    { name: "float", inputs: [feed(pos([3, 4])), feed(n([3, 4]))] },
    { name: "square by scalar constant", inputs: [feed(n([2, 3])), konst(f32([], [2]))] },
    { name: "int64 exponent", inputs: [feed(n([2, 3])), konst(i64([3], [0, 1, 3]))] },
    { name: "edge", inputs: [feed(f32([5], [-8, 0, NaN, Infinity, -2])), feed(f32([5], [1 / 3, -1, 0, 0.5, 2]))] },
  ]),
  ...["Equal", "Less", "Greater"].flatMap((op) =>
    cases(op, [
      { name: "float broadcast", inputs: [feed(f32([2, 3], [1, 2, 3, 4, 5, NaN])), feed(f32([3], [1, 5, NaN]))] },
      { name: "int64", inputs: [feed(i64([4], [1, 2, 3, 4])), feed(i64([1], [3]))] },
    ]),
  ),
  ...cases("Equal", [{ name: "bool", inputs: [feed(bool([4], [1, 0, 1, 0])), feed(bool([4], [1, 1, 0, 0]))] }]),
  ...cases("And", [{ name: "broadcast", inputs: [feed(bool([2, 2], [1, 0, 1, 1])), feed(bool([2], [1, 0]))] }]),
  ...["Max", "Min"].flatMap((op) =>
    cases(op, [
      { name: "one input", inputs: [feed(n([2, 3]))] },
      { name: "two broadcast", inputs: [feed(n([2, 3])), feed(n([3]))] },
      { name: "three", inputs: [feed(n([2, 1])), feed(n([1, 3])), feed(n([2, 3]))] },
      { name: "int64", inputs: [feed(i64([3], [1, -5, 3])), feed(i64([3], [0, 2, 3]))] },
      { name: "infinities", inputs: [feed(f32([3], [-Infinity, Infinity, 1])), feed(f32([3], [0, 0, -Infinity]))] },
    ]),
  ),
  ...cases("Where", [
    { name: "broadcast", inputs: [feed(bool([2, 1], [1, 0])), feed(n([2, 3])), feed(n([3]))] },
    { name: "mask with -inf", inputs: [feed(bool([4], [1, 0, 1, 0])), feed(n([4])), konst(f32([], [-Infinity]))] },
    { name: "int64", inputs: [feed(bool([3], [0, 1, 0])), feed(i64([3], [1, 2, 3])), feed(i64([3], [-1, -2, -3]))] },
  ]),
];
