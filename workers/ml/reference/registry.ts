// Every reference op by ONNX op type, and a float64 interpreter of whole graphs; tests only.
import { at, type Graph, type Tensor, type Value } from "../ir";
import { CAST } from "./cast";
import { DROPOUT } from "./dropout";
import { ELEMENTWISE } from "./elementwise";
import { INDEXING } from "./indexing";
import { LAYOUT } from "./layout";
import { MATMUL } from "./matmul";
import { fromTensor, type NdArray } from "./ndarray";
import { REDUCE } from "./reduce";
import type { RefOp } from "./ref-op";
import { SCATTER } from "./scatter";
import { SHAPE_OPS } from "./shape-ops";
import { SOFTMAX } from "./softmax";

export const REFERENCE_OPS: ReadonlyMap<string, RefOp> = new Map(
  Object.entries({
    ...ELEMENTWISE,
    ...MATMUL,
    ...SOFTMAX,
    ...REDUCE,
    ...CAST,
    ...INDEXING,
    ...LAYOUT,
    ...SHAPE_OPS,
    ...SCATTER,
    ...DROPOUT,
  }),
);

/** Runs `graph` in float64 on `feeds` (by input name); returns every graph output by name. */
export function evaluate(graph: Graph, feeds: Readonly<Record<string, Tensor | NdArray>>): Record<string, NdArray> {
  const env = new Map<Value, NdArray>();
  // A float64 tensor already is an ndarray; every NdArray holds a Float64Array.
  const asNd = (t: Tensor | NdArray): NdArray => (t.data instanceof Float64Array ? (t as NdArray) : fromTensor(t));
  for (const v of graph.inputs) {
    const f = feeds[v.name];
    if (f === undefined) throw new Error(`reference: missing feed "${v.name}"`);
    env.set(v, asNd(f));
  }
  for (const i of graph.initializers) env.set(i.value, fromTensor(i.data));
  for (const n of graph.nodes) {
    const op = REFERENCE_OPS.get(n.opType);
    if (op === undefined) throw new Error(`reference: no implementation of ${n.opType}`);
    const outs = op(
      n.inputs.map((v) => (v === null ? null : (env.get(v) ?? null))),
      n,
    );
    n.outputs.forEach((v, i) => env.set(v, at(outs, i)));
  }
  const result: Record<string, NdArray> = {};
  for (const v of graph.outputs) {
    const a = env.get(v);
    if (a === undefined) throw new Error(`reference: output "${v.name}" was not computed`);
    result[v.name] = a;
  }
  return result;
}
