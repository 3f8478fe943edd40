// Reciprocal's gradient: dX = -dY * Y^2 (Y = 1 / X, the forward result).
import { gradOf, outputOf, perInput } from "./grad-util";
import { mul } from "./mul";
import { neg } from "./neg";
import type { GradRule } from "./op";

export const reciprocalGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const y = outputOf(node);
  return perInput(needs, [() => neg(b, mul(b, g, mul(b, y, y)))]);
};
