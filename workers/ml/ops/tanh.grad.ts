// Tanh's gradient: dX = dY * (1 - Y^2) (Y the forward result).
import { gradOf, outputOf, perInput, scalar } from "./grad-util";
import { mul } from "./mul";
import type { GradRule } from "./op";
import { sub } from "./sub";

export const tanhGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const y = outputOf(node);
  return perInput(needs, [() => mul(b, g, sub(b, scalar(b, y, 1), mul(b, y, y)))]);
};
