// ScatterElements' gradient: dUpdates = GatherElements(dY, indices); dData = dY where reduction="add", and dY
// with the overwritten positions zeroed where reduction="none" (indices are assumed distinct there, as the
// forward result is otherwise unspecified). Indices get none.
import { gatherElements } from "./gather-elements";
import { attrsOf, gradOf, inputOf, perInput, zerosLike } from "./grad-util";
import type { GradRule } from "./op";
import { ScatterElements, scatterElements } from "./scatter-elements";

export const scatterElementsGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const [idx, upd] = [inputOf(node, 1), inputOf(node, 2)];
  const { axis, reduction } = attrsOf(ScatterElements, node);
  const dData = () => (reduction === "add" ? g : scatterElements(b, g, idx, zerosLike(b, upd), { axis }));
  return perInput(needs, [dData, null, () => gatherElements(b, g, idx, { axis })]);
};
