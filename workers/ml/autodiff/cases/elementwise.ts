// Gradient cases for the elementwise ops (arithmetic, unary math, Max/Min, Where, Cast): shapes,
// broadcasting both ways, symbolic dims, constant and trained operands.
import { fromNumbers } from "../../ir";
import * as op from "../../ops";
import type { GradCase } from "../testing/grad-case";

const BINARY = { Add: op.add, Sub: op.sub, Mul: op.mul, Div: op.div } as const;

const binaryCases = Object.entries(BINARY).flatMap(([name, f]): GradCase[] => {
  const isDiv = name === "Div";
  return [
    {
      name: `${name}: same shape`,
      inputs: { a: { shape: [3, 4] }, b: { shape: [3, 4], positive: isDiv } },
      forward: (b, v) => f(b, v("a"), v("b")),
    },
    {
      name: `${name}: broadcast [2,3,4] and [4]`,
      inputs: { a: { shape: [2, 3, 4] }, b: { shape: [4], positive: isDiv } },
      forward: (b, v) => f(b, v("a"), v("b")),
    },
    {
      name: `${name}: broadcast [2,1,4] and [3,1] both ways`,
      inputs: { a: { shape: [2, 1, 4] }, b: { shape: [3, 1], positive: isDiv } },
      forward: (b, v) => f(b, v("a"), v("b")),
    },
    {
      name: `${name}: scalar on the left`,
      inputs: { a: { shape: [], positive: true }, b: { shape: [2, 3], positive: isDiv } },
      forward: (b, v) => f(b, v("a"), v("b")),
    },
    {
      name: `${name}: symbolic [batch, seq, 4] and [4]`,
      inputs: { a: { shape: [2, 3, 4], dims: ["batch", "seq", 4] }, b: { shape: [4], positive: isDiv } },
      forward: (b, v) => f(b, v("a"), v("b")),
    },
    {
      name: `${name}: symbolic [batch, 1, seq] and [batch, 2, 1]`,
      inputs: {
        a: { shape: [2, 1, 3], dims: ["batch", 1, "seq"] },
        b: { shape: [2, 2, 1], dims: ["batch", 2, 1], positive: isDiv },
      },
      forward: (b, v) => f(b, v("a"), v("b")),
    },
    {
      name: `${name}: constant operand`,
      inputs: { a: { shape: [2, 3] }, b: { shape: [3], kind: "constant", positive: isDiv } },
      forward: (b, v) => f(b, v("a"), v("b")),
    },
  ];
});

const UNARY = {
  Neg: [op.neg, false],
  Sqrt: [op.sqrt, true],
  Reciprocal: [op.reciprocal, true],
  Exp: [op.exp, false],
  Log: [op.log, true],
  Tanh: [op.tanh, false],
  Sigmoid: [op.sigmoid, false],
  Identity: [op.identity, false],
} as const;

const unaryCases = Object.entries(UNARY).flatMap(([name, [f, positive]]): GradCase[] => [
  { name: `${name}: [2,3]`, inputs: { x: { shape: [2, 3], positive } }, forward: (b, v) => f(b, v("x")) },
  {
    name: `${name}: symbolic [batch, 1, seq]`,
    inputs: { x: { shape: [4, 1, 5], dims: ["batch", 1, "seq"], positive } },
    forward: (b, v) => f(b, v("x")),
  },
]);

export const ELEMENTWISE_GRAD_CASES: GradCase[] = [
  ...binaryCases,
  ...unaryCases,
  {
    name: "Sigmoid: large inputs",
    inputs: { x: { shape: [6], values: [-30, -8, -1, 1, 8, 30] } },
    forward: (b, v) => op.sigmoid(b, v("x")),
  },
  {
    name: "Pow: constant exponent 2 (RMSNorm's square)",
    inputs: { x: { shape: [2, 3] } },
    forward: (b, v, dt) => op.pow(b, v("x"), b.constant(fromNumbers(dt, [], [2]))),
  },
  {
    name: "Pow: constant exponent -0.5",
    inputs: { x: { shape: [2, 3], positive: true } },
    forward: (b, v, dt) => op.pow(b, v("x"), b.constant(fromNumbers(dt, [], [-0.5]))),
  },
  {
    name: "Pow: int64 exponent",
    inputs: { x: { shape: [2, 3] } },
    forward: (b, v) => op.pow(b, v("x"), op.int64s(b, [0, 1, 3])),
  },
  {
    name: "Pow: trained base and exponent, broadcast",
    inputs: { x: { shape: [3, 4], positive: true }, p: { shape: [4] } },
    forward: (b, v) => op.pow(b, v("x"), v("p")),
  },
  ...(["Max", "Min"] as const).flatMap((name): GradCase[] => {
    const f = name === "Max" ? op.max : op.min;
    return [
      { name: `${name}: one input`, inputs: { a: { shape: [2, 3] } }, forward: (b, v) => f(b, [v("a")]) },
      {
        name: `${name}: two, broadcast`,
        inputs: { a: { shape: [2, 3] }, b: { shape: [3] } },
        forward: (b, v) => f(b, [v("a"), v("b")]),
      },
      {
        name: `${name}: three, broadcast`,
        inputs: { a: { shape: [2, 1] }, b: { shape: [1, 3] }, c: { shape: [2, 3] } },
        forward: (b, v) => f(b, [v("a"), v("b"), v("c")]),
      },
    ];
  }),
  {
    name: "Where: broadcast branches, no gradient to the condition",
    inputs: { c: { shape: [2, 1], dtype: "bool", values: [1, 0] }, x: { shape: [2, 3] }, y: { shape: [3] } },
    forward: (b, v) => op.where(b, v("c"), v("x"), v("y")),
  },
  {
    name: "Where: mask from a comparison of trained values",
    inputs: { x: { shape: [3, 4] }, y: { shape: [3, 4] } },
    forward: (b, v) => op.where(b, op.greater(b, v("x"), v("y")), op.mul(b, v("x"), v("y")), v("y")),
  },
  {
    name: "Cast: float -> float64 -> float (real casts in the float32 graph, a no-op pair in the float64 one)",
    inputs: { x: { shape: [2, 3] } },
    forward: (b, v, dt) => op.cast(b, op.exp(b, op.cast(b, v("x"), "float64")), dt),
  },
  {
    name: "Cast: a float32 input read in float64 (the gradient is cast back to float32)",
    inputs: { x: { shape: [2, 3], dtype: "float32" } },
    forward: (b, v) => op.exp(b, op.cast(b, v("x"), "float64")),
  },
];
