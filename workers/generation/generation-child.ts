// The child process that generates candidates (one per generation job): loads the policy, encodes each
// conversation with its chat template, refuses prompts that do not fit the context window (never cut),
// samples n candidates per prompt in one batch and sends the texts with their token counts and
// log-probs back to the parent over IPC. Model work lives here so it can never starve the worker's
// lease renewals; a crash here fails the job, not the worker.
import { generate } from "../ml/generate/generate";
import { loadModel } from "../ml/model/causal-lm";
import type { TChildRequest, TChildResponse, TPromptOutcome } from "./child-protocol";

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
      fitting.forEach((f, p) => {
        outcomes[f.index] = {
          kind: "candidates",
          promptTokens: f.ids.length,
          candidates: result.candidates
            .filter((c) => c.prompt === p)
            .map((c) => ({
              text: (c.text ?? "").trim(),
              tokenCount: c.tokenIds.length,
              logprob: c.sumLogprob,
              finishReason: c.finishReason,
              index: c.candidate,
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
