// The additive attention bias shared by every layer: causal AND padding, laid out for grouped-query rows.
// Legend: B batch, T new tokens, S = past + T keys, G = num_attention_heads / num_key_value_heads.
//
// Row t*G + r of a key/value group is query head (group*G + r) at new token t (attention.ts), so the bias
// has T*G rows. New token t sits at absolute key index S - T + t: it may see key j iff j <= S - T + t and
// attention_mask[b, j] = 1.
// NOTE: a disallowed entry gets float32's lowest finite value (HF's eager path does the same), not -inf:
// a row with no allowed key (a left-pad query) then softmaxes to a uniform row instead of NaN.
import { fromNumbers, type GraphBuilder, type Value } from "../ir";
import * as op from "../ops";

const FLOAT32_LOWEST = -3.4028234663852886e38;

/** A 0-D int64 value holding x's size along `axis`. */
export function dimOf(b: GraphBuilder, x: Value, axis: number, name: string): Value {
  return op.gather(b, op.shape(b, x), op.int64Scalar(b, axis), {}, { name });
}

/** Bias [B, 1, T*G, S] (0 where allowed, lowest float where not) from attention_mask [B, S] and T. */
export function attentionBias(b: GraphBuilder, attentionMask: Value, newTokens: Value, groupSize: number): Value {
  return b.scope("attention_bias", () => {
    const keys = dimOf(b, attentionMask, 1, "keys"); // S
    const past = op.sub(b, keys, newTokens, { name: "past" }); // S - T
    const rows = op.range(b, 0, op.mul(b, newTokens, op.int64Scalar(b, groupSize)), 1, { name: "rows" }); // [T*G]
    const queryAt = op.add(b, past, op.div(b, rows, op.int64Scalar(b, groupSize)), { name: "query_at" }); // [T*G]
    const keyAt = op.range(b, 0, keys, 1, { name: "key_at" }); // [S]
    const isFuture = op.greater(b, op.unsqueeze(b, keyAt, [0]), op.unsqueeze(b, queryAt, [1])); // [T*G, S]
    const isKey = op.unsqueeze(b, op.cast(b, attentionMask, "bool"), [1, 2]); // [B, 1, 1, S]
    const allowed = op.and(b, op.not(b, isFuture), isKey, { name: "allowed" }); // [B, 1, T*G, S]
    const zero = b.constant(fromNumbers("float32", [], [0]), "zero");
    const lowest = b.constant(fromNumbers("float32", [], [FLOAT32_LOWEST]), "lowest");
    return op.where(b, allowed, zero, lowest, { name: "bias" }); // [B, 1, T*G, S]
  });
}
