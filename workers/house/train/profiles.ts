// The two sizes of the built-in model's pipeline: `full` (the committed checkpoint) and `quick` (the same
// stages in seconds, for the test suite). Everything that decides the result is here, seeded.
import type { TCorpusOptions } from "../corpus/build-corpus";

export interface TStageArgs {
  readonly lr: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly warmupRatio: number;
  readonly weightDecay: number;
  /** Rows held out of this stage for its loss curve (not the held-out questions, which never reach it). */
  readonly evalRows: number;
  readonly evalSteps: number;
}

export interface TProfile {
  readonly name: "full" | "quick";
  readonly seed: number;
  readonly corpus: Partial<TCorpusOptions>;
  readonly vocabSize: number;
  /** config.json fields that differ between the sizes. */
  readonly model: {
    readonly hidden_size: number;
    readonly intermediate_size: number;
    readonly num_hidden_layers: number;
    readonly num_attention_heads: number;
    readonly num_key_value_heads: number;
    readonly max_position_embeddings: number;
  };
  readonly pretrain: TStageArgs;
  readonly sft: TStageArgs;
  /** Held-out questions answered greedily at the end (a fixed, seeded sample). */
  readonly evalQuestions: number;
}

export const FULL: TProfile = {
  name: "full",
  seed: 1,
  corpus: { seed: 1, countries: 120, words: 150, maxNumber: 20, sftExamples: 24000, pretrainRepeats: 100 },
  vocabSize: 1024,
  model: {
    hidden_size: 256,
    intermediate_size: 704,
    num_hidden_layers: 4,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 256,
  },
  pretrain: { lr: 1e-3, epochs: 1, batchSize: 16, warmupRatio: 0.05, weightDecay: 0.01, evalRows: 128, evalSteps: 250 },
  sft: { lr: 5e-4, epochs: 1, batchSize: 16, warmupRatio: 0.05, weightDecay: 0.01, evalRows: 128, evalSteps: 150 },
  evalQuestions: 600,
};

export const QUICK: TProfile = {
  name: "quick",
  seed: 1,
  corpus: { seed: 1, countries: 8, words: 8, maxNumber: 4, sftExamples: 60, pretrainRepeats: 1 },
  vocabSize: 300,
  model: {
    hidden_size: 32,
    intermediate_size: 64,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    max_position_embeddings: 128,
  },
  pretrain: { lr: 3e-3, epochs: 1, batchSize: 16, warmupRatio: 0, weightDecay: 0, evalRows: 8, evalSteps: 0 },
  sft: { lr: 3e-3, epochs: 1, batchSize: 16, warmupRatio: 0, weightDecay: 0, evalRows: 8, evalSteps: 0 },
  evalQuestions: 12,
};
