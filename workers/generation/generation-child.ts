// The child process that generates candidates (one per generation job): loads the policy, encodes each
// conversation with its chat template, refuses prompts that do not fit the context window (never cut),
// samples n candidates per prompt in one batch and sends the texts with their token counts and
// log-probs back to the parent over IPC. Model work lives here so it can never starve the worker's
// lease renewals; a crash here fails the job, not the worker.
import { generate } from "../ml/generate/generate";
import { loadModel } from "../ml/model/causal-lm";
import { leftPadBatch } from "../ml/model";
import type { TChildRequest, TChildResponse, TPromptOutcome } from "./child-protocol";

/** Reward-model scores of token sequences, a few at a time (the reward model is loaded after the policy is). */
async function scoreWithReward(req: TChildRequest, seqs: number[][], padId: number): Promise<number[]> {
  const rm = loadModel(req.rewardModelDir!, {
    tokenizer: false,
    session: { intraOpThreads: req.threads, provider: req.provider },
  });
  try {
    const out: number[] = [];
    for (let i = 0; i < seqs.length; i += 16)
      out.push(...(await rm.reward(leftPadBatch(seqs.slice(i, i + 16), padId))));
    return out;
  } finally {
    await rm.dispose();
  }
}

async function run(req: TChildRequest): Promise<TChildResponse> {
  const model = loadModel(req.modelDir, {
    tokenizer: true,
    session: { intraOpThreads: req.threads, provider: req.provider },
  });
  try {
    const tok = model.tokenizer;
    if (!tok) throw new Error(`${req.modelDir} has no tokenizer.json; the worker generates from conversations`);
    const window = model.config.maxPositionEmbeddings;
    const outcomes: TPromptOutcome[] = [];
    const fitting: { index: number; ids: number[] }[] = [];
    req.conversations.forEach((messages, index) => {
      const ids = tok.encodeChat(messages, { addGenerationPrompt: true });
      if (ids.length + req.maxNewTokens > window) {
        outcomes[index] = {
          kind: "too_long",
          reason: `The prompt is ${ids.length} tokens; with ${req.maxNewTokens} new tokens it needs ${ids.length + req.maxNewTokens} positions, more than the model's context of ${window}.`,
        };
      } else fitting.push({ index, ids });
    });
    if (fitting.length > 0) {
      const result = await generate(model, {
        prompts: fitting.map((f) => f.ids),
        n: req.n,
        maxNewTokens: req.maxNewTokens,
        params: req.params,
        seed: req.seed,
      });
      // The reward model scores each candidate as it scores them in training and evaluation: the prompt's
      // tokens followed by the generated ones.
      const rewards = req.rewardModelDir
        ? await scoreWithReward(
            req,
            result.candidates.map((c) => [...fitting[c.prompt]!.ids, ...c.tokenIds]),
            tok.padTokenId ?? model.config.padTokenId ?? tok.eosTokenIds[0] ?? 0,
          )
        : null;
      fitting.forEach((f, p) => {
        outcomes[f.index] = {
          kind: "candidates",
          promptTokens: f.ids.length,
          candidates: result.candidates
            .map((c, i) => ({ c, reward: rewards?.[i] }))
            .filter(({ c }) => c.prompt === p)
            .map(({ c, reward }) => ({
              text: (c.text ?? "").trim(),
              tokenCount: c.tokenIds.length,
              logprob: c.sumLogprob,
              finishReason: c.finishReason,
              index: c.candidate,
              ...(reward !== undefined ? { reward } : {}),
            })),
        };
      });
    }
    return { ok: true, outcomes, provider: model.sessionConfig.provider ?? "cpu" };
  } finally {
    await model.dispose();
  }
}

process.on("message", (msg: TChildRequest) => {
  run(msg).then(
    (res) => process.send!(res, () => process.exit(0)),
    (e: unknown) =>
      process.send!({ ok: false, error: e instanceof Error ? e.message : String(e) } satisfies TChildResponse, () =>
        process.exit(1),
      ),
  );
});
