// The `generate.candidates` job: tops up a project's buffer of ready comparisons with K candidates per
// prompt from the project's active policy, in batches, each batch in a child process. Idempotent: a
// prompt that got its round's comparison in an earlier run is not generated again.
import { createHash } from "node:crypto";
import path from "node:path";
import { planGeneration } from "../../server/services/generation/plan-generation";
import { markPromptUngenerable, recordGeneratedComparison } from "../../server/services/generation/record-generation";
import type { TJobHandler } from "../../server/jobs/job-runner";
import { BUILTIN_MODELS } from "../ml/cli/generate";
import { runGenerationChild } from "./run-child";
import { workerRuntime } from "../runtime-config";

/** Prompts per child process: one batched generate call of BATCH x K sequences. */
const BATCH = Number(process.env.GENERATION_BATCH ?? 8);
/** At most this many prompts per job run, so a big buffer is filled over several short jobs. */
const MAX_PER_RUN = 32;

/** A policy version's directory: "builtin:<name>" for the models shipped with the product, else a path. */
export function policyDir(p: string): string {
  if (p.startsWith("builtin:")) {
    const dir = BUILTIN_MODELS[p.slice("builtin:".length)];
    if (!dir) throw new Error(`unknown built-in model ${p}`);
    return dir;
  }
  return path.resolve(p);
}

/** One seed per (project, round, batch's first prompt): a re-run of the same batch draws the same candidates. */
const seedOf = (key: string) => createHash("sha256").update(key).digest().readUInt32BE(0);

export const generateCandidates: TJobHandler<"generate.candidates"> = {
  run: async ({ projectId }, ctx) => {
    const plan = await planGeneration({ projectId, maxPrompts: MAX_PER_RUN });
    if (!plan || plan.prompts.length === 0) return { generated: 0 };
    const modelDir = policyDir(plan.policy.path);
    let generated = 0;
    let tooLong = 0;
    for (let i = 0; i < plan.prompts.length; i += BATCH) {
      ctx.signal.throwIfAborted();
      const batch = plan.prompts.slice(i, i + BATCH);
      const seed = seedOf(`${projectId}:${plan.round}:${batch[0]!.id}`);
      const res = await runGenerationChild(
        {
          modelDir,
          conversations: batch.map((p) => p.messages),
          n: plan.k,
          maxNewTokens: plan.sampling.maxNewTokens,
          params: { temperature: plan.sampling.temperature, topP: plan.sampling.topP, topK: plan.sampling.topK },
          seed,
          ...(plan.reward ? { rewardModelDir: policyDir(plan.reward.path) } : {}),
          provider: workerRuntime().provider,
          ...(workerRuntime().threads > 0 ? { threads: workerRuntime().threads } : {}),
        },
        ctx.signal,
      );
      for (const [j, outcome] of res.outcomes.entries()) {
        const prompt = batch[j]!;
        if (outcome.kind === "too_long") {
          await markPromptUngenerable({ promptId: prompt.id, reason: outcome.reason });
          tooLong++;
          continue;
        }
        const r = await recordGeneratedComparison({
          promptId: prompt.id,
          round: plan.round,
          policyVersionId: plan.policy.id,
          sampling: plan.sampling,
          seed,
          promptTokens: outcome.promptTokens,
          candidates: outcome.candidates,
          rewardVersionId: plan.reward?.id ?? null,
        });
        if ("comparisonId" in r) generated++;
      }
    }
    return { generated, tooLong, policy: plan.policy.name, round: plan.round, reward: plan.reward?.name ?? null };
  },
};
