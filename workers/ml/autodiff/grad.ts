// Reverse-mode differentiation on the graph IR: appends the backward nodes of d(loss)/d(wrt) to the builder
// that holds the forward graph. Reverse topological walk over the nodes between wrt and loss, one rule per
// op (ops/<op>.grad.ts), un-broadcast, fan-in accumulation; no node for anything that reaches no wrt.
import { dimsToString, fromNumbers, isFloatDType, typeToString, type GraphBuilder, type Node, type Value } from "../ir";
import * as op from "../ops";
import { Accumulator } from "./accumulate";
import type { FusedContext, FusedRule } from "./fused";
import { logSoftmaxGather } from "./fused-log-softmax-gather";
import { backwardPath } from "./path";
import { unbroadcast } from "./unbroadcast";

export interface GradOptions {
  /** The rule of an op type (default: the registry's). Tests swap in a broken rule to show the checks fail. */
  readonly ruleOf?: (opType: string) => op.GradRule;
  /** Fused rules tried before a node's own rule (default: LogSoftmax + GatherElements); [] turns them off. */
  readonly fused?: readonly FusedRule[];
}

export const DEFAULT_FUSED: readonly FusedRule[] = [logSoftmaxGather];

function check(loss: Value, wrt: readonly Value[], b: GraphBuilder): void {
  if (loss.owner !== b) throw new Error(`grad: loss "${loss.name}" belongs to another graph builder`);
  if (!isFloatDType(loss.type.dtype) || !loss.type.shape.every((d) => d === 1))
    throw new Error(
      `grad: the loss must be a float scalar (every dim 1); "${loss.name}" is ${typeToString(loss.type)}`,
    );
  for (const w of wrt) {
    if (w.owner !== b) throw new Error(`grad: "${w.name}" belongs to another graph builder`);
    if (!isFloatDType(w.type.dtype))
      throw new Error(`grad: cannot differentiate with respect to "${w.name}" of type ${w.type.dtype}`);
  }
}

/** Runs a node's rule and hands each input's gradient, summed to the input's shape, to `acc`. */
function backprop(
  b: GraphBuilder,
  n: Node,
  gys: readonly (Value | null)[],
  active: ReadonlySet<Value>,
  acc: Accumulator,
  ruleOf: (t: string) => op.GradRule,
): void {
  let rule: op.GradRule;
  try {
    rule = ruleOf(n.opType);
  } catch (e) {
    throw new Error(
      `grad: node "${n.name}" (${n.opType}) is on the path to the loss: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  const needs = n.inputs.map((v) => v !== null && active.has(v));
  const gxs = rule(b, n, gys, needs);
  n.inputs.forEach((x, i) => {
    const g = gxs[i] ?? null;
    if (x === null || g === null) {
      if (needs[i] === true)
        throw new Error(
          `grad: the ${n.opType} rule gave no gradient for input ${i} ("${x?.name}") of node "${n.name}"`,
        );
      return;
    }
    if (needs[i] !== true)
      throw new Error(
        `grad: the ${n.opType} rule built a gradient for input ${i} ("${x.name}") of node "${n.name}", which needs none`,
      );
    if (g.type.dtype !== x.type.dtype)
      throw new Error(
        `grad: the ${n.opType} rule gave a ${g.type.dtype} gradient for ${x.type.dtype} input "${x.name}" of node "${n.name}"`,
      );
    acc.add(
      x,
      op.sameShape(g.type.shape, x.type.shape)
        ? g
        : unbroadcast(b, g, x, `grad: node "${n.name}" (${n.opType}) input ${i} ${dimsToString(x.type.shape)}`),
    );
  });
}

function firstFused(rules: readonly FusedRule[], ctx: FusedContext): readonly (readonly [Value, Value])[] | null {
  for (const rule of rules) {
    const parts = rule.apply(ctx);
    if (parts !== null) return parts;
  }
  return null;
}

/** Appends d(loss)/d(w) for each w of `wrt` to `b` (under scope "grad"): gradients have their value's type
 *  and shape; a w that does not reach the loss gets zeros. `loss` must be a float scalar. */
export function grad(
  b: GraphBuilder,
  loss: Value,
  wrt: readonly Value[],
  options: GradOptions = {},
): Map<Value, Value> {
  check(loss, wrt, b);
  const wanted = [...new Set(wrt)];
  const { nodes, active } = backwardPath(loss, wanted);
  const ruleOf = options.ruleOf ?? op.gradRuleOf;
  const fused = options.fused ?? DEFAULT_FUSED;
  const wrtSet = new Set(wanted);
  return b.scope("grad", () => {
    const acc = new Accumulator(b);
    if (active.has(loss))
      acc.add(
        loss,
        b.scope("seed", () => b.constant(fromNumbers(loss.type.dtype, loss.type.shape as number[], [1]))),
      );
    for (const n of [...nodes].reverse()) {
      const gys = n.outputs.map((o) => acc.total(o));
      if (gys.every((g) => g === null)) continue;
      b.scope(n.name, () => {
        const parts = firstFused(fused, { b, node: n, gradOutputs: gys, active, wrt: wrtSet });
        if (parts === null) backprop(b, n, gys, active, acc, ruleOf);
        else for (const [v, g] of parts) acc.add(v, g);
      });
    }
    return new Map(wanted.map((w) => [w, acc.total(w) ?? op.zerosLike(b, w)]));
  });
}
