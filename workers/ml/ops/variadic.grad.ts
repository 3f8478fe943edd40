// The Max and Min gradient: dY goes to the inputs holding the result.
// NOTE: ties share dY equally (PyTorch's maximum/minimum split it the same way): dX_i = [X_i == Y] * dY / count;
// a NaN result matches no input, so it sends no gradient.
import { add } from "./add";
import { cast } from "./cast";
import { div } from "./div";
import { equal } from "./equal";
import { gradOf, outputOf, perInput } from "./grad-util";
import { mul } from "./mul";
import type { GradRule } from "./op";
import type { Value } from "../ir";

export const extremeGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const xs = node.inputs.filter((v): v is Value => v !== null);
  if (xs.length === 1) return perInput(needs, [() => g]);
  const y = outputOf(node);
  const hits = xs.map((x) => cast(b, equal(b, x, y), y.type.dtype)); // Y's shape
  const share = div(
    b,
    g,
    hits.slice(1).reduce((s, h) => add(b, s, h), hits[0] as Value),
  );
  return perInput(
    needs,
    hits.map((h) => () => mul(b, share, h)),
  );
};
