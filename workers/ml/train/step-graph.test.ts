// The step graph's guards: a graph with nothing to train, or a trained tensor the objective never reads, is an
// error at build time (a silent zero gradient would train nothing).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel, ropeTables } from "../model";
import { buildStepGraph } from "./step-graph";

const m = loadModel(path.join(import.meta.dirname, "../fixtures/golden/llama-tied"), { tokenizer: false });
const source = { config: m.config, weights: m.weights, rope: ropeTables(m.config) };

describe("buildStepGraph", () => {
  it("refuses a graph with no trainable tensor", () => {
    expect(() => buildStepGraph({ ...source, trainable: new Set() }, { kind: "sft" })).toThrow(
      "a training graph needs at least one trainable tensor",
    );
  });

  it("refuses a trainable tensor the objective never reads", () => {
    // The language-model objectives do not read the reward head.
    expect(() => buildStepGraph({ ...source, trainable: new Set(["score.weight"]) }, { kind: "pretrain" })).toThrow(
      "the pretrain graph never reads the trainable tensor(s) score.weight",
    );
  });

  it("builds the evaluation graph without gradient outputs", () => {
    const train = buildStepGraph({ ...source, trainable: new Set(["model.norm.weight"]) }, { kind: "pretrain" });
    const evaluation = buildStepGraph(
      { ...source, trainable: new Set(["model.norm.weight"]) },
      { kind: "pretrain" },
      { gradients: false },
    );
    expect(train.graph.outputs.map((o) => o.name)).toContain("grad.model.norm.weight");
    expect(evaluation.graph.outputs.map((o) => o.name)).toEqual(["loss_sum", "metric.entropy"]);
  });

  it("refuses hyper-parameters out of TRL's ranges", () => {
    const t = { ...source, trainable: new Set(["model.norm.weight"]) };
    const dpo = { kind: "dpo", lossType: "robust", beta: 0.1, labelSmoothing: 0 } as const;
    expect(() => buildStepGraph(t, { ...dpo, labelSmoothing: 0.5 })).toThrow(
      "dpo: labelSmoothing must be in [0, 0.5), got 0.5",
    );
    expect(() => buildStepGraph(t, { ...dpo, beta: 0 })).toThrow("dpo: beta must be > 0, got 0");
    expect(() => buildStepGraph(t, { kind: "grpo", temperature: 1, epsilon: 1, beta: 0, lossType: "grpo" })).toThrow(
      "grpo: epsilon must be in (0, 1), got 1",
    );
    expect(() => buildStepGraph(t, { kind: "rloo", temperature: 0 })).toThrow("rloo: temperature must be > 0, got 0");
  });
});
