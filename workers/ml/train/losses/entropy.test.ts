// The `entropy` metric of the SFT graph against the entropy computed in float64 from the decode graph's
// logits: the sum over scored tokens t of -sum_v p log p of the distribution at t - 1.
import { afterAll, describe, expect, it } from "vitest";
import path from "node:path";
import { loadModel } from "../../model";
import { rightPadBatch, batchTensors } from "../data/batch";
import { sftFeeds } from "../feeds";
import { StepRunner } from "../step-runner";
import { TrainableModel } from "../trainable";
import { DEFAULT_LORA_CONFIG } from "../lora";

const m = loadModel(path.join(import.meta.dirname, "../../fixtures/golden/llama-tied"), {
  session: { intraOpThreads: 1 },
  tokenizer: false,
});
afterAll(() => m.dispose());

describe("entropy metric", () => {
  it("equals the float64 entropy of the predicting distributions over scored tokens", async () => {
    const examples = [
      { line: 1, promptIds: [1, 5, 9], completionIds: [14, 20, 2] },
      { line: 2, promptIds: [1, 7], completionIds: [3, 11, 4, 60, 2] },
    ];
    const model = new TrainableModel(m.config, m.weights, {
      body: "lora",
      lora: { ...DEFAULT_LORA_CONFIG, r: 2, alpha: 2 },
      head: false,
      seed: 1,
    });
    const runner = await StepRunner.create(model, { kind: "sft" }, { intraOpThreads: 1 });
    const got = (await runner.run(sftFeeds(examples, 0).feeds, false)).metrics.entropy ?? NaN;
    await runner.dispose();
    const tb = rightPadBatch(examples, 0);
    const [B, T] = tb.shape;
    const { logits } = await m.decode(batchTensors(tb).batch, null, "all");
    const V = logits.shape[2] ?? 0;
    let want = 0;
    for (let b = 0; b < B; b++)
      for (let t = 1; t < T; t++) {
        if (tb.completionMask[b * T + t] !== 1n) continue;
        const row = Array.from(logits.data.subarray((b * T + t - 1) * V, (b * T + t) * V));
        const max = Math.max(...row);
        const z = row.reduce((a, x) => a + Math.exp(x - max), 0);
        want -= row.reduce((a, x) => {
          const lp = x - max - Math.log(z);
          return a + Math.exp(lp) * lp;
        }, 0);
      }
    expect(got).toBeCloseTo(want, 3);
  });
});
