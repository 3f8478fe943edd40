// The `generate.candidates` job: tops up a project's buffer of ready comparisons with K candidates per
// prompt from the project's active policy, in batches, each batch in a child process. Idempotent: a
// prompt that got its round's comparison in an earlier run is not generated again.
import { createHash } from "node:crypto";
import path from "node:path";
import { planGeneration, type TGenerationPlan } from "../../server/services/generation/plan-generation";
import { markPromptUngenerable, recordGeneratedComparison } from "../../server/services/generation/record-generation";
import type { TJobHandler } from "../../server/jobs/job-runner";
import { BUILTIN_MODELS } from "../ml/cli/generate";
import { runGenerationChild } from "./run-child";
import type { TPromptOutcome } from "./child-protocol";
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

type TBatchPrompt = TGenerationPlan["prompts"][number];
type TModelRef = { id: string; path: string };

/** One child run: n candidates per prompt from one model, tagged with that model's version and the run's seed. */
async function candidatesFrom(
  plan: TGenerationPlan,
  model: TModelRef,
  prompts: TBatchPrompt[],
  n: number,
  seed: number,
  signal: AbortSignal,
) {
  if (prompts.length === 0 || n === 0) return [];
  const res = await runGenerationChild(
    {
      modelDir: policyDir(model.path),
      conversations: prompts.map((p) => p.messages),
      n,
      maxNewTokens: plan.sampling.maxNewTokens,
      params: { temperature: plan.sampling.temperature, topP: plan.sampling.topP, topK: plan.sampling.topK },
      seed,
      ...(plan.reward ? { rewardModelDir: policyDir(plan.reward.path) } : {}),
      provider: workerRuntime().provider,
      ...(workerRuntime().threads > 0 ? { threads: workerRuntime().threads } : {}),
    },
    signal,
  );
  return res.outcomes.map((o): TPromptOutcome =>
    o.kind === "too_long"
      ? o
      : { ...o, candidates: o.candidates.map((c) => ({ ...c, modelVersionId: model.id, seed })) },
  );
}

export const generateCandidates: TJobHandler<"generate.candidates"> = {
  run: async ({ projectId }, ctx) => {
    const plan = await planGeneration({ projectId, maxPrompts: MAX_PER_RUN });
    if (!plan || plan.prompts.length === 0) return { generated: 0 };
    let generated = 0;
    let tooLong = 0;
    let headToHead = 0;
    for (let i = 0; i < plan.prompts.length; i += BATCH) {
      ctx.signal.throwIfAborted();
      const batch = plan.prompts.slice(i, i + BATCH);
      const seed = seedOf(`${projectId}:${plan.round}:${batch[0]!.id}`);
      // Head-to-head prompts: ceil(K/2) candidates from the active policy, floor(K/2) from the version it was
      // trained from (other seeds, so the two never share random streams); the others: K from the policy.
      const single = plan.rival ? batch.filter((p) => !p.headToHead) : batch;
      const mixed = plan.rival ? batch.filter((p) => p.headToHead) : [];
      const half = Math.floor(plan.k / 2);
      const [singleOut, mixedOwn, mixedRival] = [
        await candidatesFrom(plan, plan.policy, single, plan.k, seed, ctx.signal),
        await candidatesFrom(plan, plan.policy, mixed, plan.k - half, (seed ^ 0x5bd1e995) >>> 0, ctx.signal),
        plan.rival ? await candidatesFrom(plan, plan.rival, mixed, half, (seed ^ 0x27d4eb2f) >>> 0, ctx.signal) : [],
      ];
      const outcomes: { prompt: TBatchPrompt; parts: TPromptOutcome[] }[] = [
        ...single.map((prompt, j) => ({ prompt, parts: [singleOut[j]!] })),
        ...mixed.map((prompt, j) => ({ prompt, parts: [mixedOwn[j]!, mixedRival[j]!] })),
      ];
      for (const { prompt, parts } of outcomes) {
        const refused = parts.find((o) => o.kind === "too_long");
        if (refused) {
          await markPromptUngenerable({ promptId: prompt.id, reason: refused.reason });
          tooLong++;
          continue;
        }
        const got = parts as Extract<TPromptOutcome, { kind: "candidates" }>[];
        const r = await recordGeneratedComparison({
          promptId: prompt.id,
          round: plan.round,
          policyVersionId: plan.policy.id,
          sampling: plan.sampling,
          seed,
          promptTokens: got[0]!.promptTokens,
          candidates: got.flatMap((o) => o.candidates),
          rewardVersionId: plan.reward?.id ?? null,
        });
        if ("comparisonId" in r) {
          generated++;
          if (got.length > 1) headToHead++;
        }
      }
    }
    return {
      generated,
      tooLong,
      headToHead,
      policy: plan.policy.name,
      rival: plan.rival?.name ?? null,
      round: plan.round,
      reward: plan.reward?.name ?? null,
    };
  },
};
