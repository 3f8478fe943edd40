// Held-out evaluation of a checkpoint: a fixed, seeded sample of held-out questions answered greedily through
// the ordinary loading path, judged by the corpus's truth; accuracy per question type and per answer style.
import { generate } from "../../ml/generate/generate";
import { loadModel } from "../../ml/model/causal-lm";
import type { TCorpus, TItem } from "../corpus/build-corpus";
import { Chooser } from "../corpus/random";
import { STYLES, styleOf, type TStyle } from "../corpus/tasks";
import { isCorrect } from "../corpus/truth";

export interface TAnswered {
  readonly id: string;
  readonly type: string;
  readonly followUp: boolean;
  readonly answer: string;
  readonly correct: boolean;
  readonly style: TStyle;
}

export interface TTally {
  readonly n: number;
  readonly correct: number;
  readonly accuracy: number;
}

export interface TEvaluation extends TTally {
  readonly byType: Readonly<Record<string, TTally>>;
  readonly byStyle: Readonly<Record<string, TTally>>;
  readonly followUps: TTally;
  readonly answers: readonly TAnswered[];
}

/** The first `n` held-out questions in a seeded order: the same sample for the same corpus and seed. */
export function heldOutSample(corpus: TCorpus, n: number, seed: number): TItem[] {
  return Chooser.of(seed, 17).shuffle(corpus.heldOut).slice(0, n);
}

function tally(xs: readonly TAnswered[]): TTally {
  const correct = xs.filter((a) => a.correct).length;
  return { n: xs.length, correct, accuracy: xs.length === 0 ? 0 : correct / xs.length };
}

export const MAX_NEW_TOKENS = 48;

/** Greedy answers of the model in `dir` to `items`, judged. */
export async function answerItems(
  dir: string,
  corpus: TCorpus,
  items: readonly TItem[],
  o: { threads?: number; batch?: number } = {},
): Promise<TAnswered[]> {
  const model = loadModel(dir, { tokenizer: true, session: { intraOpThreads: o.threads } });
  try {
    const tok = model.tokenizer;
    if (!tok) throw new Error(`${dir}: no tokenizer`);
    const out: TAnswered[] = [];
    const batch = o.batch ?? 32;
    for (let i = 0; i < items.length; i += batch) {
      const chunk = items.slice(i, i + batch);
      const prompts = chunk.map((it) =>
        tok.encodeChat(
          it.messages.map((m) => ({ role: m.role, content: m.content })),
          { addGenerationPrompt: true },
        ),
      );
      const r = await generate(model, { prompts, maxNewTokens: MAX_NEW_TOKENS, params: { temperature: 0 } });
      r.candidates.forEach((c, k) => {
        const it = chunk[k] as TItem;
        out.push({
          id: it.id,
          type: it.type,
          followUp: it.followUp,
          answer: c.text ?? "",
          correct: isCorrect(it.truth, c.text ?? "", corpus.facts),
          style: styleOf(c.text ?? ""),
        });
      });
    }
    return out;
  } finally {
    await model.dispose();
  }
}

export function summarize(answers: readonly TAnswered[]): TEvaluation {
  const group = (key: (a: TAnswered) => string, keys: readonly string[]): Record<string, TTally> =>
    Object.fromEntries(
      keys.map((k): [string, TTally] => [k, tally(answers.filter((a) => key(a) === k))]).filter(([, t]) => t.n > 0),
    );
  return {
    ...tally(answers),
    byType: group((a) => a.type, [...new Set(answers.map((a) => a.type))].sort()),
    byStyle: group((a) => a.style, STYLES),
    followUps: tally(answers.filter((a) => a.followUp)),
    answers,
  };
}

export async function evaluateHeldOut(
  dir: string,
  corpus: TCorpus,
  o: { sample: number; seed: number; threads?: number },
): Promise<TEvaluation> {
  return summarize(await answerItems(dir, corpus, heldOutSample(corpus, o.sample, o.seed), o));
}
