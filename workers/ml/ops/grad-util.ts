// Graph pieces the gradient rules share: scalar constants, zeros, shape vectors, reshape-to-a-shape and
// lazily built per-input results. Not rules (those are `<op>.grad.ts`) and not the backward walk (autodiff/).
import { dimEq, fromNumbers, scalarTensor, type Dim, type GraphBuilder, type Node, type Value } from "../ir";
import { resolveAttrs } from "./attrs";
import { constantOfShape } from "./constant-of-shape";
import { int64s } from "./int-inputs";
import type { OpSpec } from "./op";
import { reshape } from "./reshape";
import { shape } from "./shape";

/** The node's attributes with the spec's defaults. */
export function attrsOf<A>(spec: OpSpec<A>, node: Node): A {
  return resolveAttrs(node.opType, spec.attrs, node.attributes);
}

export function inputOf(node: Node, i: number): Value {
  const v = node.inputs[i];
  if (v === undefined || v === null) throw new Error(`${node.opType} gradient: node ${node.name} has no input ${i}`);
  return v;
}

export function outputOf(node: Node, i = 0): Value {
  const v = node.outputs[i];
  if (v === undefined) throw new Error(`${node.opType} gradient: node ${node.name} has no output ${i}`);
  return v;
}

/** The gradient of a one-output node's output (autodiff only calls a rule when some output has one). */
export function gradOf(node: Node, gradOutputs: readonly (Value | null)[]): Value {
  const g = gradOutputs[0];
  if (g === undefined || g === null)
    throw new Error(`${node.opType} gradient: node ${node.name} was given no output gradient`);
  return g;
}

/** Builds input i's gradient only when autodiff needs it (no work for frozen inputs). */
export function perInput(needs: readonly boolean[], makers: readonly ((() => Value) | null)[]): (Value | null)[] {
  return makers.map((make, i) => (needs[i] === true && make !== null ? make() : null));
}

/** A 0-D constant of `like`'s dtype. */
export function scalar(b: GraphBuilder, like: Value, v: number): Value {
  return b.constant(scalarTensor(like.type.dtype, v));
}

export function staticDims(dims: readonly Dim[]): number[] | undefined {
  return dims.every((d) => typeof d === "number") ? (dims as number[]) : undefined;
}

export function sameShape(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => dimEq(d, b[i] ?? -1));
}

/** `v`'s shape as an int64 vector: a constant when static, else a Shape node (contents stay symbolic). */
export function shapeOf(b: GraphBuilder, v: Value, start = 0, end = v.type.shape.length): Value {
  const dims = staticDims(v.type.shape.slice(start, end));
  return dims ? int64s(b, dims) : shape(b, v, { start, end });
}

/** Zeros of `dtype` with the shape held by the int64 vector `shapeVec`. */
export function zerosOfShape(b: GraphBuilder, shapeVec: Value, dtype: Value["type"]["dtype"]): Value {
  return constantOfShape(b, shapeVec, { value: fromNumbers(dtype, [1], [0]) });
}

export function zerosLike(b: GraphBuilder, v: Value): Value {
  return zerosOfShape(b, shapeOf(b, v), v.type.dtype);
}

/** `g` reshaped to `like`'s shape (a no-op when the shapes already agree).
 *  NOTE: allowzero=1, because a 0 in a Shape-derived vector is an empty dim, not "copy". */
export function reshapeLike(b: GraphBuilder, g: Value, like: Value): Value {
  if (sameShape(g.type.shape, like.type.shape)) return g;
  return reshape(b, g, shapeOf(b, like), { allowzero: 1 });
}
