// GatherElements' gradient: dY scatter-added into zeros of X's shape at the gathered positions
// (ScatterElements, reduction="add"); indices get none. Cross-entropy over a LogSoftmax takes autodiff's
// fused rule instead (autodiff/fused-log-softmax-gather.ts).
import { GatherElements } from "./gather-elements";
import { attrsOf, gradOf, inputOf, perInput, zerosLike } from "./grad-util";
import type { GradRule } from "./op";
import { scatterElements } from "./scatter-elements";

export const gatherElementsGrad: GradRule = (b, node, gys, needs) => {
  const [x, idx] = [inputOf(node, 0), inputOf(node, 1)];
  const { axis } = attrsOf(GatherElements, node);
  return perInput(needs, [
    () => scatterElements(b, zerosLike(b, x), idx, gradOf(node, gys), { axis, reduction: "add" }),
    null,
  ]);
};
