// A reward model trained where pad == EOS (a common setting) and exported as a Hugging Face checkpoint scores at
// the token Hugging Face's sequence classification reads: the last token that is not the pad id, so a row ending
// in EOS is read at the token before its EOS, as in training.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at } from "../../ir/at";
import { loadModel, leftPadBatch } from "../../model";
import { copyModelDir, tempRoot, writeCharTokenizer } from "../../model/test-fixtures";
import { GOLDEN_DIR } from "../../reference/golden/golden-fixture";
import { batchTensors, rightPadBatch } from "../data";
import { runTrainCli } from "./train";

const EOS = 2;
const root = tempRoot("prefloop-reward-export-");
const modelDir = root.fresh("model");
afterAll(() => root.remove());
beforeAll(() => {
  copyModelDir(path.join(GOLDEN_DIR, "llama-gqa"), modelDir, { pad_token_id: EOS });
  writeCharTokenizer(modelDir, 192);
  const configFile = path.join(modelDir, "tokenizer_config.json");
  const config = JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>;
  fs.writeFileSync(configFile, JSON.stringify({ ...config, pad_token: "</s>" }));
});

describe("an exported reward model with pad == eos", () => {
  it("scores every row at its last token that is not the pad id (Hugging Face's rule)", async () => {
    const data = path.join(root.dir, "prefs.jsonl");
    const rows = Array.from({ length: 8 }, (_, i) => ({ prompt: `Q${i}:`, chosen: " yes :)", rejected: " no" }));
    fs.writeFileSync(data, rows.map((r) => JSON.stringify(r)).join("\n"));
    const out = root.fresh("rm");
    const io = { out: () => {}, err: (t: string) => errors.push(t) };
    const errors: string[] = [];
    const args = ["--kind", "rm", "--data", data, "--out", out, "--model", modelDir, "--quiet", "--threads", "1"];
    const code = await runTrainCli([...args, "--lora-r", "2", "--max-steps", "2", "--lr", "1e-2", "--merge"], io);
    expect(code, errors.join("\n")).toBe(0);
    const exported = loadModel(path.join(out, "model"), { session: { intraOpThreads: 1 } });
    try {
      expect(exported.config.padTokenId).toBe(EOS);
      expect(exported.hasScoreHead).toBe(true);
      const tok = exported.tokenizer;
      if (!tok) throw new Error("the exported model has no tokenizer");
      // Standard rows as training saw them: BOS + prompt, completion + EOS; right-padded with EOS.
      const seqs = rows.map((r, i) => ({
        line: i + 1,
        promptIds: tok.encode(r.prompt),
        completionIds: [...tok.encode(i % 2 ? r.chosen : r.rejected, { addSpecialTokens: false }), EOS],
      }));
      const padded = batchTensors(rightPadBatch(seqs, EOS)).batch;
      const got = await exported.reward(padded);
      for (const [i, s] of seqs.entries()) {
        const ids = [...s.promptIds, ...s.completionIds];
        let last = ids.length - 1;
        while (last > 0 && ids[last] === EOS) last--;
        // The hidden state at `last` depends on tokens 0..last only (causal attention): the row cut there, alone.
        const want = at(await exported.reward(leftPadBatch([ids.slice(0, last + 1)], EOS)), 0);
        expect(Math.abs(at(got, i) - want), `row ${i}`).toBeLessThan(1e-5 * (1 + Math.abs(want)));
      }
    } finally {
      await exported.dispose();
    }
  });
});
