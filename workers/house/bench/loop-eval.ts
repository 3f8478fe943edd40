// What the loop benchmark measures about a policy and a reward model, on held-out questions only.
import { generate } from "../../ml/generate/generate";
import { loadModel, type CausalLM } from "../../ml/model/causal-lm";
import { completionBatch, leftPadBatch } from "../../ml/model/text-batch";
import type { TCorpus, TItem } from "../corpus/build-corpus";
import { styleOf, type TStyle } from "../corpus/tasks";
import { isCorrect } from "../corpus/truth";
import { oraclePrompt, type TOracle } from "../labellers/oracle";
import { END_TOKEN } from "../tokenizer/house-tokenizer";

export interface TPolicyEval {
  readonly accuracy: number;
  readonly styleRate: Readonly<Record<TStyle, number>>;
  readonly meanReward: number;
  /** Mean over held-out greedy answers of log pi(answer) - log ref(answer), in nats. */
  readonly klToReference: number;
  /** Exact-answer accuracy per question type. */
  readonly byType: Readonly<Record<string, number>>;
}

const chatIds = (m: CausalLM, item: TItem) =>
  (m.tokenizer as NonNullable<CausalLM["tokenizer"]>).encodeChat(
    item.messages.map((x) => ({ role: x.role, content: x.content })),
    { addGenerationPrompt: true },
  );

/** A completion's ids as the trainer's conversational rows tokenise it: the text, then the end of the turn. */
export const completionIds = (m: CausalLM, text: string) =>
  (m.tokenizer as NonNullable<CausalLM["tokenizer"]>).encode(`${text}${END_TOKEN}`, { addSpecialTokens: false });

export async function sampleCandidates(
  dir: string,
  items: readonly TItem[],
  o: { k: number; temperature: number; seed: number; threads?: number },
): Promise<string[][]> {
  const m = loadModel(dir, { tokenizer: true, session: { intraOpThreads: o.threads } });
  try {
    const out: string[][] = [];
    for (let i = 0; i < items.length; i += 32) {
      const chunk = items.slice(i, i + 32);
      const r = await generate(m, {
        prompts: chunk.map((it) => chatIds(m, it)),
        n: o.k,
        maxNewTokens: 48,
        params: { temperature: o.temperature },
        seed: o.seed + i,
      });
      chunk.forEach((_, p) => out.push(r.candidates.slice(p * o.k, (p + 1) * o.k).map((c) => c.text ?? "")));
    }
    return out;
  } finally {
    await m.dispose();
  }
}

export async function rewards(
  rmDir: string,
  items: readonly TItem[],
  texts: readonly string[],
  threads?: number,
): Promise<number[]> {
  const rm = loadModel(rmDir, { tokenizer: true, session: { intraOpThreads: threads } });
  try {
    const pad = rm.config.padTokenId ?? 0;
    const out: number[] = [];
    for (let i = 0; i < items.length; i += 32) {
      const rows = items
        .slice(i, i + 32)
        .map((it, k) =>
          [...chatIds(rm, it), ...completionIds(rm, texts[i + k] ?? "")].slice(0, rm.config.maxPositionEmbeddings),
        );
      out.push(...(await rm.reward(leftPadBatch(rows, pad))));
    }
    return out;
  } finally {
    await rm.dispose();
  }
}

async function sumLogprobs(
  dir: string,
  items: readonly TItem[],
  texts: readonly string[],
  threads?: number,
): Promise<number[]> {
  const m = loadModel(dir, { tokenizer: true, session: { intraOpThreads: threads } });
  try {
    const out: number[] = [];
    for (let i = 0; i < items.length; i += 32) {
      const chunk = items.slice(i, i + 32);
      const { batch, completionMask } = completionBatch(
        chunk.map((it) => chatIds(m, it)),
        // A completion that runs to the context window (an unfinished answer) is scored on what fits.
        chunk.map((it, k) =>
          completionIds(m, texts[i + k] ?? "").slice(
            0,
            Math.max(0, m.config.maxPositionEmbeddings - chatIds(m, it).length),
          ),
        ),
        m.config.padTokenId ?? 0,
      );
      out.push(...(await m.score(batch, completionMask)).sumLogprobs);
    }
    return out;
  } finally {
    await m.dispose();
  }
}

export async function evaluatePolicy(
  policyDir: string,
  referenceDir: string,
  rmDir: string,
  corpus: TCorpus,
  items: readonly TItem[],
  threads?: number,
): Promise<TPolicyEval & { answers: string[] }> {
  const answers = (await sampleCandidates(policyDir, items, { k: 1, temperature: 0, seed: 0, threads })).map(
    (c) => c[0] ?? "",
  );
  const correct = answers.filter((a, i) => isCorrect((items[i] as TItem).truth, a, corpus.facts)).length;
  const styleRate = { terse: 0, sentence: 0, "extra-fact": 0, chatty: 0 };
  for (const a of answers) styleRate[styleOf(a)] += 1 / answers.length;
  const r = await rewards(rmDir, items, answers, threads);
  const pi = await sumLogprobs(policyDir, items, answers, threads);
  const ref = policyDir === referenceDir ? pi : await sumLogprobs(referenceDir, items, answers, threads);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const types = [...new Set(items.map((it) => it.type))].sort();
  const byType = Object.fromEntries(
    types.map((t) => {
      const idx = items.flatMap((it, i) => (it.type === t ? [i] : []));
      return [
        t,
        idx.filter((i) => isCorrect((items[i] as TItem).truth, answers[i] ?? "", corpus.facts)).length / idx.length,
      ];
    }),
  );
  return {
    byType,
    accuracy: correct / items.length,
    styleRate,
    meanReward: mean(r),
    klToReference: mean(pi.map((x, i) => x - (ref[i] ?? 0))),
    answers,
  };
}

/** The reward model's pairwise accuracy on the oracle's rankings of held-out candidates (ties skipped). */
export async function rmPairwiseAccuracy(
  rmDir: string,
  corpus: TCorpus,
  items: readonly TItem[],
  candidates: readonly string[][],
  oracle: TOracle,
  threads?: number,
): Promise<{ accuracy: number; pairs: number }> {
  const flatItems = items.flatMap((it, i) => (candidates[i] ?? []).map(() => it));
  const flat = candidates.flat();
  const r = await rewards(rmDir, flatItems, flat, threads);
  let ok = 0;
  let pairs = 0;
  let offset = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as TItem;
    const c = candidates[i] ?? [];
    const tiers = await oracle.rank(
      oraclePrompt(item, (t) => isCorrect(item.truth, t, corpus.facts)),
      c,
    );
    for (let a = 0; tiers && a < tiers.length; a++)
      for (let b = a + 1; b < tiers.length; b++)
        for (const x of tiers[a] ?? [])
          for (const y of tiers[b] ?? []) {
            if ((c[x] ?? "") === (c[y] ?? "")) continue;
            pairs++;
            if ((r[offset + x] ?? 0) > (r[offset + y] ?? 0)) ok++;
          }
    offset += c.length;
  }
  return { accuracy: pairs === 0 ? NaN : ok / pairs, pairs };
}
