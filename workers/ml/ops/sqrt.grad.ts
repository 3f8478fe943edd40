// Sqrt's gradient: dX = dY / (2 * Y), from the forward result (infinite at X = 0, as the derivative is).
import { div } from "./div";
import { gradOf, outputOf, perInput, scalar } from "./grad-util";
import { mul } from "./mul";
import type { GradRule } from "./op";

export const sqrtGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  return perInput(needs, [() => div(b, mul(b, g, scalar(b, g, 0.5)), outputOf(node))]);
};
