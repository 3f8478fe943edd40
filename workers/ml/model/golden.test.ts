// The engine against the golden fixture (PyTorch float64, reference/golden): logits at every real position of
// the single and left-padded batch cases, and the 8-token greedy continuations through generate's KV cache.
// Regenerate the fixture with `/usr/bin/python3 workers/ml/reference/golden/make_golden.py` (see its README).
// Every weight type: float32 ("none") against the fixture; q8 / q4 (MatMulNBits) against the float32 engine
// over the quantizer's dequantized weights (quantize-reference.ts), whose float32 path the fixture checks.
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../generate/generate";
import { isRealPosition, loadGoldenFixture, logitsAt } from "../reference/golden/golden-fixture";
import { CausalLM, loadModel } from "./causal-lm";
import { resolveQuantize, type TQuantizeOption } from "./quantize";
import { WEIGHT_VARIANTS } from "./quantize-variants";
import { dequantizedModel } from "./quantize-reference";
import { goldenBatch, goldenPrompts } from "./test-fixtures";
import { loadModelWeights } from "./weights";
import { leftPadBatch } from "./text-batch";

const fixture = loadGoldenFixture();
const report: string[] = [];
afterAll(() => console.info(`golden logits, max |engine - reference| per case:\n${report.join("\n")}`));

type GoldenConfig = (typeof fixture.configs)[number];
type GoldenCase = GoldenConfig["cases"][number];

/** The reference of a variant: the fixture for float32; the dequantized float32 engine for q8 / q4. */
interface Reference {
  logitsAt(c: GoldenCase, b: number, t: number): ArrayLike<number>;
  maxAbs(c: GoldenCase): number;
  greedy(c: GoldenCase): Promise<number[][]>;
}

function fixtureReference(): Reference {
  return { logitsAt, maxAbs: (c) => c.logitsMaxAbs, greedy: (c) => Promise.resolve(c.greedy) };
}

function dequantizedReference(model: () => CausalLM, mode: TQuantizeOption): Reference & { dispose(): Promise<void> } {
  let ref: CausalLM | undefined;
  const get = () => {
    const m = model();
    const source = resolveQuantize(mode);
    if (!source) throw new Error("unreachable: a quantized mode");
    // loadModel drops the float32 copies of the packed layers: read them again.
    const d = dequantizedModel(m.config, loadModelWeights(m.dir, m.config).weights, source);
    return (ref ??= new CausalLM(m.dir, d.config, d.weights, null, m.sessionConfig));
  };
  const logits = new Map<GoldenCase, Float32Array>();
  return {
    logitsAt: (c, b, t) => {
      const all = logits.get(c);
      if (!all) throw new Error("reference logits not computed");
      const [, T, V] = c.logitsShape;
      return all.subarray((b * T + t) * V, (b * T + t + 1) * V);
    },
    maxAbs: (c) => Math.max(...Array.from(logits.get(c) ?? [], Math.abs)),
    greedy: async (c) => {
      const r = await generate(get(), {
        prompts: goldenPrompts(c),
        maxNewTokens: fixture.maxNewTokens,
        params: { temperature: 0 },
      });
      return r.candidates.map((x) => x.tokenIds);
    },
    async prepare(c: GoldenCase) {
      if (!logits.has(c)) logits.set(c, (await get().decode(goldenBatch(c), null, "all")).logits.data);
    },
    dispose: async () => ref?.dispose(),
  } as Reference & { dispose(): Promise<void>; prepare(c: GoldenCase): Promise<void> };
}

const variants = fixture.configs.flatMap((g) => WEIGHT_VARIANTS.map((v) => ({ g, v, name: g.name, label: v.label })));

describe.each(variants)("golden $name, weights $label", ({ g, v }) => {
  const mode = typeof v.quantize === "string" ? v.quantize : v.quantize.mode;
  let model: CausalLM;
  const get = () => (model ??= loadModel(g.dir, { session: { intraOpThreads: 1 }, quantize: v.quantize }));
  const dq = mode === "none" ? null : dequantizedReference(get, v.quantize);
  const reference: Reference = dq ?? fixtureReference();
  afterAll(async () => {
    await model?.dispose();
    await dq?.dispose();
  });

  it("builds MatMulNBits for every linear layer and the LM head when quantized, none in float32", () => {
    const nodes = get()
      .graph("decode-last")
      .nodes.filter((n) => n.opType === "MatMulNBits");
    expect(nodes.length).toBe(mode === "none" ? 0 : g.config.num_hidden_layers * 4 + 1);
    for (const n of nodes) expect(n.attributes.bits).toEqual({ kind: "int", value: mode === "q8" ? 8 : 4 });
  });

  it.each(g.cases)(`matches the reference logits ($name case) within ${v.rel} x max|logit|`, async (c) => {
    const [B, T, V] = c.logitsShape;
    const { logits } = await get().decode(goldenBatch(c), null, "all");
    expect(logits.shape).toEqual([B, T, V]);
    await (dq as { prepare?: (c: GoldenCase) => Promise<void> } | null)?.prepare?.(c);
    const budget = v.rel * reference.maxAbs(c);
    let worst = { err: 0, at: "" };
    let compared = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        if (!isRealPosition(c, b, t)) continue;
        const ref = reference.logitsAt(c, b, t);
        for (let v = 0; v < V; v++) {
          const got = logits.data[(b * T + t) * V + v] ?? NaN;
          const err = Math.abs(got - (ref[v] ?? NaN));
          if (!(err <= worst.err)) worst = { err, at: `[${b}, ${t}, ${v}] engine ${got} reference ${ref[v]}` };
          compared++;
        }
      }
    }
    report.push(
      `  ${g.name}/${c.name} (${v.label}): ${worst.err.toExponential(2)} (${(worst.err / reference.maxAbs(c)).toExponential(2)} of max|logit| ${reference.maxAbs(c).toFixed(2)}; PyTorch fp32 ${c.fp32MaxAbsDiff.toExponential(2)})`,
    );
    expect(compared).toBe(c.attentionMask.flat().filter((m) => m === 1).length * V);
    expect(worst.err, `worst at ${worst.at}`).toBeLessThanOrEqual(budget);
  });

  it.each(g.cases)("greedy continuation through the KV cache equals the reference exactly ($name case)", async (c) => {
    const result = await generate(get(), {
      prompts: goldenPrompts(c),
      maxNewTokens: fixture.maxNewTokens,
      params: { temperature: 0 },
    });
    const tokens = result.candidates.map((x) => x.tokenIds);
    if (v.rel <= 1e-4) expect(tokens).toEqual(await reference.greedy(c));
    else {
      // int8 activations: the tokens are the argmax of the model's own full pass over prompt + continuation.
      const prompts = goldenPrompts(c);
      for (const [i, prompt] of prompts.entries()) {
        const gen = tokens[i] ?? [];
        const { logits } = await get().decode(leftPadBatch([[...prompt, ...gen]], 0), null, "all");
        const V = logits.shape[2] ?? 0;
        const picks = gen.map((_, j) => {
          const row = logits.data.subarray((prompt.length - 1 + j) * V, (prompt.length + j) * V);
          return row.indexOf(Math.max(...row));
        });
        expect(picks, `row ${i}`).toEqual(gen);
      }
    }
    expect(result.candidates.every((x) => x.finishReason === "length")).toBe(true);
  });

  it("decode-last gives the decode logits of the last position", async () => {
    const c = g.cases.find((k) => k.name === "batch") ?? g.cases[0];
    if (!c) throw new Error("no case");
    const [B, T, V] = c.logitsShape;
    const all = await get().decode(goldenBatch(c), null, "all");
    const last = await get().decode(goldenBatch(c), null, "last");
    expect(last.logits.shape).toEqual([B, 1, V]);
    for (let b = 0; b < B; b++) {
      const row = all.logits.data.subarray((b * T + T - 1) * V, (b * T + T) * V);
      expect(Array.from(last.logits.data.subarray(b * V, (b + 1) * V))).toEqual(Array.from(row));
    }
  });
});
