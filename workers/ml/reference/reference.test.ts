// The float64 reference on hand-computed cases, and a multi-op graph (RMSNorm, bfloat16 round trip, masked
// softmax) evaluated by the reference and by onnxruntime.
import { describe, expect, it } from "vitest";
import { fromNumbers, GraphBuilder, type Value } from "../ir";
import * as op from "../ops";
import { serializeModel } from "../onnx";
import { createSession } from "../runtime";
import { expectClose, Rng } from "../testing";
import { nd } from "./ndarray";
import { evaluate } from "./registry";

function one(build: (b: GraphBuilder, x: Value) => Value, x: ReturnType<typeof nd>) {
  const b = new GraphBuilder();
  b.output(build(b, b.input("x", x.dtype, x.shape)), "y");
  const y = evaluate(b.build(), { x }).y;
  if (!y) throw new Error("no output");
  return { shape: y.shape, data: Array.from(y.data) };
}

describe("reference ops by hand", () => {
  it("softmax and log-softmax", () => {
    const y = one((b, x) => op.softmax(b, x), nd("float32", [3], [0, Math.log(2), Math.log(5)]));
    expectClose(y.data, [1 / 8, 2 / 8, 5 / 8], { atol: 1e-15, rtol: 0 });
    const l = one((b, x) => op.logSoftmax(b, x), nd("float32", [2], [1000, 1000]));
    expectClose(l.data, [-Math.LN2, -Math.LN2], { atol: 1e-12, rtol: 0 });
  });

  it("matmul with batch broadcasting", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2, 1, 2]);
    const w = b.input("w", "float32", [2, 1]);
    b.output(op.matMul(b, x, w), "y");
    const y = evaluate(b.build(), { x: nd("float32", [2, 1, 2], [1, 2, 3, 4]), w: nd("float32", [2, 1], [10, 1]) }).y;
    expect(y?.shape).toEqual([2, 1, 1]);
    expect(Array.from(y?.data ?? [])).toEqual([12, 34]);
  });

  it("slices with negative steps and clamps like the spec", () => {
    const y = one(
      (b, x) => op.slice(b, x, { starts: [-2], ends: [-100], steps: [-2] }),
      nd("float32", [5], [0, 1, 2, 3, 4]),
    );
    expect(y.data).toEqual([3, 1]);
  });

  it("splits unevenly by the opset 18 rule and cumsums exclusively in reverse", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [5]);
    op.split(b, x, null, { num_outputs: 2 }).forEach((v, i) => b.output(v, `s${i}`));
    b.output(op.cumSum(b, x, 0, { exclusive: 1, reverse: 1 }), "c");
    const out = evaluate(b.build(), { x: nd("float32", [5], [1, 2, 3, 4, 5]) });
    expect(Array.from(out.s0?.data ?? [])).toEqual([1, 2, 3]);
    expect(Array.from(out.s1?.data ?? [])).toEqual([4, 5]);
    expect(Array.from(out.c?.data ?? [])).toEqual([14, 12, 9, 5, 0]);
  });

  it("divides integers toward zero and casts floats to ints toward zero", () => {
    const y = one((b, x) => op.div(b, x, op.int64s(b, [2])), nd("int64", [2], [7, -7]));
    expect(y.data).toEqual([3, -3]);
    const c = one((b, x) => op.cast(b, x, "int32"), nd("float32", [2], [-2.7, 2.7]));
    expect(c.data).toEqual([-2, 2]);
  });
});

describe("a multi-op graph: reference vs onnxruntime", () => {
  it("RMSNorm, a bfloat16 round trip inside the graph, and a causal-masked softmax", async () => {
    const b = new GraphBuilder("block");
    const x = b.input("x", "float32", ["batch", "seq", 8]);
    const gamma = b.parameter("norm.weight", new Rng(5).tensor("float32", [8]));
    // NOTE: RMSNorm computes mean(x^2) in float32, then x * 1/sqrt(ms + eps) * weight (HF order).
    const ms = op.reduceMean(b, op.mul(b, x, x), [-1]);
    const inv = op.reciprocal(b, op.sqrt(b, op.add(b, ms, b.constant(fromNumbers("float32", [], [1e-6])))));
    const normed = op.mul(b, op.mul(b, x, inv), gamma);
    const bf = op.cast(b, op.cast(b, normed, "bfloat16"), "float32");
    const scores = op.matMul(b, bf, op.transpose(b, bf, { perm: [0, 2, 1] })); // [batch, seq, seq]
    const seqLen = op.gather(b, op.shape(b, x), op.int64s(b, [1]));
    const square = op.concat(b, [seqLen, seqLen], { axis: 0 });
    const upper = op.trilu(b, op.constantOfShape(b, square, { value: fromNumbers("float32", [1], [-Infinity]) }), 1);
    b.output(op.softmax(b, op.add(b, scores, upper)), "probs");
    b.output(bf, "bf");
    const g = b.build();
    const feeds = { x: new Rng(6).tensor("float32", [2, 3, 8]) };
    const s = await createSession(serializeModel(g).model);
    const got = await s.run(feeds);
    const want = evaluate(g, feeds);
    await s.dispose();
    // bfloat16 keeps 8 significant bits: ties in rounding can differ by one unit between float32 and float64 inputs.
    expectClose(got.bf ?? [], want.bf ?? [], { atol: 1e-6, rtol: 2 ** -7 });
    expectClose(got.probs ?? [], want.probs ?? [], { atol: 1e-3, rtol: 1e-2 });
    expect(Array.from(want.probs?.data.slice(0, 3) ?? [])).toEqual([1, 0, 0]);
  });
});
