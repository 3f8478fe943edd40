// Concat's gradient: each input gets its window of dY along the axis (a Slice per trained input; offsets are
// constants for static sizes, sums of Shape entries for symbolic ones such as past + seq).
import { at, type Value } from "../ir";
import { add } from "./add";
import { Concat } from "./concat";
import { attrsOf, gradOf, perInput, shapeOf } from "./grad-util";
import { int64s } from "./int-inputs";
import type { GradRule } from "./op";
import { slice } from "./slice";

export const concatGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const xs = node.inputs.filter((v): v is Value => v !== null);
  const rank = at(xs, 0).type.shape.length;
  const ax = (attrsOf(Concat, node).axis + rank) % rank;
  const size = (x: Value) => at(x.type.shape, ax);
  const offset = (i: number): number | Value => {
    const before = xs.slice(0, i);
    if (before.every((x) => typeof size(x) === "number")) return before.reduce((s, x) => s + (size(x) as number), 0);
    return before.map((x) => shapeOf(b, x, ax, ax + 1)).reduce((s, v) => add(b, s, v));
  };
  const window = (i: number) => () => {
    const x = at(xs, i);
    const start = offset(i);
    const d = size(x);
    if (typeof start === "number" && typeof d === "number")
      return slice(b, g, { starts: [start], ends: [start + d], axes: [ax] });
    const s = typeof start === "number" ? int64s(b, [start]) : start;
    return slice(b, g, { starts: s, ends: add(b, s, shapeOf(b, x, ax, ax + 1)), axes: [ax] });
  };
  return perInput(
    needs,
    xs.map((_, i) => window(i)),
  );
};
