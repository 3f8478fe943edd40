// Cast's gradient between float types: dX = Cast(dY, X's type). Casts to or from integers and bool carry no
// gradient (their integer side is never on a backward path).
import { cast } from "./cast";
import { gradOf, inputOf, perInput } from "./grad-util";
import type { GradRule } from "./op";

export const castGrad: GradRule = (b, node, gys, needs) => {
  const x = inputOf(node, 0);
  return perInput(needs, [() => cast(b, gradOf(node, gys), x.type.dtype)]);
};
