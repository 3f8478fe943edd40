// The engine against the golden fixture (PyTorch float64, reference/golden): logits at every real position of
// the single and left-padded batch cases, and the 8-token greedy continuations through generate's KV cache.
// Regenerate the fixture with `/usr/bin/python3 workers/ml/reference/golden/make_golden.py` (see its README).
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../generate/generate";
import { isRealPosition, loadGoldenFixture, logitsAt } from "../reference/golden/golden-fixture";
import { loadModel, type CausalLM } from "./causal-lm";
import { goldenBatch, goldenPrompts } from "./test-fixtures";

const fixture = loadGoldenFixture();
const report: string[] = [];
afterAll(() => console.info(`golden logits, max |engine - reference| per case:\n${report.join("\n")}`));

describe.each(fixture.configs)("golden $name", (g) => {
  let model: CausalLM;
  const get = () => (model ??= loadModel(g.dir, { session: { intraOpThreads: 1 } }));
  afterAll(() => model?.dispose());

  it.each(g.cases)("matches the reference logits ($name case) within 1e-4 x max|logit|", async (c) => {
    const [B, T, V] = c.logitsShape;
    const { logits } = await get().decode(goldenBatch(c), null, "all");
    expect(logits.shape).toEqual([B, T, V]);
    const budget = 1e-4 * c.logitsMaxAbs;
    let worst = { err: 0, at: "" };
    let compared = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        if (!isRealPosition(c, b, t)) continue;
        const ref = logitsAt(c, b, t);
        for (let v = 0; v < V; v++) {
          const got = logits.data[(b * T + t) * V + v] ?? NaN;
          const err = Math.abs(got - (ref[v] ?? NaN));
          if (!(err <= worst.err)) worst = { err, at: `[${b}, ${t}, ${v}] engine ${got} reference ${ref[v]}` };
          compared++;
        }
      }
    }
    report.push(
      `  ${g.name}/${c.name}: ${worst.err.toExponential(2)} (${(worst.err / c.logitsMaxAbs).toExponential(2)} of max|logit| ${c.logitsMaxAbs.toFixed(2)}; PyTorch fp32 ${c.fp32MaxAbsDiff.toExponential(2)})`,
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
    expect(result.candidates.map((x) => x.tokenIds)).toEqual(c.greedy);
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
