// Transpose's gradient: dX = dY transposed by the inverse permutation.
import { attrsOf, gradOf, inputOf, perInput } from "./grad-util";
import type { GradRule } from "./op";
import { transpose, Transpose } from "./transpose";

export const transposeGrad: GradRule = (b, node, gys, needs) => {
  const r = inputOf(node, 0).type.shape.length;
  const perm = attrsOf(Transpose, node).perm ?? Array.from({ length: r }, (_, i) => r - 1 - i);
  const inverse = new Array<number>(r).fill(0);
  perm.forEach((p, i) => (inverse[p] = i));
  return perInput(needs, [() => transpose(b, gradOf(node, gys), { perm: inverse })]);
};
