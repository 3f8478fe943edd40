// The graphs one model definition yields, with Optimum / transformers.js input and output names:
// decode (prefill and step, logits at every position or the last only), score, reward. Not sessions.
// Legend: B batch, T new tokens, P past, S = P + T, KV key/value heads, D head_dim, V vocab.
import { fromNumbers, GraphBuilder, type Graph, type Value } from "../ir";
import * as op from "../ops";
import type { TKeyValue } from "./attention";
import type { TModelConfig } from "./config";
import { decoder, lmHead } from "./decoder";
import type { TRopeTables } from "./rope";
import { param, SCORE_WEIGHT, type TParams } from "./weights";

export const GRAPH_KINDS = ["decode", "decode-last", "score", "reward"] as const;
/** decode: logits [B, T, V]; decode-last: logits [B, 1, V] at the last position (what generation reads). */
export type TGraphKind = (typeof GRAPH_KINDS)[number];

/** A model's config, RoPE tables and parameters (frozen weights, optional LoRA, optional trainable names). */
export interface TGraphSource extends TParams {
  readonly config: TModelConfig;
  readonly rope: TRopeTables;
}

const TO_END = 2 ** 31 - 1;

function textInputs(b: GraphBuilder, keys: string): { inputIds: Value; attentionMask: Value; positionIds: Value } {
  return {
    inputIds: b.input("input_ids", "int64", ["batch", "seq"]),
    attentionMask: b.input("attention_mask", "int64", ["batch", keys]),
    positionIds: b.input("position_ids", "int64", ["batch", "seq"]),
  };
}

/**
 * input_ids, attention_mask [B, P+T], position_ids, past_key_values.{l}.key|value [B, KV, P, D]
 * -> logits [B, T, V] (or [B, 1, V]), present.{l}.key|value [B, KV, P+T, D]. Prefill feeds P = 0.
 */
function decodeGraph(s: TGraphSource, isLastOnly: boolean): Graph {
  const c = s.config;
  const b = new GraphBuilder(isLastOnly ? "decode_last" : "decode");
  const inputs = textInputs(b, "past+seq");
  const past: TKeyValue[] = [];
  for (let l = 0; l < c.numHiddenLayers; l++) {
    const kv = (what: string) =>
      b.input(`past_key_values.${l}.${what}`, "float32", ["batch", c.numKeyValueHeads, "past", c.headDim]);
    past.push({ key: kv("key"), value: kv("value") });
  }
  const out = decoder(b, c, s, s.rope, { ...inputs, past });
  const hidden = isLastOnly
    ? op.slice(b, out.hidden, { starts: [-1], ends: [TO_END], axes: [1] }, { name: "last_hidden" })
    : out.hidden; // [B, T', H]
  b.output(lmHead(b, c, s, hidden, out.embedTokens), "logits");
  out.present.forEach((kv, l) => {
    b.output(kv.key, `present.${l}.key`);
    b.output(kv.value, `present.${l}.value`);
  });
  return b.build();
}

/**
 * input_ids, attention_mask [B, T], position_ids, completion_mask [B, T] (1 at scored tokens), temperature []
 * -> token_logprobs [B, T]: log p(input_ids[t] | tokens before t) under logits / temperature where
 * completion_mask is 1 (position 0, which nothing predicts, and unmasked positions give 0);
 * sum_logprobs [B]: their sum.
 */
function scoreGraph(s: TGraphSource): Graph {
  const c = s.config;
  const b = new GraphBuilder("score");
  const inputs = textInputs(b, "seq");
  const completionMask = b.input("completion_mask", "int64", ["batch", "seq"]);
  const temperature = b.input("temperature", "float32", []);
  const out = decoder(b, c, s, s.rope, { ...inputs, past: null });
  const logits = lmHead(b, c, s, out.hidden, out.embedTokens); // [B, T, V]
  const logprobs = op.logSoftmax(b, op.div(b, logits, temperature), { axis: -1 }); // [B, T, V]
  b.scope("score", () => {
    const ids = inputs.inputIds;
    // Position t predicts token t + 1; the wrapped-around last entry is discarded below.
    const next = op.concat(
      b,
      [
        op.slice(b, ids, { starts: [1], ends: [TO_END], axes: [1] }),
        op.slice(b, ids, { starts: [0], ends: [1], axes: [1] }),
      ],
      { axis: 1 },
    ); // [B, T]
    const picked = op.squeeze(b, op.gatherElements(b, logprobs, op.unsqueeze(b, next, [2]), { axis: 2 }), [2]); // [B, T]
    const aligned = op.concat(
      b,
      [
        op.slice(b, picked, { starts: [-1], ends: [TO_END], axes: [1] }),
        op.slice(b, picked, { starts: [0], ends: [-1], axes: [1] }),
      ],
      { axis: 1 },
    ); // [B, T]
    const position = op.range(b, 0, op.gather(b, op.shape(b, ids), op.int64Scalar(b, 1)), 1); // [T]
    const isScored = op.and(
      b,
      op.cast(b, completionMask, "bool"),
      op.greater(b, op.unsqueeze(b, position, [0]), op.int64Scalar(b, 0)),
    ); // [B, T]
    const zero = b.constant(fromNumbers("float32", [], [0]), "zero");
    const tokenLogprobs = op.where(b, isScored, aligned, zero); // [B, T]
    b.output(tokenLogprobs, "token_logprobs");
    b.output(op.reduceSum(b, tokenLogprobs, [1], { keepdims: 0 }), "sum_logprobs"); // [B]
  });
  return b.build();
}

/**
 * input_ids, attention_mask [B, T], position_ids -> rewards [B]: `score.weight` [1, H] applied to the final
 * hidden state at the token Hugging Face's sequence classification reads (`rewardHead`).
 */
function rewardGraph(s: TGraphSource): Graph {
  const c = s.config;
  const b = new GraphBuilder("reward");
  const inputs = textInputs(b, "seq");
  const out = decoder(b, c, s, s.rope, { ...inputs, past: null });
  b.output(rewardHead(b, s, out.hidden, inputs.inputIds, inputs.attentionMask, c.padTokenId), "rewards"); // [B]
  return b.build();
}

/**
 * hidden [B, T, H] -> rewards [B]: `score.weight` at Hugging Face's position (`*ForSequenceClassification`):
 * with a `pad_token_id`, the rightmost position whose input id is not the pad id, the attention mask unread
 * (argmax of position * (id != pad): 0 when the row is all pads). So when pad == EOS, a row ending in EOS is
 * read at the token before it, as HF reads an exported model. Without a pad id HF takes the last position and
 * refuses batches; here the last position whose attention_mask is 1, the same for one unpadded row.
 */
export function rewardHead(
  b: GraphBuilder,
  params: TParams,
  hidden: Value,
  ids: Value,
  mask: Value,
  padTokenId: number | null,
): Value {
  const head = op.transpose(b, param(b, params, SCORE_WEIGHT), { perm: [1, 0] }); // [H, 1]
  const perToken = op.squeeze(b, op.matMul(b, hidden, head), [2], { name: "token_scores" }); // [B, T]
  const position = op.range(b, 0, op.gather(b, op.shape(b, mask), op.int64Scalar(b, 1)), 1); // [T]
  const counted =
    padTokenId === null
      ? mask
      : op.cast(b, op.not(b, op.equal(b, ids, op.int64Scalar(b, padTokenId, "pad_token_id"))), "int64"); // [B, T]
  const last = op.reduceMax(
    b,
    op.mul(b, counted, op.unsqueeze(b, position, [0])),
    [1],
    { keepdims: 1 },
    { name: "last_index" },
  ); // [B, 1]
  return op.squeeze(b, op.gatherElements(b, perToken, last, { axis: 1 }), [1]); // [B]
}

export function buildGraph(kind: TGraphKind, source: TGraphSource): Graph {
  switch (kind) {
    case "decode":
      return decodeGraph(source, false);
    case "decode-last":
      return decodeGraph(source, true);
    case "score":
      return scoreGraph(source);
    case "reward":
      return rewardGraph(source);
  }
}
