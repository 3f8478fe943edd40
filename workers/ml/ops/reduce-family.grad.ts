// Shared pieces of the ReduceSum/ReduceMean/ReduceMax gradients: which axes a node reduced, and dY (or Y)
// with those axes restored as size-1 axes so it broadcasts against X. Not the rules themselves.
import { knownInts } from "./infer-util";
import type { GraphBuilder, Node, Value } from "../ir";
import { attrsOf, inputOf } from "./grad-util";
import type { OpSpec } from "./op";
import type { ReduceAttrs } from "./reduce-family";
import { reshape } from "./reshape";
import { unsqueeze } from "./unsqueeze";

/** "noop" (empty axes with noop_with_empty_axes=1), the normalized axes, or "runtime" when the axes input is
 *  computed at run time (the builder then required keepdims=1). */
export type ReducedAxes = "noop" | "runtime" | readonly number[];

export function reducedAxes(spec: OpSpec<ReduceAttrs>, node: Node): ReducedAxes {
  const rank = inputOf(node, 0).type.shape.length;
  const axesValue = node.inputs[1] ?? null;
  const given = axesValue === null ? [] : knownInts(axesValue);
  if (given === undefined) return "runtime";
  if (given.length === 0)
    return attrsOf(spec, node).noop_with_empty_axes === 1 ? "noop" : Array.from({ length: rank }, (_, i) => i);
  return given.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
}

/** `v` (shaped like the node's output) with the reduced axes as size-1 axes (keepdims=1 layout). */
export function withKeptDims(
  b: GraphBuilder,
  spec: OpSpec<ReduceAttrs>,
  node: Node,
  axes: ReducedAxes,
  v: Value,
): Value {
  if (attrsOf(spec, node).keepdims === 1 || axes === "noop" || axes === "runtime") return v;
  const rank = inputOf(node, 0).type.shape.length;
  if (axes.length === rank) return reshape(b, v, new Array<number>(rank).fill(1));
  return unsqueeze(b, v, axes);
}

/** The axes argument to reduce again over the same axes (the node's own input when it is a run-time value). */
export function sameAxes(node: Node, axes: ReducedAxes): readonly number[] | Value | null {
  if (axes === "runtime") return node.inputs[1] ?? null;
  return axes === "noop" ? [] : axes;
}
