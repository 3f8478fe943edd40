// The op registry: every supported op's spec by ONNX op type, and generic application by name; not the ops.
import type { GraphBuilder, Node, Value } from "../ir";
import { resolveAttrs } from "./attrs";
import { Add } from "./add";
import { And } from "./and";
import { Cast } from "./cast";
import { Concat } from "./concat";
import { ConstantOfShape } from "./constant-of-shape";
import { CumSum } from "./cum-sum";
import { Div } from "./div";
import { Dropout } from "./dropout";
import { Equal } from "./equal";
import { Exp } from "./exp";
import { Expand } from "./expand";
import { GatherElements } from "./gather-elements";
import { Gather } from "./gather";
import { Gemm } from "./gemm";
import { GRAD_RULES } from "./grads";
import { Greater } from "./greater";
import { Identity } from "./identity";
import { Less } from "./less";
import { LogSoftmax } from "./log-softmax";
import { Log } from "./log";
import { MatMul } from "./matmul";
import { Max } from "./max";
import { Min } from "./min";
import { Mul } from "./mul";
import { Neg } from "./neg";
import { Not } from "./not";
import { Pow } from "./pow";
import { Range } from "./range";
import { Reciprocal } from "./reciprocal";
import { ReduceMax } from "./reduce-max";
import { ReduceMean } from "./reduce-mean";
import { ReduceSum } from "./reduce-sum";
import { Reshape } from "./reshape";
import { ScatterElements } from "./scatter-elements";
import { Shape } from "./shape";
import { Sigmoid } from "./sigmoid";
import { Slice } from "./slice";
import { Softmax } from "./softmax";
import { Split } from "./split";
import { Sqrt } from "./sqrt";
import { Squeeze } from "./squeeze";
import { Sub } from "./sub";
import { Tanh } from "./tanh";
import { Transpose } from "./transpose";
import { Trilu } from "./trilu";
import { Unsqueeze } from "./unsqueeze";
import { Where } from "./where";
import { applyOp, type AnyOpSpec, type GradRule, type NodeOptions, type OpSpec } from "./op";

const ALL_OPS: readonly OpSpec<never>[] = [
  Add as unknown as AnyOpSpec,
  And as unknown as AnyOpSpec,
  Cast as unknown as AnyOpSpec,
  Concat as unknown as AnyOpSpec,
  ConstantOfShape as unknown as AnyOpSpec,
  CumSum as unknown as AnyOpSpec,
  Div as unknown as AnyOpSpec,
  Dropout as unknown as AnyOpSpec,
  Equal as unknown as AnyOpSpec,
  Exp as unknown as AnyOpSpec,
  Expand as unknown as AnyOpSpec,
  GatherElements as unknown as AnyOpSpec,
  Gather as unknown as AnyOpSpec,
  Gemm as unknown as AnyOpSpec,
  Greater as unknown as AnyOpSpec,
  Identity as unknown as AnyOpSpec,
  Less as unknown as AnyOpSpec,
  LogSoftmax as unknown as AnyOpSpec,
  Log as unknown as AnyOpSpec,
  MatMul as unknown as AnyOpSpec,
  Max as unknown as AnyOpSpec,
  Min as unknown as AnyOpSpec,
  Mul as unknown as AnyOpSpec,
  Neg as unknown as AnyOpSpec,
  Not as unknown as AnyOpSpec,
  Pow as unknown as AnyOpSpec,
  Range as unknown as AnyOpSpec,
  Reciprocal as unknown as AnyOpSpec,
  ReduceMax as unknown as AnyOpSpec,
  ReduceMean as unknown as AnyOpSpec,
  ReduceSum as unknown as AnyOpSpec,
  Reshape as unknown as AnyOpSpec,
  ScatterElements as unknown as AnyOpSpec,
  Shape as unknown as AnyOpSpec,
  Sigmoid as unknown as AnyOpSpec,
  Slice as unknown as AnyOpSpec,
  Softmax as unknown as AnyOpSpec,
  Split as unknown as AnyOpSpec,
  Sqrt as unknown as AnyOpSpec,
  Squeeze as unknown as AnyOpSpec,
  Sub as unknown as AnyOpSpec,
  Tanh as unknown as AnyOpSpec,
  Transpose as unknown as AnyOpSpec,
  Trilu as unknown as AnyOpSpec,
  Unsqueeze as unknown as AnyOpSpec,
  Where as unknown as AnyOpSpec,
];

/** Every supported op, keyed by ONNX op type (default domain), with its gradient rule attached. */
export const OPS: ReadonlyMap<string, AnyOpSpec> = new Map(
  ALL_OPS.map((s) => {
    const grad = GRAD_RULES[s.opType];
    return [s.opType, grad === undefined ? s : { ...s, grad }];
  }),
);

export function getOp(opType: string): AnyOpSpec {
  const spec = OPS.get(opType);
  if (spec === undefined)
    throw new Error(`op "${opType}" is not supported (supported: ${[...OPS.keys()].sort().join(", ")})`);
  return spec;
}

/** Builds any supported op by name with untyped attributes (tests, graph transforms); checks everything
 *  the typed builders check. */
export function applyOpByName(
  b: GraphBuilder,
  opType: string,
  inputs: readonly (Value | null)[],
  attrs: Readonly<Record<string, unknown>> = {},
  opts?: NodeOptions,
): Value[] {
  return applyOp(b, getOp(opType) as unknown as OpSpec<Record<string, unknown>>, inputs, attrs, opts);
}

/** A node's attributes with the spec's defaults filled in. */
export function nodeAttrs<A = Record<string, unknown>>(node: Node): A {
  const spec = getOp(node.opType) as unknown as OpSpec<A>;
  return resolveAttrs(node.opType, spec.attrs, node.attributes);
}

/** The reverse-mode rule of an op; throws naming the op when it has none. */
export function gradRuleOf(opType: string): GradRule {
  const rule = getOp(opType).grad;
  if (rule === undefined) throw new Error(`${opType}: no gradient rule; autodiff cannot differentiate through this op`);
  return rule;
}
