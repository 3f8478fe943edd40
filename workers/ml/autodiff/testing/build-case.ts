// Builds a gradient test case's training graph in one float type: the forward, loss = sum_i sum(y_i * w_i)
// with fed random weightings w_i (so the check covers the whole Jacobian, not one direction), and the
// gradients of every wrt input as outputs `grad.<name>`. Test helper.
import { fromNumbers, GraphBuilder, type Graph, type Value } from "../../ir";
import * as op from "../../ops";
import { grad } from "../grad";
import { dtypeOf, isWrt, type FloatType, type GradCase, type ResolvedInput } from "./grad-case";

export interface BuiltCase {
  readonly graph: Graph;
  /** Nodes of the forward graph and loss (the rest is backward). */
  readonly forwardNodes: number;
  readonly outputs: readonly Value[];
}

function declare(b: GraphBuilder, inp: ResolvedInput, dt: FloatType): Value {
  const dtype = dtypeOf(inp, dt);
  if (inp.kind === "parameter") return b.parameter(inp.name, fromNumbers(dtype, inp.shape, inp.values));
  if (inp.kind === "constant") return b.constant(fromNumbers(dtype, inp.shape, inp.values), inp.name);
  return b.input(inp.name, dtype, inp.dims ?? inp.shape);
}

/** `withGrads` false: forward and loss only (for finite differences and for the outputs' shapes). */
export function buildCase(c: GradCase, inputs: readonly ResolvedInput[], dt: FloatType, withGrads: boolean): BuiltCase {
  const b = new GraphBuilder(c.name.replace(/\W+/g, "_"));
  const vals = new Map(inputs.map((inp) => [inp.name, declare(b, inp, dt)]));
  const v = (name: string): Value => {
    const x = vals.get(name);
    if (x === undefined) throw new Error(`case ${c.name}: no input "${name}"`);
    return x;
  };
  const ys = [c.forward(b, v, dt)].flat();
  const terms = ys.map((y, i) =>
    op.reduceSum(b, op.mul(b, y, b.input(`weight_${i}`, y.type.dtype, y.type.shape)), null, { keepdims: 0 }),
  );
  const loss = terms.slice(1).reduce((s, t) => op.add(b, s, t), terms[0] as Value);
  b.output(loss, "loss");
  const forwardNodes = b.build({ dangling: "prune" }).nodes.length;
  if (withGrads) {
    const wrt = inputs.filter(isWrt);
    const grads = grad(
      b,
      loss,
      wrt.map((inp) => v(inp.name)),
      c.options,
    );
    for (const inp of wrt) {
      const g = grads.get(v(inp.name));
      if (g === undefined) throw new Error(`case ${c.name}: grad returned nothing for ${inp.name}`);
      b.output(g, `grad.${inp.name}`);
    }
  }
  // Everything built must be used: a rule that builds what no output needs fails here.
  const graph = b.build();
  return { graph, forwardNodes, outputs: graph.outputs };
}
