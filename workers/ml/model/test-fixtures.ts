// Shared by the model, generate and cli tests only: golden cases as batches, model-directory copies, and a
// character-level tokenizer.json over a golden model's small vocabulary.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { tensor } from "../ir";
import type { GoldenCase } from "../reference/golden/golden-fixture";
import type { TTextBatch } from "./text-batch";

const int64 = (rows: number[][]) => BigInt64Array.from(rows.flat(), (x) => BigInt(x));

/** A golden case's inputs exactly as the fixture holds them (pads at position 1). */
export function goldenBatch(c: GoldenCase): TTextBatch {
  const [B, T] = c.logitsShape;
  return {
    inputIds: tensor("int64", [B, T], int64(c.inputIds)),
    attentionMask: tensor("int64", [B, T], int64(c.attentionMask)),
    positionIds: tensor("int64", [B, T], int64(c.positionIds)),
  };
}

/** The real (unpadded) prompt rows of a golden case. */
export function goldenPrompts(c: GoldenCase): number[][] {
  return c.inputIds.map((row, b) => row.filter((_, t) => c.attentionMask[b]?.[t] === 1));
}

export function tempRoot(prefix: string): { dir: string; fresh: (name: string) => string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    fresh: (name) => fs.mkdtempSync(path.join(dir, `${name}-`)),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Copies config.json and the weights of `src` into `dst`, with config.json fields overridden. */
export function copyModelDir(src: string, dst: string, configPatch: Record<string, unknown> = {}): string {
  fs.mkdirSync(dst, { recursive: true });
  for (const f of fs.readdirSync(src))
    if (f.endsWith(".safetensors") || f.endsWith(".json")) fs.copyFileSync(path.join(src, f), path.join(dst, f));
  const config = JSON.parse(fs.readFileSync(path.join(src, "config.json"), "utf8")) as Record<string, unknown>;
  fs.writeFileSync(path.join(dst, "config.json"), JSON.stringify({ ...config, ...configPatch }, null, 2));
  return dst;
}

/** Characters the test tokenizer maps to ids 3, 4, ...: printable ASCII, newline, then Greek letters. */
export function tokenizerChars(vocabSize: number): string[] {
  const chars = ["\n"];
  for (let c = 32; c < 127 && chars.length < vocabSize - 3; c++) chars.push(String.fromCharCode(c));
  for (let c = 0x3b1; chars.length < vocabSize - 3; c++) chars.push(String.fromCharCode(c));
  return chars;
}

/**
 * Writes tokenizer.json (a BPE without merges: one token per character, specials <pad> 0, <s> 1, </s> 2 as
 * in the golden configs) and tokenizer_config.json (BOS added, a small chat template) into `dir`.
 */
export function writeCharTokenizer(dir: string, vocabSize: number): void {
  const vocab: Record<string, number> = { "<pad>": 0, "<s>": 1, "</s>": 2 };
  tokenizerChars(vocabSize).forEach((ch, i) => (vocab[ch] = i + 3));
  const special = ["<pad>", "<s>", "</s>"].map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const model = {
    type: "BPE",
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab,
    merges: [],
  };
  const tokenizerJson = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: special,
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: "Fuse" },
    model,
  };
  const chatTemplate =
    "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}";
  const config = {
    bos_token: "<s>",
    eos_token: "</s>",
    pad_token: "<pad>",
    add_bos_token: true,
    chat_template: chatTemplate,
  };
  fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(tokenizerJson));
  fs.writeFileSync(path.join(dir, "tokenizer_config.json"), JSON.stringify(config));
}
