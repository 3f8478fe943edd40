// Stores what a generation job produced: one comparison of the round per prompt, with the policy's
// candidates and how each was made (model version, sampling settings, seed and stream, token count,
// log-probability); or the reason a prompt cannot be generated, shown to the admin.
import { getDb } from "../../db";
import { isAppError } from "../../errors";
import type { TProjectSampling } from "../../domain";
import { createComparison } from "../queue/create-comparison";

export type TGeneratedCandidate = {
  text: string;
  tokenCount: number;
  logprob: number;
  finishReason: string;
  index: number;
  /** The reward model's score, when the project has one. */
  reward?: number;
  /** A head-to-head comparison's candidates name their own version and seed (default: the round's policy). */
  modelVersionId?: string;
  seed?: number;
};

export async function recordGeneratedComparison(o: {
  promptId: string;
  round: number;
  policyVersionId: string;
  sampling: TProjectSampling;
  seed: number;
  promptTokens: number;
  candidates: TGeneratedCandidate[];
  /** The reward model version that scored the candidates, if any. */
  rewardVersionId?: string | null;
}): Promise<{ comparisonId: string } | { duplicate: true }> {
  try {
    const { comparisonId } = await createComparison({
      promptId: o.promptId,
      round: o.round,
      policyVersionId: o.policyVersionId,
      status: "open",
      candidates: o.candidates.map((c) => ({
        text: c.text,
        source: "model",
        modelVersionId: c.modelVersionId ?? o.policyVersionId,
        rewardScore: c.reward ?? null,
        rewardVersionId: o.rewardVersionId ?? null,
        generationParams: {
          temperature: o.sampling.temperature,
          top_p: o.sampling.topP,
          top_k: o.sampling.topK,
          max_new_tokens: o.sampling.maxNewTokens,
          seed: c.seed ?? o.seed,
          stream: c.index,
          prompt_tokens: o.promptTokens,
          token_count: c.tokenCount,
          logprob: c.logprob,
          finish_reason: c.finishReason,
        },
      })),
    });
    return { comparisonId };
  } catch (e) {
    // A job that ran twice (its first run's worker died after writing) finds the round already there.
    if (isAppError(e) && e.code === "CONFLICT") return { duplicate: true };
    throw e;
  }
}

export async function markPromptUngenerable(o: { promptId: string; reason: string }): Promise<void> {
  await getDb().prompt.update({ where: { id: o.promptId }, data: { generationError: o.reason } });
}
