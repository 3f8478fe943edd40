import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadTokenizer } from "../../ml/tokenizer/tokenizer";
import { buildCorpus } from "../corpus/build-corpus";
import { END_TOKEN, renderChat, SPECIAL_TOKENS, trainHouseTokenizer, writeTokenizerFiles } from "./house-tokenizer";
import { trainBpe } from "./train-bpe";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "house-tok-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const corpus = buildCorpus({ countries: 20, words: 20, maxNumber: 9, sftExamples: 300, pretrainRepeats: 2 });
const texts = [
  ...corpus.pretrain,
  ...corpus.sft.map((s) => renderChat([...s.item.messages, { role: "assistant", content: s.answer }])),
];
const bpe = trainHouseTokenizer(texts, 600);
writeTokenizerFiles(dir, bpe);
const tok = loadTokenizer(dir);

describe("house tokenizer", () => {
  it("round-trips text through the engine's loading path (tokenizer.json via @huggingface/tokenizers)", () => {
    for (const t of [...texts.slice(0, 50), "Ünïcödé 東京 ✓ tabs\tand\n\nnewlines  double  spaces", ""])
      expect(tok.decode(tok.encode(t))).toBe(t);
    expect(tok.vocabSize).toBe(600);
  });

  it("replays the learnt merges: frequent words become single tokens", () => {
    // The merges are applied by the library, not by the trainer: a mismatch in the alphabet or the split
    // would leave these as several tokens.
    for (const w of [" capital", " letters", " spelled"]) expect(tok.encode(w), w).toHaveLength(1);
    expect(tok.encode("The capital of").length).toBeLessThanOrEqual(3);
  });

  it("has its special tokens as single ids, EOS = the end of a turn, and the chat template", () => {
    for (const s of SPECIAL_TOKENS) expect(tok.encode(s)).toEqual([tok.tokenToId(s)]);
    expect(tok.eosTokenIds).toEqual([tok.tokenToId(END_TOKEN)]);
    expect(tok.bosTokenId).toBeNull();
    const messages = [{ role: "user" as const, content: "What is 2 plus 3?" }];
    const text = tok.applyChatTemplate(messages, { addGenerationPrompt: true });
    expect(text).toBe("<|user|>\nWhat is 2 plus 3?<|end|><|assistant|>\n");
    expect(tok.applyChatTemplate([...messages, { role: "assistant", content: "5" }])).toBe(
      renderChat([...messages, { role: "assistant", content: "5" }]),
    );
  });

  it("trains deterministically and refuses a vocabulary smaller than the bytes", () => {
    expect(trainHouseTokenizer(texts, 600).merges).toEqual(bpe.merges);
    expect(() => trainBpe(["abc"], 100, [])).toThrow("vocabSize must be an integer >= 256");
  });
});
