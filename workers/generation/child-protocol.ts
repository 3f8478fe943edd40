// Messages between a generation job (parent) and its child process: plain JSON over IPC.
import type { TMessage } from "../../server/domain";
import type { TSamplingParams } from "../ml/generate/sampling-params";

export type TChildRequest = {
  modelDir: string;
  conversations: TMessage[][];
  n: number;
  maxNewTokens: number;
  params: Partial<TSamplingParams>;
  seed: number;
  /** A reward model's directory: when given, every candidate is scored by it. */
  rewardModelDir?: string;
  threads?: number;
  provider?: "cpu" | "cuda";
};

export type TGeneratedCandidate = {
  text: string;
  tokenCount: number;
  /** Sum of the policy's log-probs of the generated tokens (unprocessed logits). */
  logprob: number;
  finishReason: string;
  /** 0 .. n-1: with the seed, identifies the candidate's random stream. */
  index: number;
  /** The reward model's score of prompt + generated tokens, when a reward model was given. */
  reward?: number;
  /** Set by the job (not the child): the version that generated it and the seed of its run. */
  modelVersionId?: string;
  seed?: number;
};

export type TPromptOutcome =
  | { kind: "candidates"; promptTokens: number; candidates: TGeneratedCandidate[] }
  | { kind: "too_long"; reason: string };

export type TChildResponse = { ok: true; outcomes: TPromptOutcome[]; provider: string } | { ok: false; error: string };
