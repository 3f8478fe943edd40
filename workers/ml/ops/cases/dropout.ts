// Op cases for Dropout in inference mode (training_mode absent or false, or ratio 0): a copy and an all-true
// mask, with and without the optional inputs. Training mode is random: ops/dropout.test.ts checks it.
import { feed, konst, Rng } from "../../testing";
import { bool, cases, f32, f64, type NamedCase } from "./case";

const r = new Rng(11);
const n = (shape: number[]) => r.tensor("float32", shape);

export const DROPOUT_CASES: NamedCase[] = cases("Dropout", [
  { name: "data only", inputs: [feed(n([2, 3, 4]))] },
  { name: "constant ratio 0.3", inputs: [feed(n([2, 3, 4])), konst(f32([], [0.3]))] },
  { name: "fed ratio 0.7", inputs: [feed(n([3, 5])), feed(f32([], [0.7]))] },
  { name: "training_mode false (fed)", inputs: [feed(n([2, 3, 4])), konst(f32([], [0.5])), feed(bool([], [0]))] },
  { name: "training_mode false without ratio", inputs: [feed(n([6])), null, konst(bool([], [0]))] },
  {
    name: "training mode with ratio 0 drops nothing",
    inputs: [feed(n([4, 5])), konst(f32([], [0])), feed(bool([], [1]))],
  },
  { name: "seed attribute, inference", inputs: [feed(n([2, 3]))], attrs: { seed: 7 } },
  {
    name: "symbolic [batch, seq, 4]",
    inputs: [{ feed: n([2, 3, 4]), dims: ["batch", "seq", 4] }, konst(f32([], [0.1]))],
  },
  { name: "float64 data, float32 ratio", inputs: [feed(f64([2, 2], [1.5, -2.25, 1e-300, 3])), konst(f32([], [0.2]))] },
  { name: "float32 data, float64 ratio", inputs: [feed(n([3])), konst(f64([], [0.2]))] },
  { name: "scalar data", inputs: [feed(f32([], [-1.25]))] },
  { name: "empty data", inputs: [feed(f32([0, 3], []))] },
  { name: "infinities and NaN pass through", inputs: [feed(f32([4], [Infinity, -Infinity, NaN, 0]))] },
]);
