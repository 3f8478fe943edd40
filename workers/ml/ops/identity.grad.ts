// Identity's gradient: dX = dY.
import { gradOf, perInput } from "./grad-util";
import type { GradRule } from "./op";

export const identityGrad: GradRule = (_b, node, gys, needs) => perInput(needs, [() => gradOf(node, gys)]);
