// The decoding loop on a golden checkpoint with a character-level tokenizer: seeded repeatability, random
// streams independent of batch composition, EOS, stop strings, max_new_tokens, the context window, streaming.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel, type CausalLM } from "../model/causal-lm";
import { copyModelDir, goldenPrompts, tempRoot, writeCharTokenizer } from "../model/test-fixtures";
import { loadGoldenFixture } from "../reference/golden/golden-fixture";
import { expectClose } from "../testing";
import type { TTokenEvent } from "./candidate";
import { generate, type TGenerateOptions } from "./generate";
import { ContextWindowError } from "./prompts";

const fixture = loadGoldenFixture();
function must<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`golden fixture: ${what} missing`);
  return x;
}
const golden = must(
  fixture.configs.find((c) => c.name === "llama-gqa"),
  "llama-gqa",
);
const batchCase = must(
  golden.cases.find((c) => c.name === "batch"),
  "llama-gqa batch case",
);
const tmp = tempRoot("prefloop-generate-");
const models: CausalLM[] = [];
/** A copy of the golden model with a tokenizer (of `tokenizerVocab` ids) and config.json overrides. */
function modelWith(configPatch: Record<string, unknown> = {}, tokenizerVocab = golden.config.vocab_size): CausalLM {
  const dir = copyModelDir(golden.dir, tmp.fresh("model"), configPatch);
  writeCharTokenizer(dir, tokenizerVocab);
  const m = loadModel(dir, { session: { intraOpThreads: 1 } });
  models.push(m);
  return m;
}
afterAll(async () => {
  for (const m of models) await m.dispose();
  tmp.remove();
});

const PROMPTS = goldenPrompts(batchCase); // lengths 5, 8, 3
const GREEDY = batchCase.greedy; // 8 tokens each, no EOS, PAD or BOS inside
const sampled: Omit<TGenerateOptions, "prompts"> = {
  n: 3,
  maxNewTokens: 6,
  params: { temperature: 1, topP: 0.95 },
  seed: 11,
};

let model: CausalLM;
beforeAll(() => {
  model = modelWith();
});

describe("sampling", () => {
  it("repeats exactly from a seed, and another seed gives other candidates", async () => {
    const a = await generate(model, { ...sampled, prompts: PROMPTS });
    const b = await generate(model, { ...sampled, prompts: PROMPTS });
    expect(b.candidates).toEqual(a.candidates);
    const c = await generate(model, { ...sampled, prompts: PROMPTS, seed: 12 });
    expect(c.candidates.map((x) => x.tokenIds)).not.toEqual(a.candidates.map((x) => x.tokenIds));
    expect(a.candidates).toHaveLength(9);
    expect(new Set(a.candidates.filter((x) => x.prompt === 0).map((x) => x.tokenIds.join(","))).size).toBeGreaterThan(
      1,
    );
  });

  it("gives candidate j of a prompt the same random stream whatever n and the other prompts are", async () => {
    const target = PROMPTS[1] ?? [];
    const two = await generate(model, { ...sampled, prompts: [PROMPTS[0] ?? [], target], n: 2 });
    const four = await generate(model, { ...sampled, prompts: [PROMPTS[0] ?? [], target], n: 4 });
    const alone = await generate(model, { ...sampled, prompts: [PROMPTS[2] ?? [], target], n: 2 });
    const ofPrompt1 = (r: typeof two) => r.candidates.filter((x) => x.prompt === 1).slice(0, 2);
    for (const other of [four, alone]) {
      expect(ofPrompt1(other).map((x) => x.tokenIds)).toEqual(ofPrompt1(two).map((x) => x.tokenIds));
      expectClose(
        ofPrompt1(other).flatMap((x) => x.tokenLogprobs),
        ofPrompt1(two).flatMap((x) => x.tokenLogprobs),
        { atol: 1e-5, rtol: 1e-5 },
        "log-probs",
      );
    }
  });

  it("reports the model's raw log-probs of the chosen tokens and timing stats", async () => {
    const r = await generate(model, { ...sampled, prompts: PROMPTS, params: { temperature: 0.5, topK: 5 } });
    for (const c of r.candidates) {
      expect(c.tokenLogprobs).toHaveLength(c.tokenIds.length);
      expect(c.sumLogprob).toBeCloseTo(
        c.tokenLogprobs.reduce((s, x) => s + x, 0),
        10,
      );
      expect(c.tokenLogprobs.every((x) => x < 0)).toBe(true);
    }
    expect(r.stats.promptTokens).toBe(5 + 8 + 3);
    expect(r.stats.newTokens).toBe(9 * 6);
    expect(r.stats.decodeSteps).toBe(5);
    expect(r.stats.prefillMs).toBeGreaterThan(0);
    expect(r.stats.decodeMs).toBeGreaterThan(0);
  });

  it("is greedy at temperature 0: n candidates are the reference continuation", async () => {
    const r = await generate(model, { prompts: PROMPTS, n: 2, maxNewTokens: 8, params: { temperature: 0 } });
    expect(r.candidates.map((x) => x.tokenIds)).toEqual(GREEDY.flatMap((g) => [g, g]));
  });
});

describe("stopping", () => {
  it("stops at max_new_tokens", async () => {
    const r = await generate(model, { ...sampled, prompts: PROMPTS, maxNewTokens: 3 });
    expect(r.candidates.every((x) => x.tokenIds.length === 3 && x.finishReason === "length")).toBe(true);
  });

  it("stops each row at EOS (the batch shrinks, the other rows go on unchanged) unless told to ignore it", async () => {
    const eos = GREEDY[0]?.[2] ?? -1;
    const eosModel = modelWith({ eos_token_id: eos });
    const r = await generate(eosModel, { prompts: PROMPTS, maxNewTokens: 8, params: { temperature: 0 } });
    const expected = GREEDY.map((g) => (g.includes(eos) ? g.slice(0, g.indexOf(eos) + 1) : g));
    expect(r.candidates.map((x) => x.tokenIds)).toEqual(expected);
    expect(r.candidates.map((x) => x.finishReason)).toEqual(expected.map((e) => (e.at(-1) === eos ? "eos" : "length")));
    expect(r.candidates[0]?.tokenIds).toHaveLength(3);
    const ignoring = await generate(eosModel, {
      prompts: PROMPTS,
      maxNewTokens: 8,
      params: { temperature: 0 },
      ignoreEos: true,
    });
    expect(ignoring.candidates.map((x) => x.tokenIds)).toEqual(GREEDY);
  });

  it("stops at a stop string: text cut before it, tokens up to the one completing it", async () => {
    const tok = model.tokenizer;
    if (!tok) throw new Error("test model has no tokenizer");
    const greedy = GREEDY[1] ?? [];
    expect(greedy.every((id) => id >= 3)).toBe(true); // one character per token
    const full = tok.decode(greedy);
    const stop = full.slice(3, 5);
    const at = full.indexOf(stop);
    const r = await generate(model, {
      prompts: [PROMPTS[1] ?? []],
      maxNewTokens: 8,
      params: { temperature: 0 },
      stopStrings: ["not in the text", stop],
    });
    const c = r.candidates[0];
    expect(c?.finishReason).toBe("stop");
    expect(c?.stopString).toBe(stop);
    expect(c?.text).toBe(full.slice(0, at));
    expect(c?.tokenIds).toEqual(greedy.slice(0, at + stop.length));
  });

  it("calls onToken for every token of every candidate, in order, with text deltas", async () => {
    const events: TTokenEvent[] = [];
    const r = await generate(model, { ...sampled, prompts: PROMPTS, onToken: (e) => events.push(e) });
    expect(events).toHaveLength(r.stats.newTokens);
    for (const c of r.candidates) {
      const mine = events.filter((e) => e.prompt === c.prompt && e.candidate === c.candidate);
      expect(mine.map((e) => e.token)).toEqual(c.tokenIds);
      expect(mine.map((e) => e.step)).toEqual(c.tokenIds.map((_, i) => i));
      expect(mine.map((e) => e.logprob)).toEqual(c.tokenLogprobs);
      expect(mine.map((e) => e.textDelta).join("")).toBe(c.text);
      expect(mine.at(-1)?.finishReason).toBe(c.finishReason);
    }
  });
});

describe("prompts and limits", () => {
  it("encodes text prompts with the tokenizer (BOS added)", async () => {
    const r = await generate(model, { prompts: ["abc", "hello"], maxNewTokens: 2, params: { temperature: 0 } });
    expect(r.promptTokenIds.map((p) => p[0])).toEqual([1, 1]);
    expect(model.tokenizer?.decode(r.promptTokenIds[1] ?? [], { skipSpecialTokens: true })).toBe("hello");
    expect(r.candidates.map((c) => typeof c.text)).toEqual(["string", "string"]);
  });

  it("fails with both numbers when prompt + max_new_tokens exceed the context window, or truncates when asked", async () => {
    const long = [1, ...Array.from({ length: 59 }, (_, i) => 3 + (i % 100))]; // 60 tokens; the window is 64
    const run = (o: Partial<TGenerateOptions>) =>
      generate(model, { prompts: [long], maxNewTokens: 8, params: { temperature: 0 }, ...o });
    await expect(run({})).rejects.toThrow(ContextWindowError);
    await expect(run({})).rejects.toThrow(/60 tokens; with max_new_tokens 8 .* max_position_embeddings 64/);
    await expect(run({ maxNewTokens: 4 })).resolves.toBeTruthy();
    const cut = await run({ truncatePrompt: true });
    expect(cut.truncatedTokens).toEqual([4]);
    expect(cut.promptTokenIds[0]).toEqual(long.slice(4));
    expect(cut.candidates[0]?.tokenIds).toHaveLength(8);
    await expect(run({ maxNewTokens: 64, truncatePrompt: true })).rejects.toThrow(/even after truncating/);
  });

  it("gives ids past the tokenizer's vocabulary (embedding padding rows) no text instead of failing", async () => {
    const small = modelWith({}, 64); // the model has 192 ids, the tokenizer 64
    const r = await generate(small, {
      prompts: [[1, 10, 20]],
      n: 4,
      maxNewTokens: 8,
      params: { temperature: 1 },
      seed: 3,
    });
    const ids = r.candidates.flatMap((c) => c.tokenIds);
    expect(ids.some((id) => id >= 64)).toBe(true);
    for (const c of r.candidates)
      expect(c.text).toBe(
        small.tokenizer?.decode(
          c.tokenIds.filter((id) => id < 64),
          { skipSpecialTokens: true },
        ),
      );
  });

  it("rejects bad options clearly", async () => {
    await expect(generate(model, { prompts: [], maxNewTokens: 2 })).rejects.toThrow(/no prompts/);
    await expect(generate(model, { prompts: [[1, 2]], maxNewTokens: 2, n: 0 })).rejects.toThrow(
      /n must be an integer >= 1/,
    );
    await expect(generate(model, { prompts: [[1, 9999]], maxNewTokens: 2 })).rejects.toThrow(
      /token id 9999, outside the vocabulary/,
    );
    await expect(generate(model, { prompts: [[1, 2]], maxNewTokens: 0 })).rejects.toThrow(
      /max_new_tokens must be an integer >= 1/,
    );
    const bare = loadModel(golden.dir, { session: { intraOpThreads: 1 } });
    models.push(bare);
    await expect(generate(bare, { prompts: ["text"], maxNewTokens: 2 })).rejects.toThrow(/need a tokenizer/);
    await expect(generate(bare, { prompts: [[1, 2]], maxNewTokens: 2, stopStrings: ["x"] })).rejects.toThrow(
      /stop strings need a tokenizer/,
    );
    const ids = await generate(bare, { prompts: [[1, 2]], maxNewTokens: 2 });
    expect(ids.candidates[0]?.text).toBeNull();
  });
});
