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
});
