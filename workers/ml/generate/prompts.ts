// Prompts for generation as token ids: tokenizing text prompts and the context-window rule. No model calls.
import type { TextTokenizer } from "../tokenizer/tokenizer";

export interface TPreparedPrompt {
  readonly tokenIds: readonly number[];
  /** Tokens dropped from the start to fit the context window (only with `truncatePrompt`), else 0. */
  readonly truncatedTokens: number;
}

export class ContextWindowError extends RangeError {
  override name = "ContextWindowError";
}

/**
 * Token ids of each prompt (text is encoded with the tokenizer's special tokens, e.g. BOS), checked against
 * the context window: prompt + max_new_tokens must fit in max_position_embeddings. Past it, the default is an
 * error naming the numbers; `truncatePrompt` instead keeps the last tokens that fit and reports how many went.
 */
export function preparePrompts(
  prompts: readonly (readonly number[])[] | readonly string[],
  tokenizer: TextTokenizer | null,
  limits: {
    readonly maxPositionEmbeddings: number;
    readonly maxNewTokens: number;
    readonly vocabSize: number;
    readonly truncatePrompt: boolean;
  },
): TPreparedPrompt[] {
  if (prompts.length === 0) throw new RangeError("generate: no prompts");
  const { maxPositionEmbeddings: window, maxNewTokens } = limits;
  return prompts.map((prompt, p) => {
    let ids: readonly number[];
    if (typeof prompt === "string") {
      if (!tokenizer)
        throw new Error(
          "generate: text prompts need a tokenizer (the model directory has no tokenizer.json); pass token ids instead",
        );
      ids = tokenizer.encode(prompt);
    } else {
      ids = prompt;
    }
    if (ids.length === 0) throw new RangeError(`generate: prompt ${p} has no tokens`);
    for (const id of ids) {
      if (!Number.isSafeInteger(id) || id < 0 || id >= limits.vocabSize)
        throw new RangeError(
          `generate: prompt ${p} holds token id ${id}, outside the vocabulary (${limits.vocabSize})`,
        );
    }
    if (ids.length + maxNewTokens <= window) return { tokenIds: ids, truncatedTokens: 0 };
    const keep = window - maxNewTokens;
    if (!limits.truncatePrompt || keep < 1) {
      throw new ContextWindowError(
        `generate: prompt ${p} has ${ids.length} tokens; with max_new_tokens ${maxNewTokens} that needs ${ids.length + maxNewTokens} positions, ` +
          `more than the model's max_position_embeddings ${window}${limits.truncatePrompt ? " even after truncating the prompt" : " (shorten the prompt, lower max_new_tokens, or opt in to truncatePrompt)"}`,
      );
    }
    return { tokenIds: ids.slice(ids.length - keep), truncatedTokens: ids.length - keep };
  });
}
