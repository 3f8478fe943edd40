// CumSum's gradient (float): dX is the running sum of dY in the opposite direction, same exclusivity
// (x_s feeds every y_t with t >= s, so dx_s = sum_{t >= s} dy_t). The axis input gets none.
import { CumSum, cumSum } from "./cum-sum";
import { attrsOf, gradOf, inputOf, perInput } from "./grad-util";
import type { GradRule } from "./op";

export const cumSumGrad: GradRule = (b, node, gys, needs) => {
  const { exclusive, reverse } = attrsOf(CumSum, node);
  return perInput(needs, [
    () => cumSum(b, gradOf(node, gys), inputOf(node, 1), { exclusive, reverse: 1 - reverse }),
    null,
  ]);
};
