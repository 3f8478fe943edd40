// Expand's gradient: dX = dY summed over the broadcast axes, which autodiff's un-broadcast does for every
// rule; the rule passes dY through. The shape input gets none.
import { gradOf, perInput } from "./grad-util";
import type { GradRule } from "./op";

export const expandGrad: GradRule = (_b, node, gys, needs) => perInput(needs, [() => gradOf(node, gys), null]);
