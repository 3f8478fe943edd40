// `npm run train` started from an existing adapter (--init-adapter): the first step's loss is the loss of the
// loaded adapter's model, scored independently through the merged weights' score graph; LoRA options that do
// not match the adapter are refused by name. Also the CLI's --max-length against the model's context, and a
// resume through the CLI with changed options.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel, type CausalLM } from "../../model";
import { CausalLM as CausalLMClass } from "../../model/causal-lm";
import { copyModelDir, tempRoot, writeCharTokenizer } from "../../model/test-fixtures";
import { completionBatch } from "../../model/text-batch";
import { GOLDEN_DIR } from "../../reference/golden/golden-fixture";
import { loadDataset, tokenizeDataset, type TCompletionExample } from "../data";
import { loadAdapter, mergeAdapter } from "../save";
import { runTrainCli } from "./train";

const root = tempRoot("prefloop-init-adapter-");
const modelDir = root.fresh("model");
const data = path.join(root.dir, "sft.jsonl");
const adapterDir = root.fresh("adapter");
const models: CausalLM[] = [];
afterAll(async () => {
  await Promise.all(models.map((m) => m.dispose()));
  root.remove();
});

const ROWS = 12;
beforeAll(() => {
  copyModelDir(path.join(GOLDEN_DIR, "llama-gqa"), modelDir);
  writeCharTokenizer(modelDir, 192);
  const rows = Array.from({ length: ROWS }, (_, i) =>
    JSON.stringify({ prompt: `Q${i}: say ${"abc"[i % 3]}`, completion: ` ${"abc"[i % 3]?.repeat(3 + (i % 4))}!` }),
  );
  fs.writeFileSync(data, `${rows.join("\n")}\n`);
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTrainCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
const SFT = (out: string) => ["--kind", "sft", "--model", modelDir, "--data", data, "--out", out, "--threads", "1"];
const COMMON = ["--quiet", "--eval-split", "0", "--batch-size", String(ROWS)];
const firstLoss = (out: string) =>
  (JSON.parse(fs.readFileSync(path.join(out, "metrics.jsonl"), "utf8").split("\n")[0] ?? "{}") as { loss: number })
    .loss;

/** The mean completion-token NLL of `model` over the dataset: the score graph on left-padded rows. */
async function sftLoss(model: CausalLM): Promise<number> {
  const tok = model.tokenizer ?? loadModel(modelDir, { tokenizer: true }).tokenizer;
  if (!tok) throw new Error("no tokenizer");
  const examples = tokenizeDataset(await loadDataset(data), tok, { maxLength: 64 }).examples as TCompletionExample[];
  const { batch, completionMask } = completionBatch(
    examples.map((e) => e.promptIds),
    examples.map((e) => e.completionIds),
    0,
  );
  const { sumLogprobs } = await model.score(batch, completionMask);
  const tokens = examples.reduce((a, e) => a + e.completionIds.length, 0);
  return -sumLogprobs.reduce((a, x) => a + x, 0) / tokens;
}

describe("--init-adapter", () => {
  beforeAll(async () => {
    const r = await cli([
      ...SFT(adapterDir),
      ...COMMON,
      "--max-steps",
      "4",
      "--lr",
      "5e-2",
      "--lora-r",
      "4",
      "--lora-alpha",
      "8",
      "--lora-targets",
      "q_proj,v_proj",
    ]);
    expect(r.code, r.err).toBe(0);
  });

  it("starts from the adapter: step 1's loss is the loaded adapter model's loss", async () => {
    const out = root.fresh("from-adapter");
    const r = await cli([...SFT(out), ...COMMON, "--max-steps", "1", "--init-adapter", adapterDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`LoRA r=4 alpha=8 on q_proj,v_proj, from ${adapterDir}`);
    const base = loadModel(modelDir, { session: { intraOpThreads: 1 }, tokenizer: true });
    models.push(base);
    const adapter = loadAdapter(adapterDir, base.config);
    const merged = new CausalLMClass(adapterDir, base.config, mergeAdapter(base.weights, adapter), base.tokenizer, {
      intraOpThreads: 1,
    });
    models.push(merged);
    const want = await sftLoss(merged);
    expect(firstLoss(out)).toBeCloseTo(want, 5);
    // ...and not the base model's loss, which a fresh adapter (B = 0) starts from.
    const baseLoss = await sftLoss(base);
    expect(Math.abs(want - baseLoss)).toBeGreaterThan(1e-2);
    const fresh = root.fresh("fresh");
    expect((await cli([...SFT(fresh), ...COMMON, "--max-steps", "1", "--lora-r", "4"])).code).toBe(0);
    expect(firstLoss(fresh)).toBeCloseTo(baseLoss, 5);
  });

  it("refuses LoRA options that do not match the adapter, naming each", async () => {
    const r = await cli([
      ...SFT(root.fresh("mismatch")),
      ...COMMON,
      "--init-adapter",
      adapterDir,
      "--lora-r",
      "8",
      "--lora-targets",
      "q_proj,k_proj",
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `--init-adapter ${adapterDir} does not match this run's LoRA options (rank: the adapter has r 4, --lora-r is 8; target modules: the adapter adapts q_proj,v_proj, --lora-targets is k_proj,q_proj); leave them out to take the adapter's`,
    );
    const full = await cli([...SFT(root.fresh("full")), ...COMMON, "--init-adapter", adapterDir, "--full"]);
    expect(full.code).toBe(2);
    expect(full.err).toContain("--init-adapter starts a LoRA run from an adapter: it does not apply to --full");
    const none = await cli([...SFT(root.fresh("none")), ...COMMON, "--init-adapter", root.fresh("empty")]);
    expect(none.code).toBe(1);
    expect(none.err).toContain("no adapter_config.json");
  });
});

describe("--max-length and the model's context", () => {
  it("refuses a --max-length longer than max_position_embeddings", async () => {
    const r = await cli([...SFT(root.fresh("long")), ...COMMON, "--max-length", "65"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "--max-length 65 is longer than the model's context (max_position_embeddings 64): positions past it have no RoPE angle; use --max-length 64 or less",
    );
    expect((await cli([...SFT(root.fresh("fits")), ...COMMON, "--max-steps", "1", "--max-length", "64"])).code).toBe(0);
  });
});

describe("resuming through the CLI", () => {
  it("refuses a resume whose options changed, naming each", async () => {
    const out = root.fresh("resume");
    const run = (...extra: string[]) =>
      cli([...SFT(out), "--quiet", "--eval-split", "0", "--batch-size", "4", "--max-steps", "2", ...extra]);
    expect((await run("--save-steps", "1", "--lr", "1e-3")).code).toBe(0);
    const checkpoint = path.join(out, "checkpoint-1");
    const r = await run("--resume-from", checkpoint, "--lr", "2e-3", "--max-length", "32", "--lora-r", "8");
    expect(r.code).toBe(1);
    expect(r.err).toContain(`cannot resume from ${checkpoint}: 3 hyper-parameters differ`);
    expect(r.err).toContain("learningRate 0.001 -> 0.002");
    expect(r.err).toContain("lora.r 16 -> 8");
    expect(r.err).toContain("maxLength 64 -> 32");
    const same = await run("--resume-from", checkpoint, "--lr", "1e-3");
    expect(same.code, same.err).toBe(0);
  });
});
