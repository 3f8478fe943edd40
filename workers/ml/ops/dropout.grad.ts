// Dropout's gradient: dX = where(mask, dY, 0) / keep, keep = 1 - ratio in training mode and 1 otherwise
// (Where(training_mode, 1 - ratio, 1) when the mode is fed at run time); ratio and training_mode get none.
// It reads the forward's own mask output, so the backward drops what the forward dropped.
// NOTE: divides by 1 - ratio (rounded to float32) rather than multiplying by its reciprocal, as onnxruntime's
// forward does: dX is then bit-for-bit dY * mask / (1 - ratio), like the output is X * mask / (1 - ratio).
import { div } from "./div";
import { knownDropoutRatio, knownDropoutTrainingMode } from "./dropout";
import { gradOf, inputOf, outputOf, perInput, scalar } from "./grad-util";
import type { GradRule } from "./op";
import { where } from "./where";

export const dropoutGrad: GradRule = (b, node, gys, needs) => {
  if (needs[1] === true)
    throw new Error(
      `Dropout gradient: node ${node.name}: the ratio depends on a differentiated value; dropout has no gradient with respect to its ratio`,
    );
  const dX = () => {
    const g = gradOf(node, gys);
    const mode = knownDropoutTrainingMode(node);
    // Inference mode: a copy with an all-true mask.
    if (mode === false) return g;
    const ratio = knownDropoutRatio(node);
    if (ratio === undefined)
      throw new Error(
        `Dropout gradient: node ${node.name}: the ratio must be known at build time (give dropout() a number) when training_mode may be true`,
      );
    // onnxruntime reads the ratio as float32, drops nothing when it is 0 (an all-true mask) and otherwise
    // divides by 1 - ratio computed in float32.
    if (Math.fround(ratio) === 0) return g;
    const k = scalar(b, g, Math.fround(1 - Math.fround(ratio)));
    const keep = mode === true ? k : where(b, inputOf(node, 2), k, scalar(b, g, 1));
    return div(b, where(b, outputOf(node, 1), g, scalar(b, g, 0)), keep);
  };
  return perInput(needs, [dX, null, null]);
};
