// Every TRL dataset format (standard and conversational, plus prefloop's rankings and the app's judgments export)
// through every --kind that accepts it, one real training step each through `runTrainCli`, and the refusal of
// the kinds that do not; then the held-out split, by prompt, as the CLI computes it.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyModelDir, tempRoot, writeCharTokenizer } from "../../model/test-fixtures";
import { GOLDEN_DIR } from "../../reference/golden/golden-fixture";
import { loadTokenizer } from "../../tokenizer/tokenizer";
import { loadDataset, promptKeyOf, tokenizeDataset } from "../data";
import { parseTrainArgs } from "./args";
import { examplesAndBatches, forKind, heldOutSplit } from "./prepare";
import { runTrainCli } from "./train";

const root = tempRoot("prefloop-train-formats-");
const modelDir = root.fresh("model");
afterAll(() => root.remove());
beforeAll(() => {
  copyModelDir(path.join(GOLDEN_DIR, "llama-gqa"), modelDir);
  writeCharTokenizer(modelDir, 192);
});

const user = (content: string) => [{ role: "user", content }];
const bot = (content: string) => [{ role: "assistant", content }];
const N = 6;
const each = <T>(f: (i: number) => T) => Array.from({ length: N }, (_, i) => f(i));

/** One small file per format: name -> rows. */
const FILES: Record<string, unknown[]> = {
  text: each((i) => ({ text: `some text ${i} to learn` })),
  messages: each((i) => ({ messages: [...user(`hi ${i}`), ...bot(`hello ${i}`)] })),
  "prompt-completion": each((i) => ({ prompt: `Q${i}:`, completion: ` a${i}` })),
  "prompt-completion-conv": each((i) => ({ prompt: user(`q${i}`), completion: bot(`a${i}`) })),
  preference: each((i) => ({ prompt: `Q${i}:`, chosen: " good :)", rejected: " bad :(" })),
  "preference-conv": each((i) => ({ prompt: user(`q${i}`), chosen: bot("good"), rejected: bot("bad") })),
  "implicit-preference": each((i) => ({ chosen: `Q${i}: good`, rejected: `Q${i}: bad` })),
  "implicit-preference-conv": each((i) => ({
    chosen: [...user(`q${i}`), ...bot("good")],
    rejected: [...user(`q${i}`), ...bot("bad")],
  })),
  ranking: each((i) => ({ prompt: `Q${i}:`, completions: [" a", " b", " c"], ranks: [0, 1, 1] })),
  "ranking-conv": each((i) => ({ prompt: user(`q${i}`), completions: [bot("a"), bot("b")], ranks: [0, 1] })),
  judgments: each((i) => ({
    prompt_id: `p${i}`,
    messages: user(`q${i}`),
    candidates: [
      { id: "x", text: "first" },
      { id: "y", text: "second" },
      { id: "z", text: "third" },
    ],
    tiers: [["x"], ["y", "z"]],
  })),
  "prompt-only": each((i) => ({ prompt: `Q${i}:` })),
  "prompt-only-conv": each((i) => ({ prompt: user(`q${i}`) })),
};

const ACCEPTS: Record<string, readonly string[]> = {
  pretrain: ["text", "messages"],
  sft: ["text", "messages", "prompt-completion", "prompt-completion-conv"],
  rm: [
    "preference",
    "preference-conv",
    "implicit-preference",
    "implicit-preference-conv",
    "ranking",
    "ranking-conv",
    "judgments",
  ],
  dpo: [
    "preference",
    "preference-conv",
    "implicit-preference",
    "implicit-preference-conv",
    "ranking",
    "ranking-conv",
    "judgments",
  ],
  rloo: ["prompt-only", "prompt-only-conv"],
  grpo: ["prompt-only", "prompt-only-conv"],
};

const file = (name: string) => {
  const f = path.join(root.dir, `${name}.jsonl`);
  if (!fs.existsSync(f)) fs.writeFileSync(f, (FILES[name] ?? []).map((r) => JSON.stringify(r)).join("\n") + "\n");
  return f;
};

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTrainCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const COMMON = ["--model", modelDir, "--threads", "1", "--quiet", "--lora-r", "2", "--max-steps", "1"];
const rmDir = () => path.join(root.dir, "rm-preference");

describe("every TRL format through every kind that accepts it", () => {
  const cases = Object.entries(ACCEPTS).flatMap(([kind, names]) => names.map((name) => ({ kind, name })));
  it.each(cases)("--kind $kind on $name rows trains one step", async ({ kind, name }) => {
    const out = kind === "rm" && name === "preference" ? rmDir() : root.fresh(`${kind}-${name}`);
    const rl =
      kind === "rloo" || kind === "grpo"
        ? ["--reward-model", rmDir(), "--num-generations", "2", "--max-new-tokens", "2"]
        : [];
    const r = await cli(["--kind", kind, "--data", file(name), "--out", out, ...COMMON, "--batch-size", "2", ...rl]);
    expect(r.code, r.err).toBe(0);
    const log = JSON.parse(fs.readFileSync(path.join(out, "metrics.jsonl"), "utf8").split("\n")[0] ?? "{}") as Record<
      string,
      number
    >;
    expect(log.step).toBe(1);
    expect(Number.isFinite(log.loss), JSON.stringify(log)).toBe(true);
    expect(log.num_tokens, JSON.stringify(log)).toBeGreaterThan(0);
  });

  const refused = Object.entries(ACCEPTS).flatMap(([kind, names]) =>
    Object.keys(FILES)
      .filter((n) => !names.includes(n))
      .map((name) => ({ kind, name })),
  );
  it("refuses the formats a kind does not train on, naming what the file holds", async () => {
    for (const { kind, name } of refused) {
      const rl = kind === "rloo" || kind === "grpo" ? ["--reward-model", "r"] : [];
      const o = parseTrainArgs(["--kind", kind, "--data", file(name), "--out", "x", "--model", modelDir, ...rl]);
      const tok = loadTokenizer(modelDir);
      const tokenized = tokenizeDataset(forKind(o.kind, await loadDataset(o.data)), tok);
      const fail = examplesAndBatches(o, tokenized, { padId: 0, reference: () => Promise.reject(new Error("unused")) });
      await expect(fail, `${kind} on ${name}`).rejects.toThrow(
        `holds ${tokenized.kind} rows; --kind ${kind} trains on`,
      );
    }
  });
});

describe("the held-out split", () => {
  /** Rankings of 4 candidates: every prompt gives 5 DPO pairs (3 tiers, two tied). */
  const rankings = Array.from({ length: 40 }, (_, i) => ({
    prompt: `Q${i}:`,
    completions: [" a", " b", " c", " d"],
    ranks: [0, 1, 1, 2],
  }));

  it("is by prompt for every kind: no held-out prompt is among the training rows", async () => {
    const f = path.join(root.dir, "rankings.jsonl");
    fs.writeFileSync(f, rankings.map((r) => JSON.stringify(r)).join("\n"));
    const pc = path.join(root.dir, "repeated-prompts.jsonl");
    fs.writeFileSync(
      pc,
      Array.from({ length: 60 }, (_, i) => JSON.stringify({ prompt: `Q${i % 12}:`, completion: ` a${i}` })).join("\n"),
    );
    const tok = loadTokenizer(modelDir);
    for (const [kind, data] of [
      ["dpo", f],
      ["rm", f],
      ["sft", pc],
    ] as const) {
      const o = parseTrainArgs([
        "--kind",
        kind,
        "--data",
        data,
        "--out",
        "x",
        "--model",
        modelDir,
        "--eval-split",
        "0.2",
      ]);
      const dataset = forKind(o.kind, await loadDataset(o.data));
      const { examples } = await examplesAndBatches(o, tokenizeDataset(dataset, tok), {
        padId: 0,
        reference: () => Promise.reject(new Error("unused")),
      });
      const split = heldOutSplit(dataset, examples, o.evalSplit, o.args.seed);
      const promptOf = new Map(dataset.rows.map((r) => [r.line, promptKeyOf(r)]));
      const trainPrompts = new Set(split.train.map((e) => promptOf.get(e.line)));
      expect(split.eval.length, kind).toBeGreaterThan(0);
      for (const e of split.eval) expect(trainPrompts.has(promptOf.get(e.line)), `${kind}: line ${e.line}`).toBe(false);
      expect(split.trainPrompts + split.evalPrompts).toBe(new Set(promptOf.values()).size);
    }
  });

  it("keeps a prompt on its side when other prompts are added (a stable hash of the prompt)", async () => {
    const tok = loadTokenizer(modelDir);
    const sideOf = async (n: number) => {
      const f = path.join(root.dir, `grow-${n}.jsonl`);
      fs.writeFileSync(
        f,
        Array.from({ length: n }, (_, i) => JSON.stringify({ prompt: `Q${i}:`, completion: " a" })).join("\n"),
      );
      const o = parseTrainArgs([
        "--kind",
        "sft",
        "--data",
        f,
        "--out",
        "x",
        "--model",
        modelDir,
        "--eval-split",
        "0.25",
      ]);
      const dataset = await loadDataset(f);
      const { examples } = await examplesAndBatches(o, tokenizeDataset(dataset, tok), {
        padId: 0,
        reference: () => Promise.reject(new Error("unused")),
      });
      const split = heldOutSplit(dataset, examples, o.evalSplit, o.args.seed);
      return new Set(split.eval.map((e) => e.line));
    };
    const small = await sideOf(200);
    const large = await sideOf(400);
    const moved = [...small].filter((line) => !large.has(line)).length;
    expect(moved / small.size).toBeLessThan(0.05); // the eval side grows by other prompts; few leave it
  });

  it("says in the CLI output that it split by prompt", async () => {
    const f = path.join(root.dir, "rankings.jsonl");
    const r = await cli([
      "--kind",
      "dpo",
      "--data",
      f,
      "--out",
      root.fresh("dpo-split"),
      ...COMMON,
      "--batch-size",
      "4",
      "--eval-split",
      "0.2",
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /on 160 examples, 40 held out \(split by prompt: 32 prompts train, 8 other prompts held out\)/,
    );
  });
});
