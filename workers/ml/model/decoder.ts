// The Llama-family decoder as one code path: embeddings, N x (RMSNorm, attention, RMSNorm, SwiGLU MLP) with
// residuals, final norm, LM head. Config fields choose the variants; no model-type branches. Not graph I/O
// (graphs.ts). Legend: B batch, T new tokens, S = past + T, H hidden, I intermediate, V vocab.
import type { GraphBuilder, Value } from "../ir";
import * as op from "../ops";
import { selfAttention, type TKeyValue } from "./attention";
import type { TModelConfig } from "./config";
import { fusedLinear, trainedLinear } from "./linear";
import { attentionBias, dimOf } from "./mask";
import { quantizedLmHead } from "./quantized-linear";
import { rmsNorm } from "./rms-norm";
import { ropeFactors, type TRopeTables } from "./rope";
import { param, type TParams } from "./weights";

export interface TDecoderInputs {
  readonly inputIds: Value; // int64 [B, T]
  readonly attentionMask: Value; // int64 [B, S]
  readonly positionIds: Value; // int64 [B, T]
  /** Per layer [B, KV, P, D], or null for a graph without a cache (P = 0). */
  readonly past: readonly TKeyValue[] | null;
}

export interface TDecoderOutputs {
  /** After the final norm, [B, T, H]. */
  readonly hidden: Value;
  readonly present: readonly TKeyValue[];
  /** model.embed_tokens.weight, [V, H] (the tied LM head reads it). */
  readonly embedTokens: Value;
}

/** silu(gate_proj(x)) * up_proj(x) through down_proj, gate and up as one MatMul. */
function swiGlu(b: GraphBuilder, c: TModelConfig, params: TParams, x: Value): Value {
  return b.scope("mlp", () => {
    const gateUp = fusedLinear(b, params, x, ["gate_proj", "up_proj"], false, "gate_up_proj"); // [B, T, 2I]
    const [gate, up] = op.split(b, gateUp, [c.intermediateSize, c.intermediateSize], { axis: -1 }) as [Value, Value]; // [B, T, I]
    const act = op.mul(b, gate, op.sigmoid(b, gate), { name: "silu" }); // [B, T, I]
    return fusedLinear(b, params, op.mul(b, act, up), ["down_proj"], false, "down_proj"); // [B, T, H]
  });
}

export function decoder(
  b: GraphBuilder,
  c: TModelConfig,
  params: TParams,
  rope: TRopeTables,
  inputs: TDecoderInputs,
): TDecoderOutputs {
  return b.scope("model", () => {
    const embedTokens = param(b, params, "embed_tokens.weight"); // [V, H]
    let h = op.gather(b, embedTokens, inputs.inputIds, {}, { name: "embed_tokens" }); // [B, T, H]
    const newTokens = dimOf(b, inputs.inputIds, 1, "new_tokens"); // T
    const ctx = {
      rope: ropeFactors(b, inputs.positionIds, rope),
      bias: attentionBias(b, inputs.attentionMask, newTokens, c.numAttentionHeads / c.numKeyValueHeads),
    };
    const present: TKeyValue[] = [];
    for (let l = 0; l < c.numHiddenLayers; l++) {
      h = b.scope(`layers.${l}`, () => {
        const x = rmsNorm(b, h, param(b, params, "input_layernorm.weight"), c.rmsNormEps, "input_layernorm"); // [B, T, H]
        const attn = b.scope("self_attn", () => selfAttention(b, c, params, x, ctx, inputs.past?.[l] ?? null));
        present.push(attn.present);
        const h1 = op.add(b, h, attn.out, { name: "residual_attn" }); // [B, T, H]
        const y = rmsNorm(
          b,
          h1,
          param(b, params, "post_attention_layernorm.weight"),
          c.rmsNormEps,
          "post_attention_layernorm",
        ); // [B, T, H]
        return op.add(b, h1, swiGlu(b, c, params, y), { name: "residual_mlp" }); // [B, T, H]
      });
    }
    const hidden = rmsNorm(b, h, param(b, params, "norm.weight"), c.rmsNormEps, "norm"); // [B, T, H]
    return { hidden, present, embedTokens };
  });
}

/** hidden [B, T', H] -> logits [B, T', V] through lm_head.weight, or the embeddings when tied. */
export function lmHead(b: GraphBuilder, c: TModelConfig, params: TParams, hidden: Value, embedTokens: Value): Value {
  const headName = c.tieWordEmbeddings ? embedTokens.name : "lm_head.weight";
  if (params.quantize?.lmHead === true && params.trainable?.has(headName) !== true)
    return quantizedLmHead(b, params.quantize, params.weights, hidden, headName); // [B, T', V]
  const w = c.tieWordEmbeddings ? embedTokens : param(b, params, "lm_head.weight"); // [V, H]
  if (w.kind === "input") return b.scope("lm_head", () => trainedLinear(b, hidden, [w], [])); // trained: no [H, V] copy
  // NOTE: Transpose of an initializer: folded into a [H, V] matrix when the session is created.
  return op.matMul(b, hidden, op.transpose(b, w, { perm: [1, 0] }, { name: "lm_head.weight_t" }), { name: "lm_head" }); // [B, T', V]
}
