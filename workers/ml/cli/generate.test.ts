// The generate CLI end to end (a tsx child process on a golden checkpoint with a character tokenizer), its
// agreement with the library call, and its errors for bad options and incomplete model directories.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../generate/generate";
import { loadModel } from "../model/causal-lm";
import { copyModelDir, tempRoot, writeCharTokenizer } from "../model/test-fixtures";
import { loadGoldenFixture } from "../reference/golden/golden-fixture";
import { isCudaInstalled } from "../runtime";
import { loadTokenizer } from "../tokenizer/tokenizer";
import { parseCliArgs } from "./args";
import { runCli } from "./generate";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const golden = loadGoldenFixture().configs.find((c) => c.name === "qwen2-bias");
if (!golden) throw new Error("golden qwen2-bias missing");
const tmp = tempRoot("prefloop-cli-");
afterAll(() => tmp.remove());
const modelDir = copyModelDir(golden.dir, tmp.fresh("model"));
writeCharTokenizer(modelDir, golden.config.vocab_size);

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["workers/ml/cli/generate.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("npm run generate", () => {
  it("prints every candidate with its text, finish reason and log-probs (child process)", async () => {
    const args = [
      "--model",
      modelDir,
      "--prompt",
      "Hi there",
      "-n",
      "3",
      "--temperature",
      "0.8",
      "--top-p",
      "0.95",
      "--seed",
      "1",
      "--max-new-tokens",
      "5",
      "--threads",
      "1",
    ];
    const r = cli(args);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^prompt 1: 9 tokens$/m); // BOS + 8 characters
    const headers = [
      ...r.stdout.matchAll(/^candidate (\d)\/3 of prompt 1: finish=length tokens=5 sum_logprob=(-\d+\.\d{4})$/gm),
    ];
    expect(headers.map((h) => h[1])).toEqual(["1", "2", "3"]);
    const perToken = [...r.stdout.matchAll(/^ {2}token_logprobs: (.*)$/gm)].map((m) =>
      (m[1] ?? "").split(" ").map((s) => Number(s.slice(s.lastIndexOf(":") + 1))),
    );
    expect(perToken).toHaveLength(3);
    perToken.forEach((lps, i) => {
      expect(lps).toHaveLength(5);
      expect(lps.every((x) => x < 0)).toBe(true);
      expect(lps.reduce((s, x) => s + x, 0)).toBeCloseTo(Number(headers[i]?.[2]), 3);
    });
    expect([...r.stdout.matchAll(/^ {2}text: ".*"$/gm)]).toHaveLength(3);
    expect(r.stdout).toMatch(/^prefill: 9 tokens in [\d.]+ ms .* decode: 15 tokens in [\d.]+ ms/m);

    // The same run through the library: the same tokens and log-probs.
    const model = loadModel(modelDir, { session: { intraOpThreads: 1 } });
    try {
      const lib = await generate(model, {
        prompts: ["Hi there"],
        n: 3,
        maxNewTokens: 5,
        params: { temperature: 0.8, topP: 0.95 },
        seed: 1,
      });
      lib.candidates.forEach((c, i) => {
        expect(c.sumLogprob.toFixed(4)).toBe(headers[i]?.[2]);
        expect(r.stdout).toContain(`text: ${JSON.stringify(c.text)}`);
      });
    } finally {
      await model.dispose();
    }
  });

  it("uses the chat template with --chat and reads token ids without a tokenizer", async () => {
    const chat = await inProcess([
      "--model",
      modelDir,
      "--prompt",
      "hi",
      "--chat",
      "--temperature",
      "0",
      "--max-new-tokens",
      "2",
      "--json",
    ]);
    expect(chat.err).toBe("");
    const parsed = JSON.parse(chat.out) as { promptTokenIds: number[][]; candidates: { tokenIds: number[] }[] };
    expect(loadTokenizer(modelDir).decode(parsed.promptTokenIds[0] ?? [])).toBe("[user] hi\n[assistant] ");
    expect(parsed.candidates[0]?.tokenIds).toHaveLength(2);
    const ids = await inProcess([
      "--model",
      golden.dir,
      "--prompt-ids",
      "1,5,9",
      "--temperature",
      "0",
      "--max-new-tokens",
      "3",
    ]);
    expect(ids.code).toBe(0);
    expect(ids.out).toMatch(/candidate 1\/1 of prompt 1: finish=length tokens=3/);
    expect(ids.out).not.toMatch(/text:/);
  });

  it.each(["q8", "q4"] as const)("--quantize %s generates with the quantized model", async (mode) => {
    const args = ["--model", golden.dir, "--prompt-ids", "1,5,9", "--temperature", "0", "--max-new-tokens", "4"];
    const r = await inProcess([...args, "--quantize", mode, "--json"]);
    expect(r.err).toBe("");
    const got = JSON.parse(r.out) as { candidates: { tokenIds: number[]; tokenLogprobs: number[] }[] };
    const lib = async (quantize: "none" | "q8" | "q4") => {
      const model = loadModel(golden.dir, { session: { intraOpThreads: 1 }, quantize });
      try {
        const x = await generate(model, { prompts: [[1, 5, 9]], maxNewTokens: 4, params: { temperature: 0 } });
        return x.candidates[0];
      } finally {
        await model.dispose();
      }
    };
    const quantized = await lib(mode);
    expect(got.candidates[0]?.tokenIds).toEqual(quantized?.tokenIds);
    expect(got.candidates[0]?.tokenLogprobs).toEqual(Array.from(quantized?.tokenLogprobs ?? []));
    expect(got.candidates[0]?.tokenLogprobs).not.toEqual(Array.from((await lib("none"))?.tokenLogprobs ?? []));
  });

  it("explains a missing directory, config.json or tokenizer.json, and bad options", async () => {
    const noConfig = tmp.fresh("empty");
    const noTokenizer = copyModelDir(golden.dir, tmp.fresh("no-tokenizer"));
    expect(fs.existsSync(path.join(noTokenizer, "tokenizer.json"))).toBe(false);
    const cases: [string[], number, RegExp][] = [
      [["--model", path.join(tmp.dir, "nope"), "--prompt", "x"], 1, /model directory .*nope does not exist/],
      [["--model", noConfig, "--prompt", "x"], 1, /has no config\.json/],
      [
        ["--model", noTokenizer, "--prompt", "x"],
        1,
        /has no tokenizer\.json, which text prompts need; pass token ids with --prompt-ids/,
      ],
      [["--prompt", "x"], 2, /--model <dir> is required[\s\S]*usage:/],
      [["--model", modelDir], 2, /give at least one --prompt/],
      [["--model", modelDir, "--prompt", "x", "--top-k", "1.5"], 2, /--top-k expects an integer, got "1.5"/],
      [["--model", modelDir, "--prompt", "x", "--provider", "tpu"], 2, /--provider must be cpu or cuda/],
      [["--model", modelDir, "--prompt", "x", "--quantize", "q3"], 2, /--quantize must be none, q8 or q4, got "q3"/],
      [["--model", modelDir, "--prompt-ids", "1,a"], 2, /--prompt-ids expects comma-separated token ids/],
      [["--model", modelDir, "--prompt", "x", "--bogus"], 2, /Unknown option '--bogus'/],
      [["--model", modelDir, "--prompt", "x", "--temperature=-1"], 2, /temperature must be a finite number >= 0/],
      [["--model", modelDir, "--prompt", "x", "--top-p", "0"], 2, /top_p must be in \(0, 1\]/],
    ];
    for (const [args, code, message] of cases) {
      const r = await inProcess(args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.err).toMatch(message);
    }
  });

  it.skipIf(isCudaInstalled())(
    "names the install step when --provider cuda is asked for without the CUDA provider",
    async () => {
      const r = await inProcess([
        "--model",
        golden.dir,
        "--prompt-ids",
        "1,2",
        "--provider",
        "cuda",
        "--max-new-tokens",
        "1",
      ]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /provider "cuda" requested, but the CUDA execution provider of onnxruntime-node is not installed. Install it with/,
      );
    },
  );

  it("parses the documented defaults", () => {
    const o = parseCliArgs(["--model", "m", "--prompt", "a", "--prompt", "b", "--stop", "\n\n"]);
    expect(o).toMatchObject({
      n: 1,
      maxNewTokens: 64,
      seed: 0,
      provider: "cpu",
      quantize: "none",
      chat: false,
      prompts: ["a", "b"],
      stopStrings: ["\n\n"],
      params: {},
    });
  });
});
