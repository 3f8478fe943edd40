// Div's gradient: dA = dY / B, dB = -dY * A / B^2 = -(dY * Y) / B (reuses the forward quotient Y).
import { div } from "./div";
import { gradOf, inputOf, outputOf, perInput } from "./grad-util";
import { mul } from "./mul";
import { neg } from "./neg";
import type { GradRule } from "./op";

export const divGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const y = inputOf(node, 1);
  return perInput(needs, [() => div(b, g, y), () => neg(b, div(b, mul(b, g, outputOf(node)), y))]);
};
