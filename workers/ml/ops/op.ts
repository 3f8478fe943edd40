// What an op is (inputs, attribute schema, shape/dtype inference, the gradient slot) and how a builder
// call becomes a node; not any particular op.
import type { Dim, DType, GraphBuilder, Node, SymDim, Value, ValueType } from "../ir";
import { checkAttrs, resolveAttrs, type AttrSchema, type AttrSpec } from "./attrs";

export interface InputSpec {
  readonly name: string;
  readonly optional?: boolean;
  /** Takes every remaining input (Concat, Max, Min); at least one. */
  readonly variadic?: boolean;
}

export interface InferredOutput {
  readonly type: ValueType;
  readonly known?: readonly Dim[];
}

export interface InferArgs<A> {
  readonly inputs: readonly (Value | null)[];
  readonly attrs: A;
  /** A fresh unknown dim for sizes that depend on run-time data. */
  readonly fresh: () => SymDim;
  /** Throws `${opType}: ${msg}`. */
  readonly fail: (msg: string) => never;
}

/** The reverse-mode rule of an op (in `<op>.grad.ts`, attached by the registry): given the node, the
 *  gradients of its outputs (null where an output does not reach the loss) and which inputs need a gradient,
 *  build the gradients of those inputs (null elsewhere; never build what `needs` does not ask for). A gradient
 *  may have the broadcast (output) shape of its input; autodiff sums it back to the input's shape. */
export type GradRule = (
  b: GraphBuilder,
  node: Node,
  gradOutputs: readonly (Value | null)[],
  needs: readonly boolean[],
) => readonly (Value | null)[];

export interface OpSpec<A = Record<string, never>> {
  readonly opType: string;
  readonly domain: "";
  readonly inputs: readonly InputSpec[];
  readonly attrs: AttrSchema<A>;
  infer(args: InferArgs<A>): readonly InferredOutput[];
  /** Set by the registry from `<op>.grad.ts` (so rules may build other ops without import cycles); unset for
   *  ops with nothing to differentiate, where autodiff fails naming the op and node. */
  readonly grad?: GradRule;
}

/** A spec with its attribute type erased, for the registry and generic walks. */
export type AnyOpSpec = OpSpec<never>;

export interface NodeOptions {
  /** Name of the (first) output value and of the node, inside the builder's scope. */
  readonly name?: string;
  /** Names of each output (multi-output ops). */
  readonly names?: readonly string[];
}

export function defineOp<A = Record<string, never>>(spec: OpSpec<A>): OpSpec<A> {
  return spec;
}

function checkInputs(spec: AnyOpSpec, inputs: readonly (Value | null)[]): void {
  const op = spec.opType;
  const variadic = spec.inputs.find((i) => i.variadic === true);
  const max = variadic ? Infinity : spec.inputs.length;
  const min = spec.inputs.filter((i) => i.optional !== true).length;
  if (inputs.length < min || inputs.length > max)
    throw new Error(
      `${op}: expects ${variadic ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`} inputs, got ${inputs.length}`,
    );
  inputs.forEach((v, i) => {
    const s = spec.inputs[Math.min(i, spec.inputs.length - 1)];
    if (v === null && s?.optional !== true) throw new Error(`${op}: input ${i} (${s?.name ?? "?"}) is required`);
  });
}

/** Checks attributes and inputs, infers output types, and adds the node. Returns its outputs. */
export function applyOp<A>(
  b: GraphBuilder,
  spec: OpSpec<A>,
  inputs: readonly (Value | null)[],
  attrs: Partial<A> = {},
  opts: NodeOptions = {},
): Value[] {
  const op = spec.opType;
  const given = checkAttrs(op, spec.attrs as Readonly<Record<string, AttrSpec>>, attrs);
  checkInputs(spec as unknown as AnyOpSpec, inputs);
  // Trailing absent optional inputs are dropped, as ONNX writers do.
  const ins = [...inputs];
  while (ins.length > 0 && ins[ins.length - 1] === null) ins.pop();
  const fail = (msg: string): never => {
    throw new Error(`${op}: ${msg}`);
  };
  const outs = spec.infer({ inputs: ins, attrs: resolveAttrs(op, spec.attrs, given), fresh: () => b.freshDim(), fail });
  if (opts.names && opts.names.length !== outs.length)
    fail(`${opts.names.length} output names given for ${outs.length} outputs`);
  const node = b.addNode({
    opType: op,
    domain: spec.domain,
    inputs: ins,
    attributes: given,
    name: opts.name,
    outputs: outs.map((o, i) => ({ ...o, name: opts.names?.[i] ?? (i === 0 ? opts.name : undefined) })),
  });
  return [...node.outputs];
}

/** applyOp for the one-output ops. */
export function applyOp1<A>(
  b: GraphBuilder,
  spec: OpSpec<A>,
  inputs: readonly (Value | null)[],
  attrs?: Partial<A>,
  opts?: NodeOptions,
): Value {
  const [v] = applyOp(b, spec, inputs, attrs, opts);
  if (v === undefined) throw new Error(`${spec.opType}: produced no output`);
  return v;
}

/** An input that must be present (after checkInputs, for required slots). */
export function inputAt(args: InferArgs<unknown>, i: number): Value {
  const v = args.inputs[i];
  if (v === undefined || v === null) return args.fail(`input ${i} is missing`);
  return v;
}

export type { DType };
