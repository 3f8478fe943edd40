// Where's gradient: dX = where(C, dY, 0), dY_else = where(C, 0, dY); the condition gets none.
import { gradOf, inputOf, perInput, scalar } from "./grad-util";
import type { GradRule } from "./op";
import { where } from "./where";

export const whereGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const c = inputOf(node, 0);
  return perInput(needs, [null, () => where(b, c, g, scalar(b, g, 0)), () => where(b, c, scalar(b, g, 0), g)]);
};
