// The CLI's data path, from a loaded dataset to the trainer's examples, its `toBatch` and the held-out split:
// which row kinds each --kind trains on, how each kind's rows become feeds, and the split by prompt. No model
// loading and no loop (train.ts); RL's sampling is passed in.
import {
  preferencePairs,
  promptKeyOf,
  splitEval,
  type TDataset,
  type TPreferenceExample,
  type TPromptExample,
  type TTokenizedDataset,
} from "../data";
import {
  dpoFeeds,
  precomputeReference,
  pretrainFeeds,
  rewardFeeds,
  sftFeeds,
  type TFeedBatch,
  type TReferenceScorer,
  type TRewardExample,
} from "../feeds";
import type { TTrainCliOptions } from "./args";

export type TToBatch = (xs: readonly never[], at: { step: number; micro: number }) => Promise<TFeedBatch> | TFeedBatch;

/** The row kinds each --kind trains on (TRL: SFT takes language-modeling and prompt-completion rows). */
export const NEEDS: Record<TTrainCliOptions["kind"], readonly TTokenizedDataset["kind"][]> = {
  pretrain: ["language-modeling"],
  sft: ["prompt-completion", "language-modeling"],
  rm: ["preference", "ranking"],
  dpo: ["preference", "ranking"],
  rloo: ["prompt-only"],
  grpo: ["prompt-only"],
};

/** DPO reads rankings as every pair of different tiers (ties give none). */
export function forKind(kind: TTrainCliOptions["kind"], ds: TDataset): TDataset {
  if (kind !== "dpo" || ds.rows[0]?.kind !== "ranking") return ds;
  return {
    ...ds,
    format: "preference",
    rows: ds.rows.flatMap((r) => (r.kind === "ranking" ? preferencePairs(r) : [r])),
  };
}

export interface TDataContext {
  readonly padId: number;
  /** The frozen reference scorer (DPO). */
  readonly reference: TReferenceScorer;
  /** RL only: builds the sampling `toBatch` (loads the reward model). */
  readonly rl?: () => TToBatch;
}

/** The examples the loop iterates and the function that turns a micro-batch of them into feeds. */
export async function examplesAndBatches(
  o: TTrainCliOptions,
  tokenized: TTokenizedDataset,
  ctx: TDataContext,
): Promise<{ examples: readonly { readonly line: number }[]; toBatch: TToBatch }> {
  const { padId, reference } = ctx;
  if (!NEEDS[o.kind].includes(tokenized.kind))
    throw new Error(`holds ${tokenized.kind} rows; --kind ${o.kind} trains on ${NEEDS[o.kind].join(" or ")} rows`);
  switch (tokenized.kind) {
    case "language-modeling":
      if (o.kind === "sft") {
        // TRL's SFT on {text} / {messages}: every token is a completion token (no prompt to mask out).
        const examples = tokenized.examples.map((e) => ({ line: e.line, promptIds: [], completionIds: e.ids }));
        return { examples, toBatch: (xs) => sftFeeds(xs, padId) };
      }
      return { examples: tokenized.examples, toBatch: (xs) => pretrainFeeds(xs, padId) };
    case "prompt-completion":
      return { examples: tokenized.examples, toBatch: (xs) => sftFeeds(xs, padId) };
    case "preference": {
      if (o.kind === "rm") {
        const examples = tokenized.examples.map((e: TPreferenceExample): TRewardExample => ({
          line: e.line,
          promptIds: e.promptIds,
          completions: [e.chosenIds, e.rejectedIds],
          tiers: [0, 1],
          ...(e.margin === undefined ? {} : { margin: e.margin }),
        }));
        return { examples, toBatch: (xs) => rewardFeeds(xs, padId, o.rmLoss) };
      }
      const isIpo = o.lossType === "ipo";
      const examples = o.precomputeRef
        ? await precomputeReference(tokenized.examples, padId, reference, isIpo, o.args.perDeviceTrainBatchSize)
        : tokenized.examples;
      return { examples, toBatch: (xs) => dpoFeeds(xs, padId, reference, isIpo) };
    }
    case "ranking":
      return { examples: tokenized.examples, toBatch: (xs) => rewardFeeds(xs, padId, o.rmLoss) };
    case "prompt-only": {
      if (!ctx.rl) throw new Error(`--kind ${o.kind} on prompt-only rows needs a sampler`);
      const examples: readonly TPromptExample[] = tokenized.examples;
      return { examples, toBatch: ctx.rl() };
    }
  }
}

export interface THeldOut<T> {
  readonly train: T[];
  readonly eval: T[];
  /** Distinct prompts on each side (a prompt is on one side only). */
  readonly trainPrompts: number;
  readonly evalPrompts: number;
}

/**
 * The held-out split, by prompt for every kind: every example of one prompt (the pairs of one ranking, several
 * labellers' judgments, a repeated SFT prompt) is on the same side, chosen by a stable hash of (seed, prompt).
 * `size` as --eval-split: null means 10% when there are 20 examples or more, else none.
 */
export function heldOutSplit<T extends { readonly line: number }>(
  dataset: TDataset,
  examples: readonly T[],
  size: number | null,
  seed: number,
): THeldOut<T> {
  const keyOfLine = new Map(dataset.rows.map((r) => [r.line, promptKeyOf(r)]));
  const key = (e: T) => keyOfLine.get(e.line) ?? `line ${e.line}`;
  const prompts = (xs: readonly T[]) => new Set(xs.map(key)).size;
  const evalSize = size ?? (examples.length >= 20 ? 0.1 : 0);
  if (evalSize <= 0) return { train: [...examples], eval: [], trainPrompts: prompts(examples), evalPrompts: 0 };
  const split = splitEval(examples, evalSize, seed, { key });
  return { ...split, trainPrompts: prompts(split.train), evalPrompts: prompts(split.eval) };
}
