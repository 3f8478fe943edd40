// Neg's gradient: dX = -dY.
import { gradOf, perInput } from "./grad-util";
import { neg } from "./neg";
import type { GradRule } from "./op";

export const negGrad: GradRule = (b, node, gys, needs) => perInput(needs, [() => neg(b, gradOf(node, gys))]);
