// Public surface of the ops: one typed builder per ONNX op, the registry, and the op-definition types.
export { Add, add } from "./add";
export { And, and } from "./and";
export { Cast, cast, type CastAttrs } from "./cast";
export { Concat, concat, type ConcatAttrs } from "./concat";
export { ConstantOfShape, constantOfShape, type ConstantOfShapeAttrs } from "./constant-of-shape";
export { CumSum, cumSum, type CumSumAttrs } from "./cum-sum";
export { Div, div } from "./div";
export {
  DEFAULT_DROPOUT_RATIO,
  Dropout,
  dropout,
  type DropoutAttrs,
  type DropoutInputs,
  type DropoutOutputs,
} from "./dropout";
export { Equal, equal } from "./equal";
export { Exp, exp } from "./exp";
export { Expand, expand } from "./expand";
export { GatherElements, gatherElements, type GatherElementsAttrs } from "./gather-elements";
export { Gather, gather, type GatherAttrs } from "./gather";
export { Gemm, gemm, type GemmAttrs } from "./gemm";
export { Greater, greater } from "./greater";
export { Identity, identity } from "./identity";
export { Less, less } from "./less";
export { LogSoftmax, logSoftmax } from "./log-softmax";
export { Log, log } from "./log";
export { MatMul, matMul } from "./matmul";
export { Max, max } from "./max";
export { Min, min } from "./min";
export { Mul, mul } from "./mul";
export { Neg, neg } from "./neg";
export { Not, not } from "./not";
export { Pow, pow } from "./pow";
export { Range, range } from "./range";
export { Reciprocal, reciprocal } from "./reciprocal";
export { ReduceMax, reduceMax } from "./reduce-max";
export { ReduceMean, reduceMean } from "./reduce-mean";
export { ReduceSum, reduceSum } from "./reduce-sum";
export { Reshape, reshape, type ReshapeAttrs } from "./reshape";
export { ScatterElements, scatterElements, type ScatterElementsAttrs } from "./scatter-elements";
export { Shape, shape, type ShapeAttrs } from "./shape";
export { Sigmoid, sigmoid } from "./sigmoid";
export { Slice, sliceLength, slice, type SliceParams } from "./slice";
export { Softmax, softmax } from "./softmax";
export { Split, split, type SplitAttrs } from "./split";
export { Sqrt, sqrt } from "./sqrt";
export { Squeeze, squeeze } from "./squeeze";
export { Sub, sub } from "./sub";
export { Tanh, tanh } from "./tanh";
export { Transpose, transpose, type TransposeAttrs } from "./transpose";
export { Trilu, trilu, type TriluAttrs } from "./trilu";
export { Unsqueeze, unsqueeze } from "./unsqueeze";
export { Where, where } from "./where";
export { attr, checkAttrs, resolveAttrs, type AttrSchema, type AttrSpec } from "./attrs";
export { asInt64s, int64Scalar, int64s, type IntsLike } from "./int-inputs";
export {
  applyOp,
  applyOp1,
  defineOp,
  type AnyOpSpec,
  type GradRule,
  type InferArgs,
  type InferredOutput,
  type InputSpec,
  type NodeOptions,
  type OpSpec,
} from "./op";
export { applyOpByName, getOp, gradRuleOf, nodeAttrs, OPS } from "./registry";
export { GRAD_RULES } from "./grads";
export { reshapeLike, sameShape, shapeOf, zerosLike } from "./grad-util";
export type { ReduceAttrs } from "./reduce-family";
export type { SoftmaxAttrs } from "./softmax-family";
