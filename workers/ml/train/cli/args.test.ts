// `npm run train`'s options: every hyper-parameter's range is checked when the command line is parsed (as TRL's
// configs check theirs), with a message naming the option, and options another kind would ignore are refused.
import { describe, expect, it } from "vitest";
import { parseTrainArgs, UsageError } from "./args";

const base = (kind: string) => ["--kind", kind, "--model", "m", "--data", "d.jsonl", "--out", "o"];
const parse = (kind: string, ...rest: string[]) =>
  parseTrainArgs([...base(kind), ...(kind === "rloo" || kind === "grpo" ? ["--reward-model", "r"] : []), ...rest]);

describe("parseTrainArgs ranges", () => {
  const bad: [string, string[], string][] = [
    ["dpo", ["--label-smoothing", "0.5"], "--label-smoothing must be below 0.5, got 0.5"],
    ["dpo", ["--label-smoothing", "0.7", "--loss-type", "robust"], "--label-smoothing must be below 0.5, got 0.7"],
    ["dpo", ["--label-smoothing=-0.1"], "--label-smoothing must be >= 0, got -0.1"],
    [
      "dpo",
      ["--label-smoothing", "0.1", "--loss-type", "ipo"],
      "--label-smoothing applies to --loss-type sigmoid or robust, not ipo",
    ],
    ["dpo", ["--beta", "0"], "--beta must be > 0, got 0"],
    ["dpo", ["--beta=-1"], "--beta must be > 0, got -1"],
    ["grpo", ["--beta=-0.1"], "--beta must be >= 0, got -0.1"],
    ["rloo", ["--beta=-0.1"], "--beta must be >= 0, got -0.1"],
    ["sft", ["--lr=-1e-5"], "--lr must be >= 0, got -0.00001"],
    ["sft", ["--lora-r", "0"], "--lora-r must be >= 1, got 0"],
    ["sft", ["--lora-r", "2.5"], '--lora-r expects an integer, got "2.5"'],
    ["sft", ["--lora-alpha", "0"], "--lora-alpha must be > 0, got 0"],
    ["sft", ["--lora-dropout", "1"], "--lora-dropout must be below 1, got 1"],
    ["sft", ["--warmup-ratio", "1"], "--warmup-ratio must be below 1, got 1"],
    ["sft", ["--weight-decay=-0.01"], "--weight-decay must be >= 0, got -0.01"],
    ["sft", ["--max-grad-norm=-1"], "--max-grad-norm must be >= 0, got -1"],
    ["sft", ["--epochs", "0"], "--epochs must be > 0, got 0"],
    ["sft", ["--batch-size", "0"], "--batch-size must be >= 1, got 0"],
    ["sft", ["--grad-accum", "0"], "--grad-accum must be >= 1, got 0"],
    ["sft", ["--max-length", "1"], "--max-length must be >= 2, got 1"],
    ["sft", ["--eval-split=-0.1"], "--eval-split must be >= 0, got -0.1"],
    [
      "sft",
      ["--eval-split", "2.5"],
      "--eval-split must be a fraction in [0, 1) or a whole number of examples, got 2.5",
    ],
    ["grpo", ["--epsilon", "0"], "--epsilon must be > 0, got 0"],
    ["grpo", ["--epsilon", "1"], "--epsilon must be below 1, got 1"],
    ["grpo", ["--temperature", "0"], "--temperature must be > 0, got 0"],
    ["grpo", ["--num-generations", "1"], "--num-generations must be >= 2, got 1"],
    ["rm", ["--center-rewards=-1"], "--center-rewards must be >= 0, got -1"],
    ["sft", ["--lr", "abc"], '--lr expects a number, got "abc"'],
  ];
  it.each(bad)("--kind %s %j: %s", (kind, rest, message) => {
    expect(() => parse(kind, ...rest)).toThrow(UsageError);
    expect(() => parse(kind, ...rest)).toThrow(message);
  });

  it("accepts the edges TRL accepts", () => {
    expect(parse("dpo", "--label-smoothing", "0.49", "--loss-type", "robust").labelSmoothing).toBe(0.49);
    expect(parse("sft", "--lr", "0").args.learningRate).toBe(0);
    expect(parse("grpo", "--beta", "0").beta).toBe(0);
    expect(parse("grpo").grpoLossType).toBe("dapo"); // TRL 1.x's default
    expect(parse("grpo", "--loss-type", "dr_grpo").grpoLossType).toBe("dr_grpo");
    expect(parse("sft", "--eval-split", "0").evalSplit).toBe(0);
    expect(parse("sft", "--eval-split", "25").evalSplit).toBe(25);
  });
});

describe("parseTrainArgs options of other kinds", () => {
  const bad: [string, string[], string][] = [
    ["sft", ["--beta", "0.1"], "--beta applies to --kind dpo / rloo / grpo only, not --kind sft"],
    ["rm", ["--loss-type", "ipo"], "--loss-type applies to --kind dpo / grpo only, not --kind rm"],
    ["grpo", ["--loss-type", "ipo"], '--loss-type must be one of dapo, grpo, bnpo, dr_grpo, got "ipo"'],
    ["dpo", ["--loss-type", "dapo"], '--loss-type must be one of sigmoid, ipo, hinge, robust, got "dapo"'],
    ["sft", ["--precompute-ref"], "--precompute-ref applies to --kind dpo only, not --kind sft"],
    ["dpo", ["--rm-loss", "plackett_luce"], "--rm-loss applies to --kind rm only, not --kind dpo"],
    ["rloo", ["--epsilon", "0.1"], "--epsilon applies to --kind grpo only, not --kind rloo"],
    ["dpo", ["--reward-model", "r"], "--reward-model applies to --kind rloo / grpo only, not --kind dpo"],
    ["sft", ["--full", "--merge"], "--merge applies to LoRA runs only"],
  ];
  it.each(bad)("--kind %s %j: %s", (kind, rest, message) => {
    expect(() => parse(kind, ...rest)).toThrow(message);
  });
});
