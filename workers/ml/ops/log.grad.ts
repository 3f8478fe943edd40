// Log's gradient: dX = dY / X.
import { div } from "./div";
import { gradOf, inputOf, perInput } from "./grad-util";
import type { GradRule } from "./op";

export const logGrad: GradRule = (b, node, gys, needs) =>
  perInput(needs, [() => div(b, gradOf(node, gys), inputOf(node, 0))]);
