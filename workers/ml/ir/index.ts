// Public surface of the graph IR (dtypes, dims, tensors, values, nodes, builder, dump); no ops.
export { at } from "./at";
export type { Attr, Attrs } from "./attr";
export { attrToString } from "./attr";
export { GraphBuilder, type BuildOptions, type NodeSpec, type OutputSpec } from "./builder";
export {
  dimAdd,
  dimDivExact,
  dimEq,
  evalDim,
  dimMul,
  dimSub,
  dimToString,
  dimsToString,
  isUnknownDim,
  sym,
  SymDim,
  type Dim,
  type DimLike,
} from "./dim";
export { toDim } from "./dim-parse";
export * from "./dtype";
export { dumpGraph } from "./dump";
export {
  ancestors,
  typeToString,
  Value,
  type Graph,
  type Initializer,
  type Node,
  type ValueKind,
  type ValueType,
} from "./graph";
export * from "./half";
export { IR_VERSION, OPSET } from "./opset";
export * from "./tensor";
export { findDangling, validateGraph, type Dangling } from "./validate";
