// Squeeze's gradient: dX = dY reshaped to X's shape (the removed axes had size 1).
import { gradOf, inputOf, perInput, reshapeLike } from "./grad-util";
import type { GradRule } from "./op";

export const squeezeGrad: GradRule = (b, node, gys, needs) =>
  perInput(needs, [() => reshapeLike(b, gradOf(node, gys), inputOf(node, 0)), null]);
