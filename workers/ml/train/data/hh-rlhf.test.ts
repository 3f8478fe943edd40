// The real HH-RLHF harmless-base test split (committed in workers/ml/fixtures/hh-rlhf): TRL's implicit-prompt
// preference format as it is (gzip, {chosen, rejected} transcripts), read, split and tokenized end to end.
import { describe, expect, it } from "vitest";
import { LLAMA3_DIR } from "../../tokenizer/test-fixtures";
import { loadTokenizer } from "../../tokenizer/tokenizer";
import { preferenceBatch } from "./batch";
import { loadDataset, rowsOf } from "./formats";
import { readJsonl } from "./read-jsonl";
import { hhHarmlessTestFile } from "./test-helpers";
import { tokenizePreferences } from "./tokenize";

const file = hhHarmlessTestFile();

describe("HH-RLHF harmless-base test split", () => {
  it("every row parses as a standard implicit-prompt preference dataset, prompt + reply giving back each transcript", async () => {
    const dataset = await loadDataset(file);
    expect([dataset.format, dataset.conversational, dataset.rows.length, dataset.dropped]).toEqual(["implicit-preference", false, 2312, []]);
    const raw = await readJsonl(file);
    const rows = rowsOf(dataset, "preference");
    rows.forEach((r, i) => {
      const source = raw[i]?.value as { chosen: string; rejected: string };
      expect(r.line).toBe(raw[i]?.line);
      expect(`${r.prompt as string}${r.chosen as string}`).toBe(source.chosen);
      expect(`${r.prompt as string}${r.rejected as string}`).toBe(source.rejected);
    });
    // TRL's extract_prompt cuts at the first difference: in 1867 rows the prompt ends with the final
    // "\n\nAssistant:" tag; in the other 445 the two replies start alike and the prompt reaches into them
    // (counted with a Python transcription of TRL's loop over the same file).
    const atTag = rows.filter((r) => (r.prompt as string).endsWith("\n\nAssistant:"));
    expect(atTag).toHaveLength(1867);
    expect(rows.every((r) => (r.prompt as string).startsWith("\n\nHuman: "))).toBe(true);
  });

  it("tokenizes and batches (first 64 pairs, Llama 3, maxLength 256) with truncation reported", async () => {
    const rows = rowsOf(await loadDataset(file), "preference").slice(0, 64);
    const tok = loadTokenizer(LLAMA3_DIR);
    const full = tokenizePreferences(rows, tok, { maxLength: 100_000 });
    expect(full.truncation).toEqual({ examples: 0, promptTokens: 0, completionTokens: 0 });
    const { examples, truncation } = tokenizePreferences(rows, tok, { maxLength: 256 });
    const over = full.examples.filter((e) => e.promptIds.length + Math.max(e.chosenIds.length, e.rejectedIds.length) > 256).length;
    expect(over).toBeGreaterThan(0);
    expect(truncation.examples).toBe(over);
    for (const e of examples) expect(e.promptIds.length + Math.max(e.chosenIds.length, e.rejectedIds.length)).toBeLessThanOrEqual(256);
    const { batch, pairs, margins } = preferenceBatch(examples.slice(0, 8), tok.eosTokenIds[0] ?? 0);
    expect([pairs, margins, batch.shape[0]]).toEqual([8, null, 16]);
  });
});
