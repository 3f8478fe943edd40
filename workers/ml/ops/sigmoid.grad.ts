// Sigmoid's gradient: dX = dY * Y * (1 - Y) (Y the forward result).
import { gradOf, outputOf, perInput, scalar } from "./grad-util";
import { mul } from "./mul";
import type { GradRule } from "./op";
import { sub } from "./sub";

export const sigmoidGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const y = outputOf(node);
  return perInput(needs, [() => mul(b, g, mul(b, y, sub(b, scalar(b, y, 1), y)))]);
};
