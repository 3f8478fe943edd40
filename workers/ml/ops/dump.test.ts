// The text dump of a small attention-shaped graph, as a reviewed snapshot.
import { describe, expect, it } from "vitest";
import { dumpGraph, fromNumbers, GraphBuilder } from "../ir";
import * as op from "./index";

describe("dumpGraph", () => {
  it("prints one line per node with types and attributes", () => {
    const b = new GraphBuilder("attn");
    const x = b.input("x", "float32", ["batch", "seq", 4]);
    const past = b.input("past_key_values.0.key", "float32", ["batch", 1, "past", 4]);
    const q = b.scope("model.layers.0.self_attn", () => {
      const w = b.parameter("q_proj.weight_t", fromNumbers("float32", [4, 4], new Array<number>(16).fill(0.5)));
      return op.matMul(b, x, w, { name: "q" });
    });
    const k = op.concat(b, [past, op.unsqueeze(b, q, [1])], { axis: 2 }, { name: "present.0.key" });
    const scores = op.matMul(b, op.unsqueeze(b, q, [1]), op.transpose(b, k, { perm: [0, 1, 3, 2] }));
    const probs = op.softmax(b, scores, { axis: -1 });
    b.output(probs, "probs");
    b.output(k);
    expect(dumpGraph(b.build())).toBe(`graph attn (opset 18)
  input %x : float32[batch, seq, 4]
  input %past_key_values.0.key : float32[batch, 1, past, 4]
  parameter %model.layers.0.self_attn.q_proj.weight_t : float32[4, 4]
  constant %const : int64[1] = [1]
  constant %const_1 : int64[1] = [1]
  %model.layers.0.self_attn.q = MatMul(%x, %model.layers.0.self_attn.q_proj.weight_t) : float32[batch, seq, 4]
  %Unsqueeze = Unsqueeze(%model.layers.0.self_attn.q, %const) : float32[batch, 1, seq, 4]
  %present.0.key = Concat(%past_key_values.0.key, %Unsqueeze) {axis=2} : float32[batch, 1, past+seq, 4]
  %Unsqueeze_1 = Unsqueeze(%model.layers.0.self_attn.q, %const_1) : float32[batch, 1, seq, 4]
  %Transpose = Transpose(%present.0.key) {perm=[0, 1, 3, 2]} : float32[batch, 1, 4, past+seq]
  %MatMul = MatMul(%Unsqueeze_1, %Transpose) : float32[batch, 1, seq, past+seq]
  %probs = Softmax(%MatMul) {axis=-1} : float32[batch, 1, seq, past+seq]
  output %probs : float32[batch, 1, seq, past+seq]
  output %present.0.key : float32[batch, 1, past+seq, 4]
`);
  });
});
