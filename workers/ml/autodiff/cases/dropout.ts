// Gradient cases for Dropout in inference mode (a copy: the rule must pass dY through), including a fed
// training_mode that is false at run time (the Where(training_mode, 1 - ratio, 1) path) and training mode
// with ratio 0 (no drop). Training mode proper is random: dropout.test.ts checks it against onnxruntime.
import * as op from "../../ops";
import type { GradCase } from "../testing/grad-case";

export const DROPOUT_GRAD_CASES: GradCase[] = [
  {
    name: "Dropout: no training_mode, default ratio",
    inputs: { x: { shape: [2, 3] } },
    forward: (b, v) => op.dropout(b, v("x")).output,
  },
  {
    name: "Dropout: training_mode false constant, ratio 0.3, symbolic [batch, seq, 4]",
    inputs: { x: { shape: [2, 3, 4], dims: ["batch", "seq", 4] } },
    forward: (b, v) => op.dropout(b, v("x"), { ratio: 0.3, trainingMode: false }).output,
  },
  {
    name: "Dropout: fed training_mode (false at run time), mask read by the backward",
    inputs: { x: { shape: [3, 4] }, mode: { shape: [], dtype: "bool", values: [0] } },
    forward: (b, v) => op.dropout(b, v("x"), { ratio: 0.2, trainingMode: v("mode") }, { seed: 9 }).output,
  },
  {
    name: "Dropout: training mode with ratio 0 drops nothing",
    inputs: { x: { shape: [5] }, mode: { shape: [], dtype: "bool", values: [1] } },
    forward: (b, v) => op.dropout(b, v("x"), { ratio: 0, trainingMode: v("mode") }).output,
  },
  {
    name: "Dropout: inside a chain (tanh, then dropout, then a trained scale)",
    inputs: { x: { shape: [2, 5] }, s: { shape: [5] } },
    forward: (b, v) => op.mul(b, op.dropout(b, op.tanh(b, v("x")), { ratio: 0.1 }).output, v("s")),
  },
];
