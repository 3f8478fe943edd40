// Add's gradient: dA = dB = dY (autodiff sums broadcast axes back to each input's shape).
import { gradOf, perInput } from "./grad-util";
import type { GradRule } from "./op";

export const addGrad: GradRule = (_b, node, gys, needs) => {
  const g = gradOf(node, gys);
  return perInput(needs, [() => g, () => g]);
};
