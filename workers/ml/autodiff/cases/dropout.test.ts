// Dropout's gradient: inference-mode cases against finite differences and onnxruntime; training mode through
// onnxruntime against its own mask (the float64 reference cannot draw it); what the rule refuses.
import { describe, expect, it } from "vitest";
import { fromNumbers, GraphBuilder, toNumbers, type Tensor, type Value } from "../../ir";
import { serializeModel } from "../../onnx";
import * as op from "../../ops";
import { createSession } from "../../runtime";
import { Rng } from "../../testing";
import { grad } from "../grad";
import { checkGradCase } from "../testing/grad-check";
import { DROPOUT_GRAD_CASES } from "./dropout";

describe("Dropout gradients (inference mode)", () => {
  it.each(DROPOUT_GRAD_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkGradCase(c);
  });
});

const SHAPE = [64, 250];
const N = SHAPE.reduce((p, q) => p * q, 1);
const rng = new Rng(23);
const X = fromNumbers("float32", SHAPE, rng.normals(N));
const W = fromNumbers("float32", SHAPE, rng.normals(N));
const TRUE = fromNumbers("bool", [], [1]);
const FALSE = fromNumbers("bool", [], [0]);

/** loss = sum(dropout(x) * w), with outputs loss, y, mask and grad.x; the mode fed or a constant. */
function trainingGraph(ratio: number, mode: "fed" | boolean): Uint8Array {
  const b = new GraphBuilder("dropout_grad_train");
  const x = b.input("x", "float32", SHAPE);
  const w = b.input("w", "float32", SHAPE);
  const trainingMode = mode === "fed" ? b.input("training_mode", "bool", []) : mode;
  const { output, mask } = op.dropout(b, x, { ratio, trainingMode }, { seed: 77 });
  const loss = op.reduceSum(b, op.mul(b, output, w), null, { keepdims: 0 });
  b.output(loss, "loss");
  b.output(output, "y");
  b.output(mask, "mask");
  const g = grad(b, loss, [x]).get(x);
  if (g === undefined) throw new Error("no gradient for x");
  b.output(g, "grad.x");
  return serializeModel(b.build()).model;
}

async function runOnce(model: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, number[]>> {
  const s = await createSession(model, { intraOpThreads: 1, interOpThreads: 1 });
  try {
    const out = await s.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, toNumbers(t)]));
  } finally {
    await s.dispose();
  }
}

/** Elements where got is not fround(v * mask / (1 - ratio)) (the division onnxruntime's forward does). */
function mismatches(got: readonly number[], v: readonly number[], mask: readonly number[], ratio: number): string[] {
  const keep = Math.fround(1 - Math.fround(ratio));
  const bad: string[] = [];
  got.forEach((g, i) => {
    const want = (mask[i] ?? NaN) === 1 ? Math.fround((v[i] ?? NaN) / keep) : 0;
    if (g !== want) bad.push(`[${i}] mask ${mask[i]}: got ${g}, want ${want}`);
  });
  return bad;
}

describe("Dropout gradient in training mode (onnxruntime, against the same run's mask)", () => {
  const xs = toNumbers(X);
  const ws = toNumbers(W);

  it.each([
    [0.1, "fed"],
    [0.5, "fed"],
    [0.25, true],
  ] as const)("ratio %s, training_mode %s: dX == w * mask / (1 - ratio)", async (ratio, mode) => {
    const out = await runOnce(
      trainingGraph(ratio, mode),
      mode === "fed" ? { x: X, w: W, training_mode: TRUE } : { x: X, w: W },
    );
    const mask = out.mask ?? [];
    const kept = mask.reduce((s, m) => s + m, 0);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(N);
    expect(mismatches(out["grad.x"] ?? [], ws, mask, ratio).slice(0, 5)).toEqual([]);
    // The forward of the same run used the same mask.
    expect(mismatches(out.y ?? [], xs, mask, ratio).slice(0, 5)).toEqual([]);
  });

  it("training_mode fed false: dX == w and the mask is all true", async () => {
    const out = await runOnce(trainingGraph(0.5, "fed"), { x: X, w: W, training_mode: FALSE });
    expect((out.mask ?? []).every((m) => m === 1)).toBe(true);
    expect(out["grad.x"]).toEqual(ws);
  });
});

describe("Dropout gradient: what the rule refuses", () => {
  const sum = (b: GraphBuilder, v: Value) => op.reduceSum(b, v, null, { keepdims: 0 });

  it("needs the ratio known at build time when training_mode may be true", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    const ratio = b.input("ratio", "float32", []);
    const { output } = op.dropout(
      b,
      x,
      { ratio, trainingMode: b.input("training_mode", "bool", []) },
      {},
      { name: "drop" },
    );
    expect(() => grad(b, sum(b, output), [x])).toThrow(
      "Dropout gradient: node drop: the ratio must be known at build time (give dropout() a number) when training_mode may be true",
    );
  });

  it("does not need the ratio in inference mode", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    const { output } = op.dropout(b, x, { ratio: b.input("ratio", "float32", []) });
    expect(grad(b, sum(b, output), [x]).get(x)?.type).toEqual(x.type);
  });

  it("gives no gradient to a differentiated ratio", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    const ratio = b.input("ratio", "float32", []);
    const { output } = op.dropout(b, x, { ratio }, {}, { name: "drop" });
    expect(() => grad(b, sum(b, output), [x, ratio])).toThrow(
      /Dropout gradient: node drop: the ratio depends on a differentiated value/,
    );
  });
});
