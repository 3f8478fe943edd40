// Reshape's gradient: dX = dY reshaped to X's shape; the shape input gets none.
import { gradOf, inputOf, perInput, reshapeLike } from "./grad-util";
import type { GradRule } from "./op";

export const reshapeGrad: GradRule = (b, node, gys, needs) =>
  perInput(needs, [() => reshapeLike(b, gradOf(node, gys), inputOf(node, 0)), null]);
