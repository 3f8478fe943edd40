import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadModel } from "../../ml/model/causal-lm";
import { runHouseTrainCli } from "../cli/house-train";
import { EVAL_FILE } from "./model-card";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "house-quick-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function cli(argv: string[]) {
  const lines: string[] = [];
  const code = await runHouseTrainCli(argv, {
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
    progress: () => {},
  });
  return { code, text: lines.join("\n") };
}

describe("npm run house:train -- --quick", () => {
  it("runs every stage and leaves a checkpoint that loads, with its card, evaluation and loss curves", async () => {
    const work = path.join(root, "work");
    const r = await cli(["--quick", "--work", work, "--threads", "1"]);
    expect(r.code, r.text).toBe(0);
    for (const stage of ["[1/5] corpus", "[3/5] pre-training", "[4/5] supervised fine-tuning", "[5/5] held-out"])
      expect(r.text).toContain(stage);
    const out = path.join(work, "model");
    for (const f of [
      "config.json",
      "model.safetensors",
      "tokenizer.json",
      "tokenizer_config.json",
      "generation_config.json",
      "README.md",
      EVAL_FILE,
    ])
      expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    const ev = JSON.parse(fs.readFileSync(path.join(out, EVAL_FILE), "utf8")) as { sample: number; byType: object };
    expect(ev.sample).toBe(12);
    expect(Object.keys(ev.byType).length).toBeGreaterThan(3);
    const svg = fs.readFileSync(path.join(work, "docs", "house-model-loss-quick.svg"), "utf8");
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("pre-training");
    const model = loadModel(out, { tokenizer: true, session: { intraOpThreads: 1 } });
    try {
      expect(model.config.hiddenSize).toBe(32);
      expect(model.tokenizer?.eosTokenIds).toEqual([model.tokenizer?.tokenToId("<|end|>")]);
    } finally {
      await model.dispose();
    }
  });

  it("refuses bad options with a clear message", async () => {
    const r = await cli(["--threads", "zero"]);
    expect(r.code).toBe(2);
    expect(r.text).toContain('--threads expects an integer >= 1, got "zero"');
    expect((await cli(["--bogus"])).code).toBe(2);
  });
});
