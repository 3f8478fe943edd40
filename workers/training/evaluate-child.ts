// The round's evaluation, new policy vs current one, as a child process (`node --import tsx evaluate-child.ts
// <request.json> <result.json>`): on the held-out prompts (the reward model's split by prompt: same data, seed
// and fraction as the trainer's), each policy samples one answer per prompt (seeded, temperature 1, no top-p /
// top-k, so the samples come from the policy itself); the round's reward model scores every answer.
//
// KL(new || current) is estimated from the new policy's samples y ~ p_new as the mean over prompts of
// sum_t [log p_new(y_t | ...) - log p_cur(y_t | ...)] (the "k1" estimator: unbiased for the sequence-level KL,
// one sample can make it negative), the per-token log-probs of the sampled tokens under both models' logits.
import fs from "node:fs";
import { generate } from "../ml/generate/generate";
import { completionBatch, leftPadBatch, loadModel, type CausalLM } from "../ml/model";
import { loadDataset } from "../ml/train/data";
import { heldOutSplit } from "../ml/train/cli/prepare";

export type TEvaluateRequest = {
  newModel: string;
  currentModel: string;
  rewardModel: string;
  data: string;
  evalSplit: number;
  seed: number;
  maxNewTokens: number;
  threads?: number;
};

type TMessages = { role: "system" | "user" | "assistant"; content: string }[];

async function sample(model: CausalLM, prompts: number[][], o: TEvaluateRequest) {
  const r = await generate(model, {
    prompts,
    n: 1,
    maxNewTokens: o.maxNewTokens,
    params: { temperature: 1, topP: 1, topK: 0 },
    seed: o.seed,
  });
  return [...r.candidates].sort((a, b) => a.prompt - b.prompt);
}

async function run(o: TEvaluateRequest) {
  const session = { intraOpThreads: o.threads };
  const ds = await loadDataset(o.data);
  const split = heldOutSplit(ds, ds.rows, o.evalSplit, o.seed);
  const seen = new Set<string>();
  const conversations: TMessages[] = [];
  for (const row of split.eval) {
    const prompt = (row as { prompt?: unknown }).prompt;
    const key = JSON.stringify(prompt);
    if (!Array.isArray(prompt) || seen.has(key)) continue;
    seen.add(key);
    conversations.push(prompt as TMessages);
  }
  if (conversations.length === 0) return { prompts: 0 };
  const fresh = loadModel(o.newModel, { session, tokenizer: true });
  const current = loadModel(o.currentModel, { session, tokenizer: true });
  const rm = loadModel(o.rewardModel, { session, tokenizer: false });
  try {
    const tok = fresh.tokenizer!;
    const padId = tok.padTokenId ?? fresh.config.padTokenId ?? tok.eosTokenIds[0] ?? 0;
    const prompts = conversations.map((m) => tok.encodeChat(m, { addGenerationPrompt: true }));
    const newSamples = await sample(fresh, prompts, o);
    const curSamples = await sample(current, prompts, o);
    const scores = async (samples: { tokenIds: number[] }[]) =>
      Array.from(
        await rm.reward(
          leftPadBatch(
            samples.map((s, i) => [...prompts[i]!, ...s.tokenIds]),
            padId,
          ),
        ),
      );
    const newScores = await scores(newSamples);
    const curScores = await scores(curSamples);
    const { batch, completionMask } = completionBatch(
      prompts,
      newSamples.map((s) => s.tokenIds),
      padId,
    );
    const underCurrent = (await current.score(batch, completionMask)).sumLogprobs;
    const kls = newSamples.map((s, i) => s.sumLogprob - underCurrent[i]!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const wins = newScores.map((s, i) => (s > curScores[i]! ? 1 : s === curScores[i]! ? 0.5 : 0));
    return {
      prompts: conversations.length,
      eval_new_reward: mean(newScores),
      eval_current_reward: mean(curScores),
      eval_win_rate: mean(wins),
      eval_kl: mean(kls),
    };
  } finally {
    await Promise.all([fresh.dispose(), current.dispose(), rm.dispose()]);
  }
}

const [reqFile, outFile] = process.argv.slice(2);
if (reqFile && outFile) {
  const req = JSON.parse(fs.readFileSync(reqFile, "utf8")) as TEvaluateRequest;
  run(req).then(
    (r) => fs.writeFileSync(outFile, JSON.stringify(r)),
    (e: unknown) => {
      console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
