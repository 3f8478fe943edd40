// Dropout in training mode through onnxruntime (CPU), which the float64 reference cannot reproduce: the output
// against onnxruntime's own mask, the kept fraction, the seed attribute, ratio 0; and the builder's checks.
import { describe, expect, it } from "vitest";
import { fromNumbers, GraphBuilder, toNumbers, type Tensor } from "../ir";
import { serializeModel } from "../onnx";
import { evaluate } from "../reference";
import { createSession } from "../runtime";
import { Rng } from "../testing";
import * as op from "./index";

const N = 100_000;
const X = fromNumbers("float32", [N], new Rng(17).normals(N));
const XS = toNumbers(X);
const TRUE = fromNumbers("bool", [], [1]);
const FALSE = fromNumbers("bool", [], [0]);

/** x [N] float32 -> Dropout(x, ratio, fed training_mode) -> y, mask. */
function model(ratio: number, seed?: number): Uint8Array {
  const b = new GraphBuilder("dropout_train");
  const x = b.input("x", "float32", [N]);
  const { output, mask } = op.dropout(b, x, { ratio, trainingMode: b.input("training_mode", "bool", []) }, { seed });
  b.output(output, "y");
  b.output(mask, "mask");
  return serializeModel(b.build()).model;
}

/** Runs a fresh session `runs` times in training mode (or with `mode`); returns each run's y and mask. */
async function runs(
  ratio: number,
  seed: number | undefined,
  count: number,
  mode: Tensor = TRUE,
): Promise<{ y: number[]; mask: number[] }[]> {
  const s = await createSession(model(ratio, seed), { intraOpThreads: 1, interOpThreads: 1 });
  try {
    const out: { y: number[]; mask: number[] }[] = [];
    for (let i = 0; i < count; i++) {
      const r = await s.run({ x: X, training_mode: mode });
      out.push({ y: toNumbers(r.y ?? X), mask: toNumbers(r.mask ?? X) });
    }
    return out;
  } finally {
    await s.dispose();
  }
}

const first = <T>(xs: readonly T[]): T => {
  const v = xs[0];
  if (v === undefined) throw new Error("no run");
  return v;
};

/** Elements where y is not x * mask / (1 - ratio) in float32 (onnxruntime divides by 1 - ratio in float32). */
function mismatches(y: readonly number[], mask: readonly number[], ratio: number): string[] {
  const keep = Math.fround(1 - Math.fround(ratio));
  const bad: string[] = [];
  for (let i = 0; i < N; i++) {
    const m = mask[i] ?? NaN;
    const want = Math.fround(((m !== 0 ? 1 : 0) * (XS[i] ?? NaN)) / keep);
    if (y[i] !== want || (m !== 0 && m !== 1)) bad.push(`[${i}] x ${XS[i]} mask ${m}: y ${y[i]}, want ${want}`);
  }
  return bad;
}

const kept = (mask: readonly number[]) => mask.reduce((s, m) => s + m, 0);

describe("Dropout in training mode (onnxruntime CPU)", () => {
  it.each([0.1, 0.5])(
    "ratio %s: y == x * mask / (1 - ratio) exactly, kept fraction within 4 sd of 1 - ratio",
    async (ratio) => {
      const { y, mask } = first(await runs(ratio, 1234, 1));
      expect(mismatches(y, mask, ratio).slice(0, 5)).toEqual([]);
      const p = 1 - ratio;
      const sd = Math.sqrt((p * (1 - p)) / N);
      expect(Math.abs(kept(mask) / N - p)).toBeLessThan(4 * sd);
    },
  );

  it("the same seed gives the same mask on the first run of two fresh sessions", async () => {
    const [a, b] = [first(await runs(0.3, 42, 1)), first(await runs(0.3, 42, 1))];
    expect(a.mask).toEqual(b.mask);
    expect(a.y).toEqual(b.y);
    const other = first(await runs(0.3, 43, 1));
    expect(other.mask).not.toEqual(a.mask);
  });

  it("two consecutive runs of one session draw different masks (the op's generator advances)", async () => {
    const [a, b] = await runs(0.3, 42, 2);
    expect(a?.mask).not.toEqual(b?.mask);
    expect(mismatches(b?.y ?? [], b?.mask ?? [], 0.3).slice(0, 5)).toEqual([]);
  });

  it("without a seed, draws from onnxruntime's process-wide generator: two fresh sessions differ", async () => {
    const [a, b] = [first(await runs(0.3, undefined, 1)), first(await runs(0.3, undefined, 1))];
    expect(a.mask).not.toEqual(b.mask);
  });

  it("still drops when nothing reads the mask (onnxruntime's Dropout elimination leaves training mode alone)", async () => {
    const b = new GraphBuilder("dropout_no_mask");
    const x = b.input("x", "float32", [N]);
    b.output(
      op.dropout(b, x, { ratio: 0.5, trainingMode: b.input("training_mode", "bool", []) }, { seed: 1 }).output,
      "y",
    );
    const s = await createSession(serializeModel(b.build()).model, { intraOpThreads: 1, optimizationLevel: "all" });
    try {
      const y = toNumbers((await s.run({ x: X, training_mode: TRUE })).y ?? X);
      const zeros = y.filter((v) => v === 0).length;
      expect(zeros).toBeGreaterThan(0.45 * N);
      expect(zeros).toBeLessThan(0.55 * N);
    } finally {
      await s.dispose();
    }
  });

  it("ratio 0 keeps everything", async () => {
    const { y, mask } = first(await runs(0, 5, 1));
    expect(kept(mask)).toBe(N);
    expect(y).toEqual(XS);
  });

  it("training_mode false (fed) copies the data with an all-true mask", async () => {
    const { y, mask } = first(await runs(0.5, 5, 1, FALSE));
    expect(kept(mask)).toBe(N);
    expect(y).toEqual(XS);
  });
});

describe("Dropout builder and reference", () => {
  const setup = () => {
    const b = new GraphBuilder();
    return { b, x: b.input("x", "float32", [2, 3]) };
  };

  it("returns the output and a bool mask of the data's shape", () => {
    const { b, x } = setup();
    const { output, mask } = op.dropout(b, x, { ratio: 0.2, trainingMode: true }, { seed: 3 });
    expect(output.type).toEqual(x.type);
    expect(mask.type).toEqual({ dtype: "bool", shape: x.type.shape });
    const node = output.producer;
    expect(node?.outputs).toEqual([output, mask]);
    expect(node?.inputs.map((v) => v?.type.dtype)).toEqual(["float32", "float32", "bool"]);
    expect(node?.attributes).toEqual({ seed: { kind: "int", value: 3 } });
    // Absent trailing optional inputs are dropped; a middle one stays null.
    expect(op.dropout(b, x).output.producer?.inputs).toEqual([x]);
    expect(op.dropout(b, x, { trainingMode: false }).output.producer?.inputs[1]).toBeNull();
  });

  it("rejects a ratio outside [0, 1) when it is known", () => {
    const { b, x } = setup();
    for (const r of [1, -0.1, 1.5, NaN])
      expect(() => op.dropout(b, x, { ratio: r })).toThrow(`Dropout: ratio must be in [0, 1), got ${r}`);
    expect(() => op.dropout(b, x, { ratio: 0 })).not.toThrow();
    expect(() => op.dropout(b, x, { ratio: 0.999 })).not.toThrow();
  });

  it("checks input types and ranks", () => {
    const { b, x } = setup();
    let k = 0;
    const f = (dtype: "float32" | "int64" | "bool", shape: number[]) => b.input(`v${k++}`, dtype, shape);
    expect(() => op.dropout(b, f("int64", [2]))).toThrow(/Dropout: data has type int64/);
    expect(() => op.dropout(b, x, { ratio: f("int64", []) })).toThrow(/Dropout: ratio has type int64/);
    expect(() => op.dropout(b, x, { ratio: f("float32", [1]) })).toThrow("Dropout: ratio must be a scalar (0-D)");
    expect(() => op.dropout(b, x, { trainingMode: f("float32", []) })).toThrow(
      /Dropout: training_mode has type float32; expected one of bool/,
    );
    expect(() => op.dropout(b, x, { trainingMode: f("bool", [1]) })).toThrow(
      "Dropout: training_mode must be a scalar (0-D)",
    );
    expect(() => op.applyOpByName(b, "Dropout", [x, null, null, x])).toThrow("Dropout: expects 1 to 3 inputs, got 4");
  });

  it("rejects unknown attributes and a non-integer seed", () => {
    const { b, x } = setup();
    expect(() => op.applyOpByName(b, "Dropout", [x], { ratio: 0.5 })).toThrow(
      'Dropout: attribute "ratio" is not supported',
    );
    expect(() => op.dropout(b, x, {}, { seed: 1.5 })).toThrow(/Dropout: attribute "seed" must be an integer/);
  });

  it("the reference copies in inference mode and refuses training mode", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    const mode = b.input("training_mode", "bool", []);
    const { output, mask } = op.dropout(b, x, { ratio: 0.25, trainingMode: mode });
    b.output(output, "y");
    b.output(mask, "mask");
    const g = b.build();
    const xs = fromNumbers("float32", [3], [1, -2, 3]);
    const out = evaluate(g, { x: xs, training_mode: FALSE });
    expect(Array.from(out.y?.data ?? [])).toEqual([1, -2, 3]);
    expect(Array.from(out.mask?.data ?? [])).toEqual([1, 1, 1]);
    expect(() => evaluate(g, { x: xs, training_mode: TRUE })).toThrow(
      /reference Dropout: .*training mode.*cannot reproduce.*onnxruntime's own mask/,
    );
  });
});
