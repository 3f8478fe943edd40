// Unsqueeze's gradient: dX = dY reshaped to X's shape (the inserted axes have size 1).
import { gradOf, inputOf, perInput, reshapeLike } from "./grad-util";
import type { GradRule } from "./op";

export const unsqueezeGrad: GradRule = (b, node, gys, needs) =>
  perInput(needs, [() => reshapeLike(b, gradOf(node, gys), inputOf(node, 0)), null]);
