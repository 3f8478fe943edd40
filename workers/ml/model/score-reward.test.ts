// The score graph against log_softmax of the decode graph's logits (with temperature), and the reward graph's
// reading of the last non-pad token, its deterministic head and a head loaded from the checkpoint.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openCheckpoint, saveCheckpoint } from "../checkpoint/checkpoint-dir";
import { at, tensor } from "../ir";
import { loadGoldenFixture } from "../reference/golden/golden-fixture";
import { expectClose } from "../testing";
import { loadModel, type CausalLM } from "./causal-lm";
import { copyModelDir, tempRoot } from "./test-fixtures";
import { completionBatch, leftPadBatch, type TTextBatch } from "./text-batch";
import { initScoreHead, SCORE_WEIGHT } from "./weights";

const fixture = loadGoldenFixture();
const tmp = tempRoot("prefloop-score-");
afterAll(() => tmp.remove());

/** Float64 log_softmax(row / temperature)[token]. */
function logprobOf(row: Float32Array, token: number, temperature: number): number {
  const xs = Array.from(row, (x) => x / temperature);
  const max = Math.max(...xs);
  const lse = max + Math.log(xs.reduce((s, x) => s + Math.exp(x - max), 0));
  return (xs[token] ?? NaN) - lse;
}

describe.each(fixture.configs.slice(0, 2))("score graph of $name", (g) => {
  let model: CausalLM;
  const get = () => (model ??= loadModel(g.dir, { session: { intraOpThreads: 1 } }));
  afterAll(() => model?.dispose());
  const prompts = [
    [1, 17, 40, 9],
    [1, 5],
    [1, 60, 61, 62, 63, 64],
  ];
  const completions = [[33, 34, 35], [70, 71, 72, 73, 74], []];

  it.each([1, 0.7])("sums log_softmax(decode logits / %s) at the completion tokens", async (temperature) => {
    const m = get();
    const { batch, completionMask } = completionBatch(prompts, completions, 0);
    const [B, T] = batch.inputIds.shape as [number, number];
    const V = m.config.vocabSize;
    const logits = (await m.decode(batch, null, "all")).logits.data; // [B, T, V]
    const expected = new Float64Array(B * T);
    for (let b = 0; b < B; b++) {
      for (let t = 1; t < T; t++) {
        if (completionMask.data[b * T + t] !== 1n) continue;
        expected[b * T + t] = logprobOf(
          logits.subarray((b * T + t - 1) * V, (b * T + t) * V),
          Number(batch.inputIds.data[b * T + t]),
          temperature,
        );
      }
    }
    const got = await m.score(batch, completionMask, temperature);
    expectClose(got.tokenLogprobs, expected, { atol: 2e-5, rtol: 1e-5 }, "token_logprobs");
    const sums = Array.from({ length: B }, (_, b) => expected.subarray(b * T, (b + 1) * T).reduce((s, x) => s + x, 0));
    expectClose(got.sumLogprobs, sums, { atol: 1e-4, rtol: 1e-5 }, "sum_logprobs");
    expect(got.sumLogprobs[2]).toBe(0); // an empty completion
    expect(got.sumLogprobs[0]).toBeLessThan(0);
  });

  it("ignores position 0, which nothing predicts, and rejects a bad temperature", async () => {
    const batch = leftPadBatch([[1, 8, 9]], 0);
    const all = tensor("int64", [1, 3], BigInt64Array.of(1n, 1n, 1n));
    const tail = tensor("int64", [1, 3], BigInt64Array.of(0n, 1n, 1n));
    const a = await get().score(batch, all);
    const b = await get().score(batch, tail);
    expect(a.tokenLogprobs[0]).toBe(0);
    expect(Array.from(a.tokenLogprobs)).toEqual(Array.from(b.tokenLogprobs));
    await expect(get().score(batch, all, 0)).rejects.toThrow(/temperature must be a finite number > 0/);
  });
});

describe("reward graph", () => {
  const g = fixture.configs[0];
  if (!g) throw new Error("no golden config");
  let model: CausalLM;
  const get = () => (model ??= loadModel(g.dir, { session: { intraOpThreads: 1 } }));
  afterAll(() => model?.dispose());

  const batchOf = (ids: number[][], mask: number[][], pos: number[][]): TTextBatch => {
    const shape = [ids.length, ids[0]?.length ?? 0];
    const t = (rows: number[][]) => tensor("int64", shape, BigInt64Array.from(rows.flat(), BigInt));
    return { inputIds: t(ids), attentionMask: t(mask), positionIds: t(pos) };
  };

  it("reads the last token that is not the pad id (Hugging Face's rule), with left or right padding", async () => {
    const m = get();
    expect(m.hasScoreHead).toBe(false);
    const alone = await m.reward(leftPadBatch([[1, 20, 21, 22]], 0));
    const right = batchOf([[1, 20, 21, 22, 0, 0]], [[1, 1, 1, 1, 0, 0]], [[0, 1, 2, 3, 1, 1]]);
    const rightOther = batchOf([[1, 20, 21, 22, 0, 0]], [[1, 1, 1, 1, 0, 0]], [[0, 1, 2, 3, 40, 7]]);
    // HF finds the position from the ids alone: masked tokens that are not the pad id are read.
    const maskedNotPad = batchOf([[1, 20, 21, 22, 57, 99]], [[1, 1, 1, 1, 0, 0]], [[0, 1, 2, 3, 1, 1]]);
    const left = leftPadBatch(
      [
        [1, 20, 21, 22],
        [1, 5, 6, 7, 8, 9],
      ],
      0,
    );
    const lastChanged = batchOf([[1, 20, 21, 23, 0, 0]], [[1, 1, 1, 1, 0, 0]], [[0, 1, 2, 3, 1, 1]]);
    const r0 = at(alone, 0);
    const tol = { atol: 1e-6, rtol: 1e-5 };
    expectClose(await m.reward(right), [r0], tol, "right-padded");
    expectClose(await m.reward(rightOther), [r0], tol, "other positions after the last token");
    expect(Math.abs(at(await m.reward(maskedNotPad), 0) - r0)).toBeGreaterThan(1e-4);
    expectClose((await m.reward(left)).subarray(0, 1), [r0], tol, "left-padded in a batch");
    expect(Math.abs(at(await m.reward(lastChanged), 0) - r0)).toBeGreaterThan(1e-4);
  });

  it("initialises score.weight deterministically from N(0, 0.02^2) when the checkpoint has none", () => {
    const a = initScoreHead(4096).data;
    expect(Array.from(initScoreHead(4096).data)).toEqual(Array.from(a));
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const std = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length);
    expect(Math.abs(mean)).toBeLessThan(0.001);
    expect(std).toBeGreaterThan(0.019);
    expect(std).toBeLessThan(0.021);
  });

  it("takes score.weight from the checkpoint when it is there", async () => {
    const dir = copyModelDir(g.dir, tmp.fresh("reward-head"));
    const ckpt = openCheckpoint(dir);
    const tensors = [...ckpt.entries.values()].map((e) => ({
      name: e.name,
      shape: e.shape,
      dtype: "F32" as const,
      data: ckpt.readFloat32(e.name),
    }));
    ckpt.close();
    const head = initScoreHead(g.config.hidden_size).data.map((x) => 2 * x);
    saveCheckpoint(dir, [
      ...tensors,
      { name: SCORE_WEIGHT, shape: [1, g.config.hidden_size], dtype: "F32", data: head },
    ]);
    expect(fs.existsSync(path.join(dir, "model.safetensors"))).toBe(true);
    const doubled = loadModel(dir, { session: { intraOpThreads: 1 } });
    try {
      expect(doubled.hasScoreHead).toBe(true);
      const batch = leftPadBatch(
        [
          [1, 20, 21, 22],
          [1, 5, 6],
        ],
        0,
      );
      const base = await get().reward(batch);
      expectClose(
        await doubled.reward(batch),
        Array.from(base, (x) => 2 * x),
        { atol: 1e-6, rtol: 1e-5 },
        "rewards with a doubled head",
      );
    } finally {
      await doubled.dispose();
    }
  });
});
