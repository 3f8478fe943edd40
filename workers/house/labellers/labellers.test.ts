import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { answerIn, buildCorpus, type TItem } from "../corpus/build-corpus";
import type { TStyle } from "../corpus/tasks";
import { isCorrect } from "../corpus/truth";
import { loadOracle } from "./load-oracle";
import { oraclePrompt, type TOraclePrompt } from "./oracle";
import { simulatedLabeller } from "./simulated-labeller";

const corpus = buildCorpus({ countries: 20, words: 20, maxNumber: 9, sftExamples: 10, pretrainRepeats: 1 });
const prompt = (item: TItem): TOraclePrompt => oraclePrompt(item, (t) => isCorrect(item.truth, t, corpus.facts));
const items = corpus.pool.filter((i) => i.type !== "decline").slice(0, 400);
/** Candidates: right in sentence, right terse, wrong in sentence, right chatty. */
const candidatesOf = (item: TItem, seed = 1) =>
  (
    [
      ["sentence", true],
      ["terse", true],
      ["sentence", false],
      ["chatty", true],
    ] as [TStyle, boolean][]
  ).map(([s, ok]) => answerIn(corpus, item, s, ok, seed));

const exact = {
  name: "exact",
  styleOrder: ["sentence", "terse"] as TStyle[],
  noise: 0,
  tieRate: 0,
  skipRate: 0,
  seed: 1,
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "oracle-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("simulated labellers", () => {
  it("rank correct before wrong, then by their style preference", () => {
    const lab = simulatedLabeller(exact);
    for (const item of items.slice(0, 100))
      expect(lab.rank(prompt(item), candidatesOf(item)), item.id).toEqual([[0], [1], [3], [2]]);
    const terseFirst = simulatedLabeller({ ...exact, styleOrder: ["terse"] });
    expect(terseFirst.rank(prompt(items[0] as TItem), candidatesOf(items[0] as TItem))).toEqual([[1], [0], [3], [2]]);
  });

  it("tie candidates of the same correctness and style", () => {
    const item = items[0] as TItem;
    const c = candidatesOf(item);
    expect(simulatedLabeller(exact).rank(prompt(item), [c[0] as string, c[0] as string, c[2] as string])).toEqual([
      [0, 1],
      [2],
    ]);
  });

  it("make noisy judgments, ties and skips at about the configured rates, deterministically", () => {
    const lab = simulatedLabeller({ ...exact, noise: 0.3, tieRate: 0.2, skipRate: 0.1 });
    const clean = simulatedLabeller(exact);
    let skipped = 0;
    let tied = 0;
    let differs = 0;
    for (const item of items) {
      const r = lab.rank(prompt(item), candidatesOf(item));
      expect(lab.rank(prompt(item), candidatesOf(item))).toEqual(r);
      if (r === null) {
        skipped++;
        continue;
      }
      if (r.length < 4) tied++;
      else if (JSON.stringify(r) !== JSON.stringify(clean.rank(prompt(item), candidatesOf(item)))) differs++;
    }
    const n = items.length;
    expect(skipped / n).toBeGreaterThan(0.05);
    expect(skipped / n).toBeLessThan(0.16);
    expect(tied / (n - skipped)).toBeGreaterThan(0.12);
    expect(tied / (n - skipped)).toBeLessThan(0.28);
    // A random order of 4 equals the clean one 1 time in 24.
    expect(differs / (n - skipped - tied)).toBeGreaterThan(0.2);
    expect(differs / (n - skipped - tied)).toBeLessThan(0.4);
    expect(() => simulatedLabeller({ ...exact, noise: 1.5 })).toThrow("noise must be a share in [0, 1], got 1.5");
  });
});

describe("oracles by name or module path", () => {
  it("load the built-in panels, which differ in the style they prefer", async () => {
    const sentence = await loadOracle("sentence");
    const terse = await loadOracle("terse");
    let sentenceFirst = 0;
    let terseFirst = 0;
    for (const item of items.slice(0, 200)) {
      const c = candidatesOf(item);
      if ((await sentence.rank(prompt(item), c))?.[0]?.includes(0)) sentenceFirst++;
      if ((await terse.rank(prompt(item), c))?.[0]?.includes(1)) terseFirst++;
    }
    expect(sentenceFirst).toBeGreaterThan(150);
    expect(terseFirst).toBeGreaterThan(150);
  });

  it("plug in any module exporting rank(prompt, candidates), such as the example", async () => {
    const chatty = await loadOracle(path.join(import.meta.dirname, "examples", "prefer-chatty.mjs"));
    const item = items[3] as TItem;
    expect(await chatty.rank(prompt(item), candidatesOf(item))).toEqual([[3], [0], [1], [2]]);
    const file = path.join(tmp, "default-export.mjs");
    fs.writeFileSync(file, "export default (prompt, candidates) => [candidates.map((_, i) => i)];\n");
    expect(await (await loadOracle(file)).rank(prompt(item), ["a", "b"])).toEqual([[0, 1]]);
  });

  it("say clearly what is wrong with a missing, broken or misbehaving module", async () => {
    await expect(loadOracle(path.join(tmp, "nope.js"))).rejects.toThrow(
      "not a built-in oracle (sentence, terse) nor an existing module file",
    );
    const noRank = path.join(tmp, "no-rank.mjs");
    fs.writeFileSync(noRank, "export const x = 1;\n");
    await expect(loadOracle(noRank)).rejects.toThrow("exports no rank(prompt, candidates) function");
    const bad = path.join(tmp, "bad.mjs");
    fs.writeFileSync(bad, "export function rank() { return [[0], [0, 7]]; }\n");
    const o = await loadOracle(bad);
    const item = items[0] as TItem;
    await expect(o.rank(prompt(item), ["a", "b"])).rejects.toThrow(
      `oracle bad.mjs on prompt ${item.id}: candidate 0 is in two tiers`,
    );
    fs.writeFileSync(bad.replace("bad", "bad2"), "export function rank() { return [[5]]; }\n");
    const o2 = await loadOracle(bad.replace("bad", "bad2"));
    await expect(o2.rank(prompt(item), ["a", "b"])).rejects.toThrow("tier 0 holds 5, not a candidate index in [0, 2)");
  });
});
