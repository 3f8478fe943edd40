// Sub's gradient: dA = dY, dB = -dY (autodiff sums broadcast axes back to each input's shape).
import { gradOf, perInput } from "./grad-util";
import { neg } from "./neg";
import type { GradRule } from "./op";

export const subGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  return perInput(needs, [() => g, () => neg(b, g)]);
};
