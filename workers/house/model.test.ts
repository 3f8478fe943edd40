// The committed built-in model, through the ordinary checkpoint path: it answers a sample of held-out
// questions greedily at the accuracy its card states, and `npm run generate -- --model house` finds it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../ml/cli/generate";
import { buildCorpus } from "./corpus/build-corpus";
import { answerItems, heldOutSample } from "./train/evaluate";
import { EVAL_FILE } from "./train/model-card";
import { FULL } from "./train/profiles";

const DIR = path.join(import.meta.dirname, "model");
const card = JSON.parse(fs.readFileSync(path.join(DIR, EVAL_FILE), "utf8")) as {
  sample: number;
  accuracy: number;
  answers: { id: string; correct: boolean }[];
};
/** Questions this test answers: the first of the card's seeded sample (the card answered all of it). */
const N = 300;

describe("the built-in model (workers/house/model)", () => {
  it("answers held-out questions greedily at the accuracy its card states", { timeout: 240_000 }, async () => {
    const corpus = buildCorpus(FULL.corpus);
    const sample = heldOutSample(corpus, card.sample, FULL.seed).slice(0, N);
    expect(sample.map((i) => i.id)).toEqual(card.answers.slice(0, N).map((a) => a.id));
    const answers = await answerItems(DIR, corpus, sample, { threads: 2 });
    const accuracy = answers.filter((a) => a.correct).length / N;
    // The sample is N of the card's card.sample questions drawn without replacement: its accuracy differs from
    // the card's by at most three standard deviations of the hypergeometric draw.
    const p = card.accuracy;
    const sd = Math.sqrt(((p * (1 - p)) / N) * ((card.sample - N) / (card.sample - 1)));
    expect(Math.abs(accuracy - p), `accuracy ${accuracy} on ${N}, card ${p}, sd ${sd}`).toBeLessThanOrEqual(
      3 * sd + 1e-9,
    );
    // And question by question, the same verdicts as when the card was written (greedy decoding is
    // deterministic; a near-tie in the logits may flip on another CPU, hence not all N are required).
    const same = answers.filter((a, i) => a.correct === card.answers[i]?.correct).length;
    expect(same).toBeGreaterThanOrEqual(N - 3);
  });

  it("is found by name: npm run generate -- --model house", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      [
        "--model",
        "house",
        "--chat",
        "--prompt",
        "What is 2 plus 3?",
        "--temperature",
        "0",
        "--max-new-tokens",
        "24",
        "--json",
        "--threads",
        "1",
      ],
      { out: (t) => out.push(t), err: (t) => err.push(t) },
    );
    expect(code, err.join("\n")).toBe(0);
    const result = JSON.parse(out.join("\n")) as { candidates: { text: string }[] };
    expect(result.candidates[0]?.text).toMatch(/\b5\b/);
  });
});
