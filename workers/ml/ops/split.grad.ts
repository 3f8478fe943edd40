// Split's gradient: dX = Concat of the parts' gradients along the axis, zeros for parts off the path.
import { at } from "../ir";
import { concat } from "./concat";
import { attrsOf, perInput, zerosLike } from "./grad-util";
import type { GradRule } from "./op";
import { Split } from "./split";

export const splitGrad: GradRule = (b, node, gys, needs) => {
  const axis = attrsOf(Split, node).axis;
  const dX = () => {
    const parts = node.outputs.map((o, i) => gys[i] ?? zerosLike(b, o));
    return parts.length === 1 ? at(parts, 0) : concat(b, parts, { axis });
  };
  return perInput(needs, [dX, null]);
};
