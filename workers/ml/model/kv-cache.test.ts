// KV-cache equivalence: a prefill then one decode step per token gives, at every step, the logits of one full
// forward pass over the whole sequence; for one sequence and for a left-padded batch of different lengths; for
// every weight type (float32, q8, q4).
import { afterAll, describe, expect, it } from "vitest";
import { tensor } from "../ir";
import { loadGoldenFixture } from "../reference/golden/golden-fixture";
import { Rng, expectClose } from "../testing";
import { loadModel, type CausalLM, type TDecodeResult } from "./causal-lm";
import { WEIGHT_VARIANTS } from "./quantize-variants";
import { leftPadBatch, type TTextBatch } from "./text-batch";

const fixture = loadGoldenFixture();
const STEPS = 6;

/** Row b's logits at column t of a [B, T, V] tensor. */
const rowAt = (logits: TDecodeResult["logits"], b: number, t: number) => {
  const [, T, V] = logits.shape as [number, number, number];
  return logits.data.subarray((b * T + t) * V, (b * T + t + 1) * V);
};

/** Columns [from, to) of a [B, T] int64 tensor. */
function columns(t: TTextBatch["inputIds"], from: number, to: number): TTextBatch["inputIds"] {
  const [B, T] = t.shape as [number, number];
  const w = to - from;
  return tensor(
    "int64",
    [B, w],
    BigInt64Array.from({ length: B * w }, (_, i) => t.data[Math.floor(i / w) * T + from + (i % w)] ?? 0n),
  );
}

/** The prefill of the first `cols` columns (the prompts' beginnings, left padding included). */
const firstColumns = (full: TTextBatch, cols: number): TTextBatch => ({
  inputIds: columns(full.inputIds, 0, cols),
  attentionMask: columns(full.attentionMask, 0, cols),
  positionIds: columns(full.positionIds, 0, cols),
});

/** The step feeding column `col`: that token and position, the mask of every key up to it. */
const stepAt = (full: TTextBatch, col: number): TTextBatch => ({
  inputIds: columns(full.inputIds, col, col + 1),
  attentionMask: columns(full.attentionMask, 0, col + 1),
  positionIds: columns(full.positionIds, col, col + 1),
});

const variants = fixture.configs.flatMap((g) => WEIGHT_VARIANTS.map((v) => ({ g, v, name: g.name, label: v.label })));

describe.each(variants)("KV cache of $name, weights $label", ({ g, v }) => {
  let model: CausalLM;
  const get = () => (model ??= loadModel(g.dir, { session: { intraOpThreads: 1 }, quantize: v.quantize }));
  afterAll(() => model?.dispose());
  const rng = new Rng(7);
  const sequence = (length: number) => [
    1,
    ...Array.from({ length: length - 1 }, () => rng.int(3, g.config.vocab_size)),
  ];

  it.each([
    { name: "one sequence", lengths: [11] },
    { name: "a left-padded batch of lengths 9, 4, 13", lengths: [9, 4, 13] },
  ])("prefill + step-by-step decode equals one full forward pass: $name", async ({ lengths }) => {
    const m = get();
    const full = leftPadBatch(lengths.map(sequence), 0);
    const T = full.inputIds.shape[1] ?? 0;
    const reference = (await m.decode(full, null, "all")).logits; // [B, T, V]
    const scale = Math.max(...Array.from(reference.data, Math.abs));
    const tol = { atol: 1e-5 * scale, rtol: 1e-5 };

    // Prefill the first T - STEPS columns (shorter rows keep their left padding; the 4-token row is still all
    // padding there), then one token per step. Pad queries are never compared.
    const prefixCols = T - STEPS;
    const prefix = firstColumns(full, prefixCols);
    let out = await m.decode(prefix, null, "all");
    lengths.forEach((_, b) => {
      for (let t = 0; t < prefixCols; t++)
        if (full.attentionMask.data[b * T + t] === 1n)
          expectClose(rowAt(out.logits, b, t), rowAt(reference, b, t), tol, `prefill row ${b} column ${t}`);
    });
    for (let col = prefixCols; col < T; col++) {
      out = await m.decode(stepAt(full, col), out.present, "all");
      expect(out.present[0]?.key.shape).toEqual([
        lengths.length,
        g.config.num_key_value_heads,
        col + 1,
        g.config.head_dim ?? g.config.hidden_size / g.config.num_attention_heads,
      ]);
      lengths.forEach((_, b) => {
        if (full.attentionMask.data[b * T + col] === 1n)
          expectClose(rowAt(out.logits, b, 0), rowAt(reference, b, col), tol, `step at column ${col}, row ${b}`);
      });
    }
  });
});
