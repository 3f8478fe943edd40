import { describe, expect, it } from "vitest";
import { answerIn, buildCorpus } from "./build-corpus";
import { STYLES, styleOf } from "./tasks";
import { domainMentions, isCorrect, QUESTION_TYPES } from "./truth";

const SMALL = { countries: 30, words: 30, maxNumber: 9, sftExamples: 600, pretrainRepeats: 2 };
const corpus = buildCorpus({ ...SMALL, seed: 7 });
const facts = corpus.facts;

describe("house corpus", () => {
  it("is a pure function of its seed", () => {
    const again = buildCorpus({ ...SMALL, seed: 7 });
    expect(JSON.stringify(again.sft)).toBe(JSON.stringify(corpus.sft));
    expect(again.pretrain).toEqual(corpus.pretrain);
    expect(again.heldOut.map((i) => i.id)).toEqual(corpus.heldOut.map((i) => i.id));
    const other = buildCorpus({ ...SMALL, seed: 8 });
    expect(JSON.stringify(other.sft)).not.toBe(JSON.stringify(corpus.sft));
  });

  it("never puts a held-out question into SFT or the ranking pool", () => {
    const held = new Set(corpus.heldOut.map((i) => i.id));
    expect(held.size).toBeGreaterThan(50);
    expect(corpus.sft.filter((s) => held.has(s.item.id))).toEqual([]);
    expect(corpus.pool.filter((i) => held.has(i.id))).toEqual([]);
    // The same check on the text the model sees: no held-out conversation is an SFT prompt.
    const key = (m: readonly { content: string }[]) => m.map((x) => x.content).join("\u0000");
    const sftPrompts = new Set(corpus.sft.map((s) => key(s.item.messages)));
    expect(corpus.heldOut.filter((i) => sftPrompts.has(key(i.messages)))).toEqual([]);
    // Held-out membership is the question's own: a different seed picks other entities but the same rule.
    expect(new Set(QUESTION_TYPES)).toEqual(new Set(corpus.heldOut.map((i) => i.type)));
  });

  it("states in pre-training every country fact a held-out question asks about", () => {
    const text = corpus.pretrain.join("\n");
    for (const it of corpus.heldOut.filter((i) => i.type === "capital"))
      expect(text).toContain(`${it.truth.answers[0]}`);
    for (const c of facts.countries) {
      expect(text).toMatch(
        new RegExp(
          `capital of ${c.name} is ${c.capital}|${c.capital} is the capital of ${c.name}|${c.name} has its capital in ${c.capital}`,
        ),
      );
    }
  });

  it("mixes styles, right and wrong answers, follow-ups and declines in SFT", () => {
    expect(new Set(corpus.sft.map((s) => s.style))).toEqual(new Set(STYLES));
    const wrong = corpus.sft.filter((s) => !s.correct).length / corpus.sft.length;
    expect(wrong).toBeGreaterThan(0.08);
    expect(wrong).toBeLessThan(0.22);
    expect(corpus.sft.some((s) => s.item.followUp && s.item.messages.length === 3)).toBe(true);
    expect(corpus.sft.some((s) => s.item.type === "decline")).toBe(true);
  });

  it("judges every SFT answer as it was generated (right ones right, wrong ones wrong)", () => {
    const disagreements = corpus.sft.filter((s) => isCorrect(s.item.truth, s.answer, facts) !== s.correct);
    expect(disagreements.map((s) => [s.item.id, s.answer, s.correct])).toEqual([]);
  });

  it("reads back the style of every SFT answer from its form", () => {
    expect(corpus.sft.filter((s) => styleOf(s.answer) !== s.style).map((s) => [s.style, s.answer])).toEqual([]);
  });

  it("checks answers by their content, whatever the style", () => {
    const france = { type: "capital" as const, answers: ["Paris"], allowed: [] };
    const f = { ...facts, capitals: [...facts.capitals, "Paris", "Lyon", "Port Louis"] };
    expect(isCorrect(france, "Paris", f)).toBe(true);
    expect(isCorrect(france, "Sure! The capital of France is Paris. Hope that helps!", f)).toBe(true);
    expect(isCorrect(france, "Paris or Lyon", f)).toBe(false);
    expect(isCorrect(france, "Lyon", f)).toBe(false);
    expect(isCorrect(france, "I don't know.", f)).toBe(false);
    expect(isCorrect(france, "", f)).toBe(false);
    expect(domainMentions("capital", "Port Louis is nice", f)).toEqual(["Port Louis"]);
    const sum = { type: "addition" as const, answers: ["7"], allowed: ["3", "4"] };
    expect(isCorrect(sum, "3 plus 4 is 7.", facts)).toBe(true);
    expect(isCorrect(sum, "3 plus 4 is 8.", facts)).toBe(false);
    expect(isCorrect(sum, "3 plus 4 is 17.", facts)).toBe(false);
    const rev = { type: "reversal" as const, answers: ["tac"], allowed: ["cat"] };
    expect(isCorrect(rev, "tac", facts)).toBe(true);
    expect(isCorrect(rev, 'cat backwards is "tac".', facts)).toBe(true);
    expect(isCorrect(rev, 'cat backwards is "tca".', facts)).toBe(false);
    const no = { type: "comparison" as const, answers: ["No"], allowed: [] };
    expect(isCorrect(no, "No, 3 is not greater than 4.", facts)).toBe(true);
    expect(isCorrect(no, "Yes, 3 is greater than 4.", facts)).toBe(false);
    const decline = { type: "decline" as const, answers: ["decline"], allowed: [] };
    expect(isCorrect(decline, "I'm sorry, I don't know that.", facts)).toBe(true);
    expect(isCorrect(decline, "The answer is Paris.", facts)).toBe(false);
  });

  it("renders right answers that the checker accepts in every style for every held-out item", () => {
    for (const item of corpus.heldOut.slice(0, 300))
      for (const style of STYLES) {
        expect(isCorrect(item.truth, answerIn(corpus, item, style, true, 1), facts), `${item.id} ${style}`).toBe(true);
        expect(isCorrect(item.truth, answerIn(corpus, item, style, false, 1), facts), `${item.id} ${style} wrong`).toBe(
          false,
        );
      }
  });
});
