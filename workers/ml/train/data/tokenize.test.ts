// Tests of tokenization on the real Qwen3 and Llama 3 tokenizers: BOS/EOS as TRL adds them, chat templates
// (prompt with the generation prompt, completion = the rest of the rendering), truncation counts.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LLAMA3_DIR, QWEN3_DIR } from "../../tokenizer/test-fixtures";
import { TextTokenizer, loadTokenizer } from "../../tokenizer/tokenizer";
import { loadDataset, type TMessage, type TPreferenceRow, type TPromptCompletionRow } from "./formats";
import { tempFiles } from "./test-helpers";
import {
  limitsOf,
  tokenizeCompletions,
  tokenizeDataset,
  tokenizeLm,
  tokenizePreferences,
  tokenizePrompts,
  tokenizeRankings,
  truncateExample,
  type TTruncation,
} from "./tokenize";

const qwen3 = loadTokenizer(QWEN3_DIR);
const llama3 = loadTokenizer(LLAMA3_DIR);
const tmp = tempFiles("prefloop-tokenize-");
afterAll(() => tmp.remove());

const LLAMA_BOS = 128000;
const LLAMA_EOS = 128001; // <|end_of_text|>
const QWEN_EOS = 151645; // <|im_end|>
const user = (content: string): TMessage => ({ role: "user", content });
const assistant = (content: string): TMessage => ({ role: "assistant", content });
const plain = (tok: TextTokenizer, s: string) => tok.encode(s, { addSpecialTokens: false });
const pc = (prompt: TPromptCompletionRow["prompt"], completion: TPromptCompletionRow["completion"], line = 1): TPromptCompletionRow => ({
  kind: "prompt-completion",
  line,
  prompt,
  completion,
});
const none: TTruncation = { examples: 0, promptTokens: 0, completionTokens: 0 };

// This copy of Llama 3's tokenizer.json has no BOS post-processor and its config no add_bos_token, so
// encode() adds nothing; with add_bos_token: true (as transformers' Llama tokenizers honour it) BOS comes first.
function llamaWith(config: Record<string, unknown>): TextTokenizer {
  const json = JSON.parse(fs.readFileSync(path.join(LLAMA3_DIR, "tokenizer.json"), "utf8")) as unknown;
  const base = JSON.parse(fs.readFileSync(path.join(LLAMA3_DIR, "tokenizer_config.json"), "utf8")) as Record<string, unknown>;
  return new TextTokenizer({ tokenizerJson: json, tokenizerConfig: { ...base, ...config } });
}
const llamaBos = llamaWith({ add_bos_token: true });

describe("standard rows", () => {
  it("BOS as the tokenizer adds it + prompt ids, completion ids + EOS", () => {
    expect(llamaBos.encode("Sky is")[0]).toBe(LLAMA_BOS);
    const { examples, truncation } = tokenizeCompletions([pc("Sky is", " blue.")], llamaBos);
    expect(examples).toEqual([{ line: 1, promptIds: [LLAMA_BOS, ...plain(llama3, "Sky is")], completionIds: [...plain(llama3, " blue."), LLAMA_EOS] }]);
    expect(truncation).toEqual(none);
    expect(tokenizeCompletions([pc("Sky is", " blue.")], llama3).examples[0]?.promptIds).toEqual(plain(llama3, "Sky is"));
  });

  it("Qwen3: no BOS (add_bos_token false, no bos_token), EOS <|im_end|>; appendEos: false drops it", () => {
    expect(tokenizeCompletions([pc("Sky is", " blue.")], qwen3).examples[0]).toEqual({ line: 1, promptIds: [45948, 374], completionIds: [6303, 13, QWEN_EOS] });
    expect(tokenizeCompletions([pc("Sky is", " blue.")], qwen3, { appendEos: false }).examples[0]?.completionIds).toEqual([6303, 13]);
  });

  it("never adds the EOS that add_eos_token would put after a prompt", () => {
    const both = llamaWith({ add_bos_token: true, add_eos_token: true });
    expect(both.encode("Sky is").at(-1)).toBe(LLAMA_EOS);
    expect(tokenizeCompletions([pc("Sky is", " blue.")], both).examples[0]?.promptIds).toEqual([LLAMA_BOS, ...plain(llama3, "Sky is")]);
  });

  it("language modeling: BOS + text + EOS, every token of it in ids", () => {
    expect(tokenizeLm([{ kind: "language-modeling", line: 4, text: "Hello there" }], llamaBos).examples).toEqual([
      { line: 4, ids: [LLAMA_BOS, ...plain(llama3, "Hello there"), LLAMA_EOS] },
    ]);
  });

  it("preferences and rankings: one prompt, each completion + EOS, margin and tiers kept", () => {
    const pref: TPreferenceRow = { kind: "preference", line: 2, prompt: "Q:", chosen: " yes", rejected: " no", margin: 1.5 };
    expect(tokenizePreferences([pref], llamaBos).examples).toEqual([
      { line: 2, promptIds: [LLAMA_BOS, ...plain(llama3, "Q:")], chosenIds: [...plain(llama3, " yes"), LLAMA_EOS], rejectedIds: [...plain(llama3, " no"), LLAMA_EOS], margin: 1.5 },
    ]);
    const ranked = tokenizeRankings([{ kind: "ranking", line: 3, prompt: "Q:", completions: [" a", " b", " c"], ranks: [1, 0, 1] }], qwen3).examples[0];
    expect(ranked).toEqual({ line: 3, promptIds: plain(qwen3, "Q:"), completions: [" a", " b", " c"].map((c) => [...plain(qwen3, c), QWEN_EOS]), tiers: [1, 0, 1] });
  });

  it("prompts for generation: BOS + prompt, the source kept", () => {
    const rows = [{ line: 9, prompt: "Write a haiku" }];
    expect(tokenizePrompts(rows, llamaBos).examples).toEqual([{ line: 9, promptIds: [LLAMA_BOS, ...plain(llama3, "Write a haiku")], prompt: "Write a haiku" }]);
  });
});

describe("conversational rows through the chat template", () => {
  const prompt = [user("Sky?")];
  it("Qwen3: the prompt with the generation prompt; the completion is the rest of the rendered conversation", () => {
    const [e] = tokenizeCompletions([pc(prompt, [assistant("Blue.")])], qwen3).examples;
    expect(qwen3.decode(e?.promptIds ?? [])).toBe("<|im_start|>user\nSky?<|im_end|>\n<|im_start|>assistant\n");
    expect(e?.promptIds).toEqual(qwen3.encodeChat(prompt, { addGenerationPrompt: true }));
    // Qwen3's template writes an empty think block into the final assistant turn; no EOS is appended after <|im_end|>\n.
    expect(qwen3.decode(e?.completionIds ?? [])).toBe("<think>\n\n</think>\n\nBlue.<|im_end|>\n");
    expect([...(e?.promptIds ?? []), ...(e?.completionIds ?? [])]).toEqual(qwen3.encodeChat([...prompt, assistant("Blue.")]));
  });

  it("passes template variables (Qwen3's enable_thinking: the think block moves into the prompt)", () => {
    const [e] = tokenizeCompletions([pc(prompt, [assistant("Blue.")])], qwen3, { chatTemplate: { variables: { enable_thinking: false } } }).examples;
    expect(qwen3.decode(e?.promptIds ?? [])).toBe("<|im_start|>user\nSky?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    expect(qwen3.decode(e?.completionIds ?? [])).toBe("Blue.<|im_end|>\n");
  });

  it("Llama 3: the template's BOS only, never a second one (even where encode() adds BOS)", () => {
    const [e] = tokenizeCompletions([pc([{ role: "system", content: "Be brief." }, ...prompt], [assistant("Blue.")])], llamaBos).examples;
    expect(e?.promptIds.slice(0, 2)).toEqual([LLAMA_BOS, 128006]);
    expect([...(e?.promptIds ?? []), ...(e?.completionIds ?? [])].filter((id) => id === LLAMA_BOS)).toHaveLength(1);
    // NOTE: this (original Llama 3) template appends the assistant header whether or not a generation prompt is
    // asked for, so the completion ends with one, exactly as TRL's rendering would.
    expect(llama3.decode(e?.completionIds ?? [])).toBe("Blue.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
  });

  it("cuts the prompt to the common prefix when the template renders the final turn differently (DeepSeek-R1 style)", () => {
    const tok = new TextTokenizer({
      tokenizerJson: JSON.parse(fs.readFileSync(path.join(QWEN3_DIR, "tokenizer.json"), "utf8")) as unknown,
      tokenizerConfig: {
        eos_token: "<|im_end|>",
        chat_template: "{% for m in messages %}[{{ m.role }}]{{ m.content }}<|im_end|>{% endfor %}{% if add_generation_prompt %}[assistant]<think>\n{% endif %}",
      },
    });
    const [e] = tokenizeCompletions([pc(prompt, [assistant("Blue.")])], tok).examples;
    expect(tok.decode(e?.promptIds ?? [])).toBe("[user]Sky?<|im_end|>[assistant]");
    expect(tok.decode(e?.completionIds ?? [])).toBe("Blue.<|im_end|>");
  });

  it("preferences: chosen and rejected each the rest of their own rendering", () => {
    const row: TPreferenceRow = { kind: "preference", line: 1, prompt, chosen: [assistant("Blue.")], rejected: [assistant("Green.")] };
    const [e] = tokenizePreferences([row], qwen3).examples;
    expect(qwen3.decode(e?.chosenIds ?? [])).toBe("<think>\n\n</think>\n\nBlue.<|im_end|>\n");
    expect(qwen3.decode(e?.rejectedIds ?? [])).toBe("<think>\n\n</think>\n\nGreen.<|im_end|>\n");
    expect(e).not.toHaveProperty("margin");
  });

  it("language modeling renders the whole conversation; prompts render with the generation prompt", () => {
    const messages = [user("Sky?"), assistant("Blue.")];
    expect(tokenizeLm([{ kind: "language-modeling", line: 1, text: messages }], qwen3).examples[0]?.ids).toEqual(qwen3.encodeChat(messages));
    const [p] = tokenizePrompts([{ line: 1, prompt }], qwen3).examples;
    expect(p).toEqual({ line: 1, promptIds: qwen3.encodeChat(prompt, { addGenerationPrompt: true }), prompt });
  });

  it("a prompt ending with an assistant turn gets no generation prompt", () => {
    const partial = [user("Count:"), assistant("1, 2,")];
    expect(tokenizePrompts([{ line: 1, prompt: partial }], qwen3).examples[0]?.promptIds).toEqual(qwen3.encodeChat(partial));
  });
});

describe("truncation", () => {
  const limits = { maxLength: 8, maxPromptLength: 4 };
  const seq = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  const run = (p: number, cs: number[]) => {
    const report: TTruncation = { examples: 0, promptTokens: 0, completionTokens: 0 };
    const out = truncateExample(seq(100, p), cs.map((c, k) => seq(200 + 100 * k, c)), limits, report);
    return { out, report };
  };

  it("leaves a sequence that fits alone", () => {
    expect(run(4, [4])).toEqual({ out: { promptIds: seq(100, 4), completions: [seq(200, 4)] }, report: none });
  });
  it("a long prompt keeps its end, as much as the completion leaves room for", () => {
    expect(run(10, [2])).toEqual({ out: { promptIds: seq(104, 6), completions: [seq(200, 2)] }, report: { examples: 1, promptTokens: 4, completionTokens: 0 } });
  });
  it("a long completion keeps its start after a short prompt", () => {
    expect(run(3, [10])).toEqual({ out: { promptIds: seq(100, 3), completions: [seq(200, 5)] }, report: { examples: 1, promptTokens: 0, completionTokens: 5 } });
  });
  it("both long: the prompt keeps maxPromptLength, every completion the rest", () => {
    expect(run(10, [10, 2, 5])).toEqual({
      out: { promptIds: seq(106, 4), completions: [seq(200, 4), seq(300, 2), seq(400, 4)] },
      report: { examples: 1, promptTokens: 6, completionTokens: 7 },
    });
  });

  it("counts over a dataset with a real tokenizer: prompt end and completion start kept", () => {
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    const rows = [pc(long, " short"), pc("Hi", ` ${long}`), pc("Hi", " ok")];
    const full = tokenizeCompletions(rows, qwen3, { maxLength: 1000 }).examples;
    const { examples, truncation } = tokenizeCompletions(rows, qwen3, { maxLength: 16, maxPromptLength: 6 });
    for (const [i, e] of examples.entries()) {
      const f = full[i]!;
      expect(e.promptIds.length + e.completionIds.length).toBeLessThanOrEqual(16);
      expect(e.promptIds).toEqual(f.promptIds.slice(f.promptIds.length - e.promptIds.length));
      expect(e.completionIds).toEqual(f.completionIds.slice(0, e.completionIds.length));
    }
    const dropped = (k: "promptIds" | "completionIds") => full.reduce((s, f, i) => s + f[k].length - examples[i]![k].length, 0);
    expect(truncation).toEqual({ examples: 2, promptTokens: dropped("promptIds"), completionTokens: dropped("completionIds") });
    expect(truncation.promptTokens).toBeGreaterThan(0);
    expect(truncation.completionTokens).toBeGreaterThan(0);
    expect(examples[2]).toEqual(full[2]);
  });

  it("language modeling keeps the start; prompts keep their last maxPromptLength tokens", () => {
    const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
    const all = tokenizeLm([{ kind: "language-modeling", line: 1, text }], llamaBos).examples[0]!.ids;
    expect(all[0]).toBe(LLAMA_BOS);
    const lm = tokenizeLm([{ kind: "language-modeling", line: 1, text }], llamaBos, { maxLength: 10 });
    expect(lm.examples[0]?.ids).toEqual(all.slice(0, 10));
    expect(lm.truncation).toEqual({ examples: 1, promptTokens: 0, completionTokens: all.length - 10 });
    const prompts = tokenizePrompts([{ line: 1, prompt: text }], llama3, { maxLength: 10, maxPromptLength: 5 });
    const promptAll = tokenizePrompts([{ line: 1, prompt: text }], llama3).examples[0]!.promptIds;
    expect(prompts.examples[0]?.promptIds).toEqual(promptAll.slice(-5));
    expect(prompts.truncation).toEqual({ examples: 1, promptTokens: promptAll.length - 5, completionTokens: 0 });
  });

  it("defaults to TRL's 1024 and half of it for prompts; rejects bad limits", () => {
    expect(limitsOf({})).toEqual({ maxLength: 1024, maxPromptLength: 512 });
    expect(() => limitsOf({ maxLength: 1 })).toThrow("maxLength must be an integer >= 2, got 1");
    expect(() => limitsOf({ maxLength: 8, maxPromptLength: 8 })).toThrow("maxPromptLength must be an integer in [1, maxLength = 8), got 8");
    expect(() => tokenizeCompletions([pc("a", "b")], qwen3, { maxLength: 2.5 })).toThrow(RangeError);
  });
});

describe("tokenizeDataset", () => {
  it("tokenizes a loaded dataset as its row kind (implicit preferences as preferences)", async () => {
    const file = tmp.write("hh.jsonl", [
      { chosen: "\n\nHuman: Hi\n\nAssistant: Hello!", rejected: "\n\nHuman: Hi\n\nAssistant: Go away." },
      { chosen: "\n\nHuman: 2+2?\n\nAssistant: 4", rejected: "\n\nHuman: 2+2?\n\nAssistant: 5" },
    ]);
    const out = tokenizeDataset(await loadDataset(file), llamaBos);
    if (out.kind !== "preference") throw new Error(`expected preference examples, got ${out.kind}`);
    expect(out.examples.map((e) => llama3.decode(e.promptIds))).toEqual(["<|begin_of_text|>\n\nHuman: Hi\n\nAssistant:", "<|begin_of_text|>\n\nHuman: 2+2?\n\nAssistant:"]);
    expect(out.examples.map((e) => llama3.decode(e.chosenIds))).toEqual([" Hello!<|end_of_text|>", " 4<|end_of_text|>"]);
    expect(out.truncation).toEqual(none);
  });
});
