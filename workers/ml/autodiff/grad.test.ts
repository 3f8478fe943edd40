// The backward walk itself: what it refuses, what it prunes (frozen parameters, non-differentiable inputs),
// fan-in, ties, the fused cross-entropy rule, and that a deliberately broken rule is caught by the checks.
import { describe, expect, it } from "vitest";
import { fromNumbers, GraphBuilder, type Graph, type Value } from "../ir";
import * as op from "../ops";
import { evaluate, nd } from "../reference";
import { Rng } from "../testing";
import { grad } from "./grad";
import { INDEXING_GRAD_CASES } from "./cases/indexing";
import { checkGradCase } from "./testing/grad-check";
import type { GradCase } from "./testing/grad-case";

const w = (shape: number[], seed = 1) => new Rng(seed).tensor("float32", shape);
const sum = (b: GraphBuilder, v: Value) => op.reduceSum(b, v, null, { keepdims: 0 });
/** Forward node names that got backward nodes (the scope after "grad."). */
const differentiated = (g: Graph, forward: readonly string[]) =>
  forward.filter((name) => g.nodes.some((n) => n.name.startsWith(`grad.${name}.`)));

describe("grad: what it refuses", () => {
  it("needs a float scalar loss and float wrt values", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2, 3]);
    const ids = b.input("ids", "int64", [2]);
    expect(() => grad(b, x, [x])).toThrow('grad: the loss must be a float scalar (every dim 1); "x" is float32[2, 3]');
    expect(() => grad(b, sum(b, x), [ids])).toThrow('grad: cannot differentiate with respect to "ids" of type int64');
    const other = new GraphBuilder().input("y", "float32", []);
    expect(() => grad(b, sum(b, x), [other])).toThrow(/"y" belongs to another graph builder/);
  });

  it("names the op and the node when a rule is missing", () => {
    const b = new GraphBuilder();
    const start = b.input("start", "float32", []);
    const r = op.range(
      b,
      start,
      b.constant(fromNumbers("float32", [], [5])),
      b.constant(fromNumbers("float32", [], [1])),
      { name: "positions" },
    );
    expect(() => grad(b, sum(b, r), [start])).toThrow(
      'grad: node "positions" (Range) is on the path to the loss: Range: no gradient rule; autodiff cannot differentiate through this op',
    );
  });

  it("says which rules need build-time knowledge (strided slices of symbolic sizes, means over run-time axes)", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", 6]);
    const strided = op.slice(b, x, { starts: [0], ends: [6], axes: [0], steps: [2] }, { name: "every_other" });
    expect(() => grad(b, sum(b, strided), [x])).toThrow(
      "Slice gradient: node every_other: steps other than 1 need a static size and static bounds on axis 0",
    );
    const axes = b.input("axes", "int64", [1]);
    const mean = op.reduceMean(b, x, axes, {}, { name: "mean" });
    expect(() => grad(b, sum(b, mean), [x])).toThrow(
      "ReduceMean gradient: node mean needs its axes known at build time",
    );
  });

  it("refuses a rule that builds unasked gradients or drops asked ones", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    const k = b.constant(w([3]));
    const loss = sum(b, op.mul(b, x, k, { name: "scaled" }));
    const greedy: op.GradRule = (bb, node, gys) => node.inputs.map(() => op.neg(bb, gys[0] ?? x));
    expect(() => grad(b, loss, [x], { ruleOf: (t) => (t === "Mul" ? greedy : op.gradRuleOf(t)) })).toThrow(
      /the Mul rule built a gradient for input 1 \("const"\) of node "scaled", which needs none/,
    );
    const lazy: op.GradRule = () => [null, null];
    expect(() => grad(b, loss, [x], { ruleOf: (t) => (t === "Mul" ? lazy : op.gradRuleOf(t)) })).toThrow(
      /the Mul rule gave no gradient for input 0 \("x"\)/,
    );
  });
});

describe("grad: only what wrt needs", () => {
  it("builds nothing for a frozen first layer (LoRA-style: frozen W, trained A and B)", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", 4]);
    const [W, A, B, head] = [
      b.parameter("W", w([4, 4], 1)),
      b.parameter("lora_A", w([4, 2], 2)),
      b.parameter("lora_B", w([2, 4], 3)),
      b.parameter("head", w([4, 3], 4)),
    ];
    const h = op.add(
      b,
      op.matMul(b, x, W, { name: "base" }),
      op.matMul(b, op.matMul(b, x, A, { name: "down" }), B, { name: "up" }),
      { name: "h" },
    );
    const y = op.matMul(b, op.tanh(b, h, { name: "act" }), head, { name: "out" });
    const loss = sum(b, y);
    const forward = ["base", "down", "up", "h", "act", "out", loss.producer?.name ?? ""];
    b.output(loss, "loss");
    const grads = grad(b, loss, [A, B]);
    grads.forEach((g, p) => b.output(g, `grad.${p.name}`));
    const g = b.build();
    // No backward node for the frozen base product ("h", an Add, passes dY on without a node); "down" gets
    // one for A only, none for x.
    expect(differentiated(g, forward)).toEqual(["down", "up", "act", "out", "ReduceSum"]);
    expect(g.nodes.filter((n) => n.name.startsWith("grad.down.")).map((n) => n.opType)).toEqual(["Gemm"]);
    expect(g.nodes.filter((n) => n.name.startsWith("grad.out.")).map((n) => n.opType)).toEqual(["Gemm"]); // dX only: the head is frozen
  });

  it("counts the backward nodes of a trained last layer exactly", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3, 4]);
    const [W1, W2] = [b.parameter("W1", w([4, 4], 1)), b.parameter("W2", w([4, 2], 2))];
    const loss = sum(b, op.matMul(b, op.tanh(b, op.matMul(b, x, W1, { name: "mm1" })), W2, { name: "mm2" }));
    b.output(loss, "loss");
    const before = b.build({ dangling: "prune" }).nodes.length;
    b.output(grad(b, loss, [W2]).get(W2) ?? x, "grad.W2");
    const g = b.build();
    expect(g.nodes.slice(before).map((n) => `${n.name}:${n.opType}`)).toEqual([
      "grad.ReduceSum.Reshape:Reshape",
      "grad.ReduceSum.Expand:Expand",
      "grad.mm2.Gemm:Gemm",
    ]);
  });

  it("sends nothing through integer, bool and comparison results, and zeros to wrt values off the path", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    const unused = b.input("unused", "float32", [2]);
    const table = b.constant(w([5, 2]));
    const picked = op.gather(b, table, op.cast(b, x, "int64")); // [3, 2], indices computed from x
    const isNegative = op.unsqueeze(b, op.less(b, x, b.constant(fromNumbers("float32", [], [0]))), [1]); // [3, 1]
    const masked = op.where(b, isNegative, picked, op.neg(b, picked));
    const loss = sum(b, masked);
    b.output(loss, "loss");
    const grads = grad(b, loss, [x, unused]);
    grads.forEach((g, v) => b.output(g, `grad.${v.name}`));
    const g = b.build({ dangling: "prune" }); // keeps the input "unused", which only its zero gradient names
    expect(g.nodes.filter((n) => n.name.startsWith("grad.")).map((n) => n.opType)).toEqual([
      "ConstantOfShape",
      "ConstantOfShape",
    ]);
    const out = evaluate(g, { x: nd("float32", [3], [0.5, 2.5, -0.5]), unused: nd("float32", [2], [1, 2]) });
    expect(Array.from(out["grad.x"]?.data ?? [])).toEqual([0, 0, 0]);
    expect(Array.from(out["grad.unused"]?.data ?? [])).toEqual([0, 0]);
  });

  it("seeds a loss that is itself trained with 1, and can run twice on one builder", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [1]);
    const loss = op.mul(b, x, x);
    b.output(loss, "loss");
    const first = grad(b, loss, [loss, x]);
    const second = grad(b, loss, [x]);
    b.output(first.get(loss) ?? x, "d_loss");
    b.output(first.get(x) ?? x, "dx");
    b.output(second.get(x) ?? x, "dx_again");
    const out = evaluate(b.build(), { x: nd("float32", [1], [3]) });
    expect([out.d_loss?.data[0], out.dx?.data[0], out.dx_again?.data[0]]).toEqual([1, 6, 6]);
  });
});

describe("grad: fan-in, ties and the fused rule", () => {
  it("adds the contributions of a value read by three nodes once", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2]);
    const loss = sum(b, op.add(b, op.mul(b, x, x), op.exp(b, x)));
    b.output(loss, "loss");
    const g = grad(b, loss, [x]).get(x);
    expect(g?.producer?.name).toBe("grad.x.acc.Add_1");
    b.output(g ?? x, "grad.x");
    const acc = b.build();
    expect(acc.nodes.filter((n) => n.name.startsWith("grad.x.acc.")).length).toBe(2);
  });

  it("shares the gradient equally among tied maxima (ReduceMax and Max)", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2, 3]);
    const [p, q] = [b.input("p", "float32", [3]), b.input("q", "float32", [3])];
    const loss = op.add(b, sum(b, op.reduceMax(b, x, [1])), sum(b, op.max(b, [p, q])));
    b.output(loss, "loss");
    grad(b, loss, [x, p, q]).forEach((g, v) => b.output(g, `grad.${v.name}`));
    const out = evaluate(b.build(), {
      x: nd("float32", [2, 3], [1, 3, 3, 2, 2, 2]),
      p: nd("float32", [3], [1, 2, 3]),
      q: nd("float32", [3], [1, 5, 0]),
    });
    expect(Array.from(out["grad.x"]?.data ?? [])).toEqual([0, 0.5, 0.5, 1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(out["grad.p"]?.data ?? [])).toEqual([0.5, 0, 1]);
    expect(Array.from(out["grad.q"]?.data ?? [])).toEqual([0.5, 1, 0]);
  });

  it("agrees with central differences at two-way ties (they average both one-sided slopes)", async () => {
    await checkGradCase({
      name: "ReduceMax: two-way ties",
      inputs: { x: { shape: [2, 3], values: [1, 3, 3, 2, 0, 2] } },
      forward: (b, v) => op.reduceMax(b, v("x"), [1]),
    });
    await checkGradCase({
      name: "Min: two-way tie",
      inputs: { a: { shape: [3], values: [1, 2, 3] }, b: { shape: [3], values: [1, 5, 0] } },
      forward: (b, v) => op.min(b, [v("a"), v("b")]),
    });
  });

  it("replaces LogSoftmax's rule under a GatherElements by one scatter into the dense softmax term", async () => {
    const [fused, composed] = INDEXING_GRAD_CASES.filter((c) => c.name.includes("mean cross-entropy"));
    if (!fused || !composed) throw new Error("cases missing");
    const [f, c] = [await checkGradCase(fused), await checkGradCase(composed)];
    const ops = (g: Graph) => g.nodes.filter((n) => n.name.startsWith("grad.")).map((n) => n.opType);
    expect(ops(f.backward).filter((t) => t === "ConstantOfShape")).toEqual([]);
    expect(ops(f.backward).filter((t) => t === "ScatterElements")).toHaveLength(1);
    expect(ops(c.backward)).toContain("ConstantOfShape");
    expect(f.totalNodes).toBeLessThan(c.totalNodes);
  });
});

describe("the checks catch a broken rule", () => {
  const mulCase: GradCase = {
    name: "Mul: broadcast [2,3] and [3]",
    inputs: { a: { shape: [2, 3] }, b: { shape: [3] } },
    forward: (b, v) => op.mul(b, v("a"), v("b")),
  };
  const swapped: op.GradRule = (b, node, gys, needs) => {
    const [x, y, g] = [node.inputs[0], node.inputs[1], gys[0]];
    if (!x || !y || !g) throw new Error("setup");
    return [needs[0] ? op.mul(b, g, x) : null, needs[1] ? op.mul(b, g, y) : null]; // operands swapped: wrong
  };

  it("fails finite differences with Mul's operands swapped, and passes with the real rule restored", async () => {
    const broken = { ...mulCase, options: { ruleOf: (t: string) => (t === "Mul" ? swapped : op.gradRuleOf(t)) } };
    await expect(checkGradCase(broken)).rejects.toThrow(
      /d loss \/ d a, reference backward vs finite differences \(elements 0, 1, 2, 3, 4, 5\): not close/,
    );
    await expect(checkGradCase(mulCase)).resolves.toBeDefined();
  });

  it("fails finite differences with Softmax's rule missing its sum term", async () => {
    const sm: GradCase = {
      name: "Softmax: [2,5]",
      inputs: { x: { shape: [2, 5] } },
      forward: (b, v) => op.softmax(b, v("x")),
    };
    const noSum: op.GradRule = (b, node, gys) => {
      const [y, g] = [node.outputs[0], gys[0]];
      if (!y || !g) throw new Error("setup");
      return [op.mul(b, y, g)]; // Y * dY: the "- sum(dY * Y)" term is missing
    };
    await expect(
      checkGradCase({ ...sm, options: { ruleOf: (t) => (t === "Softmax" ? noSum : op.gradRuleOf(t)) } }),
    ).rejects.toThrow(/not close/);
    await expect(checkGradCase(sm)).resolves.toBeDefined();
  });
});
