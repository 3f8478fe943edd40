// The interface every preference function implements, built-in labellers and plug-ins alike, and the
// validation of what one returns.
import type { TChatMessage, TItem } from "../corpus/build-corpus";
import type { TQuestionType, TTruth } from "../corpus/truth";

/** What a preference function is told about the prompt it ranks candidates for. */
export interface TOraclePrompt {
  /** The question's id (`type|entity|phrasing`). */
  readonly id: string;
  readonly type: TQuestionType;
  /** The conversation the candidates answer (the last message is the user's). */
  readonly messages: readonly TChatMessage[];
  readonly truth: TTruth;
  /** The corpus's checker for this prompt: is this text a correct answer? */
  readonly isCorrect: (text: string) => boolean;
}

/**
 * Ranks a prompt's candidates: tiers of candidate indices, best tier first; indices in one tier are tied;
 * a candidate in no tier is left out of the ranking; `null` skips the prompt (no judgment).
 */
export type TRankFn = (
  prompt: TOraclePrompt,
  candidates: readonly string[],
) => number[][] | null | Promise<number[][] | null>;

export interface TOracle {
  readonly name: string;
  readonly rank: TRankFn;
}

export function oraclePrompt(item: TItem, isCorrect: (text: string) => boolean): TOraclePrompt {
  return { id: item.id, type: item.type, messages: item.messages, truth: item.truth, isCorrect };
}

/** Checks a ranking against its candidates; throws what is wrong, naming the oracle and the prompt. */
export function validateTiers(tiers: unknown, candidates: number, where: string): number[][] | null {
  if (tiers === null) return null;
  if (!Array.isArray(tiers))
    throw new Error(`${where}: rank() must return an array of tiers or null, got ${typeof tiers}`);
  const seen = new Set<number>();
  return (tiers as unknown[]).map((tier: unknown, t) => {
    if (!Array.isArray(tier) || tier.length === 0)
      throw new Error(`${where}: tier ${t} must be a non-empty array of candidate indices`);
    return (tier as unknown[]).map((i: unknown) => {
      if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= candidates)
        throw new Error(`${where}: tier ${t} holds ${JSON.stringify(i)}, not a candidate index in [0, ${candidates})`);
      if (seen.has(i)) throw new Error(`${where}: candidate ${i} is in two tiers`);
      seen.add(i);
      return i;
    });
  });
}
