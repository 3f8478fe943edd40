// GRPO's loss aggregations (TRL's `loss_type`: grpo, dapo, bnpo, dr_grpo) through the real step graph, against
// their definitions computed by hand: with the sampling policy equal to the trained one (ratio 1) and beta 0,
// every token of completion i has loss -A_i, so each aggregation is a closed form of the advantages and the
// completion lengths. Also RLOO's logged kl as a per-token mean (TRL 1.x).
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tensor } from "../ir";
import { loadModel, type CausalLM } from "../model";
import { batchTensors, rightPadBatch } from "./data/batch";
import type { TGrpoLossType } from "./losses";
import { rlExtraMetrics } from "./rl";
import { lossUnitOf, type TObjective } from "./step-graph";
import { StepRunner } from "./step-runner";
import { TrainableModel } from "./trainable";

const DIR = path.join(import.meta.dirname, "../fixtures/golden/llama-tied");
const SESSION = { intraOpThreads: 1 };
const models: CausalLM[] = [];
afterAll(async () => Promise.all(models.map((m) => m.dispose())));

const LENGTHS = [2, 5, 3, 7];
const A = [1.0, -0.5, 0.3, -0.8];
const MAX_NEW = 16;
const rows = LENGTHS.map((n, i) => ({
  line: i + 1,
  promptIds: [1, 5 + i, 9],
  completionIds: Array.from({ length: n }, (_, t) => 3 + ((i * 11 + t * 7) % 100)),
}));

describe("GRPO loss types", () => {
  const expected: Record<TGrpoLossType, number> = {
    grpo: -A.reduce((a, x) => a + x, 0) / A.length, // mean over sequences of each one's token mean
    dapo: -A.reduce((a, x, i) => a + x * (LENGTHS[i] ?? 0), 0) / LENGTHS.reduce((a, n) => a + n, 0),
    bnpo: -A.reduce((a, x, i) => a + x * (LENGTHS[i] ?? 0), 0) / LENGTHS.reduce((a, n) => a + n, 0), // one micro-batch
    dr_grpo: -A.reduce((a, x, i) => a + x * (LENGTHS[i] ?? 0), 0) / (A.length * MAX_NEW),
  };

  it.each(Object.keys(expected) as TGrpoLossType[])("%s", async (lossType) => {
    const base = loadModel(DIR, { session: SESSION, tokenizer: false });
    models.push(base);
    const { batch, completionMask } = batchTensors(rightPadBatch(rows, 0));
    const old = (await base.score(batch, completionMask)).tokenLogprobs; // the policy's own: ratio 1
    const [B, T] = batch.inputIds.shape as [number, number];
    const lora = { r: 2, alpha: 4, dropout: 0, targetModules: ["q_proj"] };
    const model = new TrainableModel(base.config, base.weights, { body: "lora", lora, head: false, seed: 0 });
    const objective: TObjective = {
      kind: "grpo",
      temperature: 1,
      epsilon: 0.2,
      beta: 0,
      lossType,
      maxCompletionLength: MAX_NEW,
    };
    const runner = await StepRunner.create(model, objective, SESSION);
    try {
      const r = await runner.run(
        {
          input_ids: batch.inputIds,
          attention_mask: batch.attentionMask,
          position_ids: batch.positionIds,
          completion_mask: completionMask,
          advantages: tensor("float32", [B], Float32Array.from(A)),
          old_logps: tensor("float32", [B, T], old),
          ref_logps: tensor("float32", [B, T], old),
        },
        false,
      );
      const counts = { tokens: LENGTHS.reduce((a, n) => a + n, 0), sequences: B, pairs: 0, prompts: 1 };
      expect(lossUnitOf(objective)).toBe(lossType === "dapo" ? "tokens" : "sequences");
      expect(r.lossSum / counts[lossUnitOf(objective)]).toBeCloseTo(expected[lossType], 5);
    } finally {
      await runner.dispose();
    }
  });

  it("the four differ on this batch (so each test above names one aggregation)", () => {
    expect(new Set(Object.values(expected).map((x) => x.toFixed(4))).size).toBe(3); // bnpo = dapo in one micro-batch
  });
});

describe("RLOO's logged kl", () => {
  it("is a mean over completion tokens (TRL 1.x), reward and completion length means over sequences", () => {
    const extra = rlExtraMetrics("rloo", [1, 2], [0.5, 0.25], [3, 1]);
    expect(extra).toEqual({
      reward: { sum: 3, unit: "sequences" },
      completion_length: { sum: 4, unit: "sequences" },
      kl: { sum: 0.75, unit: "tokens" },
    });
    expect(rlExtraMetrics("grpo", [1, 2], [0.4, 0.2], [3, 1]).kl).toBeUndefined();
  });
});
