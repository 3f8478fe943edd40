// Mul's gradient: dA = dY * B, dB = dY * A (autodiff sums broadcast axes back to each input's shape).
import { gradOf, inputOf, perInput } from "./grad-util";
import { mul } from "./mul";
import type { GradRule } from "./op";

export const mulGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  return perInput(needs, [() => mul(b, g, inputOf(node, 1)), () => mul(b, g, inputOf(node, 0))]);
};
