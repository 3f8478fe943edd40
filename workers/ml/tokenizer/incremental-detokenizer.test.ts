// Tests of streaming detokenization on real tokenizers: deltas concatenate to the full decode, characters never split.
import { describe, expect, it } from "vitest";
import { IncrementalDetokenizer } from "./incremental-detokenizer";
import { LLAMA3_DIR, QWEN3_DIR, SAMPLES } from "./test-fixtures";
import { loadTokenizer, type TextTokenizer } from "./tokenizer";

const qwen3 = loadTokenizer(QWEN3_DIR);
const llama3 = loadTokenizer(LLAMA3_DIR);

function stream(tok: TextTokenizer, ids: readonly number[], skipSpecialTokens = false): string[] {
  const detok = new IncrementalDetokenizer(tok, { skipSpecialTokens });
  return [...ids.map((id) => detok.push(id)), detok.flush()];
}

describe.each([
  ["Qwen3", qwen3],
  ["Llama 3", llama3],
])("%s", (_name, tok) => {
  it.each(SAMPLES)("%s", (text) => {
    const ids = tok.encode(text, { addSpecialTokens: false });
    const deltas = stream(tok, ids);
    expect(deltas.join("")).toBe(tok.decode(ids));
    expect(deltas.join("")).toBe(text);
    for (const d of deltas) {
      expect(d.includes("\uFFFD")).toBe(false);
      expect(d.isWellFormed()).toBe(true);
    }
    expect(deltas.at(-1)).toBe("");
  });
});

describe("IncrementalDetokenizer", () => {
  it("holds back a token that ends inside a character until the character is complete", () => {
    // 😀 is four UTF-8 bytes; Llama 3 spends more than one token on it.
    const ids = llama3.encode("😀", { addSpecialTokens: false });
    expect(ids.length).toBeGreaterThan(1);
    const deltas = stream(llama3, ids);
    expect(deltas.slice(0, -2).every((d) => d === "")).toBe(true);
    expect(deltas.at(-2)).toBe("😀");
  });
  it("streams a chat with special tokens kept or skipped", () => {
    const ids = qwen3.encodeChat([
      { role: "user", content: "写一首诗 🌸" },
      { role: "assistant", content: "春风 🌸" },
    ]);
    expect(stream(qwen3, ids).join("")).toBe(qwen3.decode(ids));
    expect(stream(qwen3, ids, true).join("")).toBe(qwen3.decode(ids, { skipSpecialTokens: true }));
    // <think> and </think> are added tokens but not special ones, so they stay (as in transformers).
    expect(stream(qwen3, ids, true).join("")).toBe("user\n写一首诗 🌸\nassistant\n<think>\n\n</think>\n\n春风 🌸\n");
  });
  it("flushes an incomplete character at the end as U+FFFD, like the full decode", () => {
    const ids = llama3.encode("a😀", { addSpecialTokens: false }).slice(0, -1);
    const deltas = stream(llama3, ids);
    expect(deltas.join("")).toBe(llama3.decode(ids));
    expect(deltas.at(-1)?.endsWith("\uFFFD")).toBe(true);
  });
});
