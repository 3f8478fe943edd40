// Left-padded int64 batches of token ids with attention_mask and position_ids, as the graphs take them.
// Plain arrays in, IR tensors out; no model, no sessions.
import { tensor, type Tensor } from "../ir";

export interface TTextBatch {
  readonly inputIds: Tensor<"int64">; // [B, T]
  readonly attentionMask: Tensor<"int64">; // [B, T], 0 at pads
  readonly positionIds: Tensor<"int64">; // [B, T]
}

/** Position written at pads: HF's generate uses `masked_fill(mask == 0, 1)`; nothing reads it. */
export const PAD_POSITION = 1;

/**
 * Rows left-padded with `padId` to the longest: position_ids = cumsum(mask) - 1 at real tokens,
 * PAD_POSITION at pads. An empty row is an error (nothing would predict its first token).
 */
export function leftPadBatch(rows: readonly (readonly number[])[], padId: number): TTextBatch {
  if (rows.length === 0) throw new Error("a batch needs at least one sequence");
  const T = Math.max(...rows.map((r) => r.length));
  const B = rows.length;
  const ids = new BigInt64Array(B * T);
  const mask = new BigInt64Array(B * T);
  const pos = new BigInt64Array(B * T);
  rows.forEach((row, b) => {
    if (row.length === 0) throw new Error(`sequence ${b} of the batch is empty`);
    const pad = T - row.length;
    for (let t = 0; t < T; t++) {
      const isReal = t >= pad;
      const token = isReal ? row[t - pad] : padId;
      if (token === undefined || !Number.isSafeInteger(token) || token < 0)
        throw new Error(`sequence ${b}: token ${String(token)} at ${t - pad} is not a token id`);
      ids[b * T + t] = BigInt(token);
      mask[b * T + t] = isReal ? 1n : 0n;
      pos[b * T + t] = BigInt(isReal ? t - pad : PAD_POSITION);
    }
  });
  return {
    inputIds: tensor("int64", [B, T], ids),
    attentionMask: tensor("int64", [B, T], mask),
    positionIds: tensor("int64", [B, T], pos),
  };
}

/** Batch feeds under their graph input names. */
export function textFeeds(batch: TTextBatch): Record<string, Tensor> {
  return { input_ids: batch.inputIds, attention_mask: batch.attentionMask, position_ids: batch.positionIds };
}

/**
 * Prompt + completion rows, left-padded, with the completion mask the score graph reads (1 at completion
 * tokens). An empty completion scores 0.
 */
export function completionBatch(
  prompts: readonly (readonly number[])[],
  completions: readonly (readonly number[])[],
  padId: number,
): { batch: TTextBatch; completionMask: Tensor<"int64"> } {
  if (prompts.length !== completions.length)
    throw new Error(`${prompts.length} prompts but ${completions.length} completions`);
  const rows = prompts.map((p, i) => [...p, ...(completions[i] ?? [])]);
  const batch = leftPadBatch(rows, padId);
  const [B, T] = batch.inputIds.shape as [number, number];
  const mask = new BigInt64Array(B * T);
  completions.forEach((c, b) => mask.fill(1n, (b + 1) * T - c.length, (b + 1) * T));
  return { batch, completionMask: tensor("int64", [B, T], mask) };
}
