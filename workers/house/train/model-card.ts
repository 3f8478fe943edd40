// The model card (README.md of the checkpoint directory), its evaluation file and its loss-curve picture.
import fs from "node:fs";
import path from "node:path";
import { STYLES } from "../corpus/tasks";
import { QUESTION_TYPES } from "../corpus/truth";
import { lossCurvesSvg, readLossPoints } from "./loss-plot";
import type { TPipelineResult } from "./pipeline";
import type { TProfile } from "./profiles";

export const EVAL_FILE = "house_eval.json";

export interface TCardOptions {
  readonly profile: TProfile;
  readonly result: TPipelineResult;
  readonly outDir: string;
  readonly docsDir: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export async function writeModelCard(o: TCardOptions): Promise<void> {
  const { profile: p, result: r } = o;
  const ev = r.evaluation;
  fs.mkdirSync(o.docsDir, { recursive: true });
  const points = [...readLossPoints(r.metrics.pretrain, "pre-training"), ...readLossPoints(r.metrics.sft, "SFT")];
  const svgName = p.name === "full" ? "house-model-loss.svg" : "house-model-loss-quick.svg";
  const svgFile = path.join(o.docsDir, svgName);
  fs.writeFileSync(svgFile, await lossCurvesSvg(points, `prefloop house model (${p.name}): training loss`));
  const evalJson = {
    profile: p.name,
    seed: p.seed,
    sample: ev.n,
    accuracy: ev.accuracy,
    correct: ev.correct,
    byType: ev.byType,
    byStyle: ev.byStyle,
    followUps: ev.followUps,
    seconds: r.seconds,
    parameters: r.parameters,
    answers: ev.answers,
  };
  fs.writeFileSync(path.join(o.outDir, EVAL_FILE), `${JSON.stringify(evalJson, null, 2)}\n`);
  const last = (stage: string, series: string) =>
    points.filter((x) => x.stage === stage && x.series === series).at(-1)?.loss;
  const fmt = (x: number | undefined) => (x === undefined ? "n/a" : x.toFixed(3));
  const typeRows = QUESTION_TYPES.filter((t) => ev.byType[t]).map((t) => {
    const x = ev.byType[t];
    return `| ${t} | ${x?.n} | ${pct(x?.accuracy ?? 0)} |`;
  });
  const styleRows = STYLES.filter((s) => ev.byStyle[s]).map((s) => {
    const x = ev.byStyle[s];
    return `| ${s} | ${x?.n} (${pct((x?.n ?? 0) / ev.n)}) | ${pct(x?.accuracy ?? 0)} |`;
  });
  const relSvg = path.relative(o.outDir, svgFile);
  const c = r.corpus;
  const card = `# prefloop house model (${p.name})

A small Llama-family assistant that prefloop trains itself, from nothing, with its own engine, on a corpus
it generates from facts in npm data packages (\`countries-list\`, \`an-array-of-english-words\`, small numbers).
It answers short factual questions, often right, sometimes wrong, in several styles: the built-in policy whose
answers the product's rankings can improve. Not a general-purpose model.

## Size

${(r.parameters / 1e6).toFixed(2)}M parameters (tied embedding), float32: hidden ${p.model.hidden_size}, ${p.model.num_hidden_layers} layers,
${p.model.num_attention_heads} attention heads (${p.model.num_key_value_heads} key/value heads), MLP ${p.model.intermediate_size}, context ${p.model.max_position_embeddings} tokens,
byte-level BPE vocabulary of ${p.vocabSize} tokens trained on the corpus. Chat template:
\`<|user|>\\n...<|end|><|assistant|>\\n...<|end|>\`; \`<|end|>\` ends generation.

## Data (seed ${p.seed})

- ${c.facts.countries.length} countries (capital, continent, ISO currency code, languages), ${c.facts.words.length} words of 3-6 letters
  (spelling, length, first and last letter, reversal), numbers 0-${c.facts.maxNumber} (addition, subtraction, comparison),
  and requests to decline (fictional places, unanswerable questions).
- Pre-training: ${c.pretrain.length} documents stating every fact in plain prose, ${c.options.pretrainRepeats} passes with fresh wordings.
- SFT: ${c.sft.length} conversations, question types drawn evenly (declines rarely), styles terse / sentence / extra-fact /
  chatty uniformly, ${pct(c.options.wrongShare)} of answers deliberately wrong, ${pct(c.options.followUpShare)} follow-ups after a first question.
- Held out: ${c.heldOut.length} questions (entity x phrasing, ${pct(c.options.heldOutShare)} of all, chosen by a hash of the question),
  never in SFT nor in the ranking pool; every fact they ask about is in the pre-training text.

## Training

\`npm run house:train\` (seed ${p.seed}, two CPU cores shared with other work while this was measured):

| stage | what trains | lr | batch | epochs | time | last train loss | last held-out-rows loss |
| --- | --- | --- | --- | --- | --- | --- | --- |
| pre-training | every weight, from random (N(0, 0.02)) | ${p.pretrain.lr} | ${p.pretrain.batchSize} | ${p.pretrain.epochs} | ${(r.seconds.pretrain / 60).toFixed(1)} min | ${fmt(last("pre-training", "train"))} | ${fmt(last("pre-training", "held-out rows"))} |
| SFT | every weight, completion tokens only | ${p.sft.lr} | ${p.sft.batchSize} | ${p.sft.epochs} | ${(r.seconds.sft / 60).toFixed(1)} min | ${fmt(last("SFT", "train"))} | ${fmt(last("SFT", "held-out rows"))} |

AdamW, cosine schedule with ${pct(p.pretrain.warmupRatio)} warm-up, weight decay ${p.pretrain.weightDecay}, clipping at 1, sequences up to 256 tokens.
Whole pipeline: ${(r.seconds.total / 60).toFixed(1)} min. The held-out rows of the loss curves are a few training-format rows kept
out of each stage, not the held-out questions.

![loss curves](${relSvg})

## Held-out accuracy (greedy, ${ev.n} held-out questions, a fixed seeded sample)

Exact answer: the answer mentions an accepted value and no other value of its domain (\`workers/house/corpus/truth.ts\`).

**Overall: ${pct(ev.accuracy)}** (${ev.correct}/${ev.n}); follow-up questions: ${pct(ev.followUps.accuracy)} of ${ev.followUps.n}.

| question type | questions | accuracy |
| --- | --- | --- |
${typeRows.join("\n")}

| style the model answered in | answers | accuracy |
| --- | --- | --- |
${styleRows.join("\n")}

The numbers are in \`${EVAL_FILE}\`; the test \`workers/house/model.test.ts\` answers a sample of the same questions
through the ordinary checkpoint path and checks this accuracy.

## Use

\`\`\`sh
npm run generate -- --model house --chat --prompt "What is the capital of France?" --temperature 0
\`\`\`
`;
  fs.writeFileSync(path.join(o.outDir, "README.md"), card);
}
