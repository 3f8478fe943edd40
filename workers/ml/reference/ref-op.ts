// The signature of a float64 reference op and small helpers to read its inputs; tests only.
import type { Node } from "../ir";
import type { NdArray } from "./ndarray";

/** Computes a node's outputs from its inputs (null: absent optional input); attributes via nodeAttrs(node). */
export type RefOp = (inputs: readonly (NdArray | null)[], node: Node) => NdArray[];

export function input(inputs: readonly (NdArray | null)[], i: number, node: Node): NdArray {
  const a = inputs[i];
  if (a === undefined || a === null) throw new Error(`reference ${node.opType}: input ${i} is missing`);
  return a;
}

export function outDType(node: Node, i = 0): NdArray["dtype"] {
  const v = node.outputs[i];
  if (v === undefined) throw new Error(`reference ${node.opType}: no output ${i}`);
  return v.type.dtype;
}

/** Integer results wrap like the fixed-width C++ types onnxruntime uses. */
export function wrapInt(dtype: NdArray["dtype"], v: number): number {
  switch (dtype) {
    case "int32":
      return v | 0;
    case "int8":
      return (v << 24) >> 24;
    case "uint8":
      return v & 255;
    default:
      return v;
  }
}
