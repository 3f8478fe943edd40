// Pow's gradient: dX = dY * p * X^(p-1); dP = dY * Y * log(X), built only when the exponent is trained
// (a constant exponent, the usual case, costs one Pow).
// NOTE: X^(p-1) rather than p * Y / X, so X = 0 with p >= 1 gives a finite gradient; dP is NaN for X < 0
// and -inf * 0 = NaN at X = 0, as log(X) is (PyTorch masks X = 0 there; no model here trains an exponent).
import { isFloatDType } from "../ir";
import { cast } from "./cast";
import { gradOf, inputOf, outputOf, perInput, scalar } from "./grad-util";
import { log } from "./log";
import { mul } from "./mul";
import type { GradRule } from "./op";
import { pow } from "./pow";
import { sub } from "./sub";

export const powGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const [x, p] = [inputOf(node, 0), inputOf(node, 1)];
  const dX = () => {
    const pf = p.type.dtype === x.type.dtype ? p : cast(b, p, x.type.dtype); // an int64 exponent -> X's type
    return mul(b, g, mul(b, pf, pow(b, x, sub(b, pf, scalar(b, pf, 1)))));
  };
  const dP = () => {
    if (!isFloatDType(p.type.dtype)) throw new Error(`Pow gradient: exponent "${p.name}" is ${p.type.dtype}`);
    return mul(b, g, mul(b, outputOf(node), log(b, x)));
  };
  return perInput(needs, [dX, dP]);
};
