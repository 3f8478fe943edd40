// Public surface of the float64 reference (ops, graph interpreter, ndarray); used by tests only.
export { broadcastShape, broadcastTo } from "./broadcast";
export { castValue } from "./cast";
export { fromTensor, nd, toTensor, type NdArray } from "./ndarray";
export type { RefOp } from "./ref-op";
export { evaluate, REFERENCE_OPS } from "./registry";
