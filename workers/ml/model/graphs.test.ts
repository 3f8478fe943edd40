// The graphs' interfaces: Optimum / transformers.js input and output names, dtypes and symbolic shapes, and
// parameters that are exactly the Hugging Face state-dict tensors (what training differentiates).
import { describe, expect, it } from "vitest";
import { hfTensorSpecs } from "../checkpoint/hf-tensors";
import { typeToString, type Graph } from "../ir";
import { loadGoldenFixture } from "../reference/golden/golden-fixture";
import { loadModel } from "./causal-lm";
import { SCORE_WEIGHT } from "./weights";

const fixture = loadGoldenFixture();
const signature = (values: Graph["inputs"]) => values.map((v) => `${v.name}: ${typeToString(v.type)}`);
const parameters = (g: Graph) =>
  g.initializers
    .filter((i) => i.value.kind === "parameter")
    .map((i) => i.value.name)
    .sort();

describe.each(fixture.configs)("graphs of $name", (g) => {
  const model = loadModel(g.dir);
  const c = model.config;
  const kv = `${c.numKeyValueHeads}, `;
  const D = c.headDim;
  const hfNames = hfTensorSpecs(c)
    .map((t) => t.name)
    .sort();

  it("decode: input_ids, attention_mask, position_ids, past_key_values -> logits, present", () => {
    const graph = model.graph("decode");
    const layers = Array.from({ length: c.numHiddenLayers }, (_, l) => l);
    expect(signature(graph.inputs)).toEqual([
      "input_ids: int64[batch, seq]",
      "attention_mask: int64[batch, past+seq]",
      "position_ids: int64[batch, seq]",
      ...layers.flatMap((l) => [
        `past_key_values.${l}.key: float32[batch, ${kv}past, ${D}]`,
        `past_key_values.${l}.value: float32[batch, ${kv}past, ${D}]`,
      ]),
    ]);
    expect(signature(graph.outputs)).toEqual([
      `logits: float32[batch, seq, ${c.vocabSize}]`,
      ...layers.flatMap((l) => [
        `present.${l}.key: float32[batch, ${kv}past+seq, ${D}]`,
        `present.${l}.value: float32[batch, ${kv}past+seq, ${D}]`,
      ]),
    ]);
    expect(parameters(graph)).toEqual(hfNames);
    expect(signature(model.graph("decode-last").outputs)[0]).toBe(`logits: float32[batch, 1, ${c.vocabSize}]`);
  });

  it("score and reward: their inputs and outputs, the reward head as score.weight", () => {
    const score = model.graph("score");
    expect(signature(score.inputs)).toEqual([
      "input_ids: int64[batch, seq]",
      "attention_mask: int64[batch, seq]",
      "position_ids: int64[batch, seq]",
      "completion_mask: int64[batch, seq]",
      "temperature: float32[]",
    ]);
    expect(signature(score.outputs)).toEqual(["token_logprobs: float32[batch, seq]", "sum_logprobs: float32[batch]"]);
    expect(parameters(score)).toEqual(hfNames);
    const reward = model.graph("reward");
    expect(signature(reward.outputs)).toEqual(["rewards: float32[batch]"]);
    expect(parameters(reward)).toEqual([...hfNames, SCORE_WEIGHT].sort().filter((n) => n !== "lm_head.weight"));
  });
});
