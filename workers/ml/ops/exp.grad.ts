// Exp's gradient: dX = dY * Y (the forward result).
import { gradOf, outputOf, perInput } from "./grad-util";
import { mul } from "./mul";
import type { GradRule } from "./op";

export const expGrad: GradRule = (b, node, gys, needs) =>
  perInput(needs, [() => mul(b, gradOf(node, gys), outputOf(node))]);
