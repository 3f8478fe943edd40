// Trilu's gradient (float): dX = the same triangle of dY; k gets none. Trilu on masks is off every path.
import { attrsOf, gradOf, perInput } from "./grad-util";
import type { GradRule } from "./op";
import { Trilu, trilu } from "./trilu";

export const triluGrad: GradRule = (b, node, gys, needs) =>
  perInput(needs, [
    () => trilu(b, gradOf(node, gys), node.inputs[1] ?? null, { upper: attrsOf(Trilu, node).upper }),
    null,
  ]);
