// Command-line options of `npm run train`, parsed and validated into one object; no model loading.
import { parseArgs } from "node:util";
import { DPO_LOSS_TYPES, GRPO_LOSS_TYPES, type TDpoLossType, type TGrpoLossType } from "../losses";
import { LORA_TARGETS } from "../lora";
import type { ScheduleKind } from "../optim";
import { OBJECTIVE_KINDS, type TObjectiveKind } from "../step-graph";
import { DEFAULT_TRAINING_ARGS, type TTrainingArgs } from "../trainer";

export const USAGE = `usage: npm run train -- --kind sft|rm|dpo|rloo|grpo|pretrain --model <dir> --data <file.jsonl> --out <dir> [options]

  --kind <kind>               pretrain (text rows), sft (prompt/completion or messages), rm (preference or
                              ranking rows), dpo (preference rows), rloo / grpo (prompt-only rows)
  --model <dir>               Hugging Face model directory (config.json, safetensors, tokenizer.json)
  --data <file.jsonl>         a dataset in one of TRL's formats (standard or conversational)
  --out <dir>                 where the adapter or model, metrics.jsonl and checkpoints go

  what trains (default: a LoRA adapter; pretrain: every weight)
  --full                      train every weight instead of a LoRA adapter
  --merge                     also save the LoRA run merged into the base as a Hugging Face checkpoint (<out>/model)
  --lora-r <r>                default 16          --lora-alpha <a>   default 32
  --lora-dropout <p>          default 0 (PEFT's lora_dropout; off during evaluation)
  --lora-targets <list>       comma-separated, default ${LORA_TARGETS.join(",")}
  --init-adapter <dir>        start from a PEFT adapter this engine saved (its r, alpha and targets unless given;
                              given ones must match it)

  optimisation (Hugging Face TrainingArguments names)
  --lr <x>                    learning rate (default 5e-5; 1e-4 for LoRA)
  --epochs <n>                default 1           --max-steps <n>    overrides --epochs
  --batch-size <n>            per step before accumulation (default 8)
  --grad-accum <n>            default 1           --max-grad-norm <x> default 1 (0: off)
  --scheduler cosine|linear|constant|constant_with_warmup (default cosine)
  --warmup-ratio <x>          default 0           --warmup-steps <n>
  --weight-decay <x>          default 0           --seed <n>         default 42
  --max-length <n>            tokens per sequence (default 1024 or the model's context if shorter; never more than
                              the context; prompts keep their end)
  --eval-split <x>            held-out fraction (default 0.1 when the data has >= 20 rows) or row count
  --eval-steps <n>            evaluate every n steps (default: at the end only)
  --save-steps <n>            resumable checkpoint every n steps    --resume-from <checkpoint dir>
  --logging-steps <n>         default 1

  objectives
  --loss-type <t>             dpo: ${DPO_LOSS_TYPES.join(", ")} (default sigmoid)
                              grpo: ${GRPO_LOSS_TYPES.join(", ")} (default dapo, as TRL 1.x)
  --beta <x>                  dpo 0.1; rloo KL coefficient 0.05; grpo k3 coefficient 0 (default)
  --label-smoothing <x>       dpo, default 0
  --precompute-ref            dpo: score the reference once before training (faster steps; TRL's precompute_ref_log_probs)
  --rm-loss bradley_terry|plackett_luce (default bradley_terry)
  --center-rewards <x>        rm centering coefficient (default 0)
  --reward-model <dir>        rloo / grpo: a reward model (checkpoint with score.weight, or a PEFT adapter of --model)
  --num-generations <k>       rloo / grpo completions per prompt (default 4)
  --max-new-tokens <n>        default 64          --temperature <t>  default 1
  --epsilon <x>               grpo clipping (default 0.2)

  --threads <n>               onnxruntime intra-op threads (default: one per core)
  --quiet                     no progress bar`;

export class UsageError extends Error {
  override name = "UsageError";
}

export interface TTrainCliOptions {
  readonly kind: TObjectiveKind;
  readonly model: string;
  readonly data: string;
  readonly out: string;
  readonly full: boolean;
  readonly merge: boolean;
  readonly lora: {
    readonly r: number;
    readonly alpha: number;
    readonly dropout: number;
    readonly targetModules: readonly string[];
  };
  /** Which LoRA options were given (the others take --init-adapter's values when it is given). */
  readonly loraGiven: {
    readonly r: boolean;
    readonly alpha: boolean;
    readonly dropout: boolean;
    readonly targets: boolean;
  };
  readonly initAdapter: string | null;
  readonly args: TTrainingArgs;
  /** --max-length; null: 1024, or the model's context when shorter. */
  readonly maxLength: number | null;
  readonly evalSplit: number | null;
  readonly resumeFrom: string | null;
  readonly lossType: TDpoLossType;
  /** GRPO's loss aggregation (--loss-type for --kind grpo). */
  readonly grpoLossType: TGrpoLossType;
  readonly beta: number | null;
  readonly labelSmoothing: number;
  readonly precomputeRef: boolean;
  readonly rmLoss: "bradley_terry" | "plackett_luce";
  readonly centerRewards: number;
  readonly rewardModel: string | null;
  readonly numGenerations: number;
  readonly maxNewTokens: number;
  readonly temperature: number;
  readonly epsilon: number;
  readonly threads: number | undefined;
  readonly quiet: boolean;
}

const STRING_OPTIONS = [
  "kind",
  "model",
  "data",
  "out",
  "lora-r",
  "lora-alpha",
  "lora-dropout",
  "lora-targets",
  "init-adapter",
  "lr",
  "epochs",
  "max-steps",
  "batch-size",
  "grad-accum",
  "max-grad-norm",
  "scheduler",
  "warmup-ratio",
  "warmup-steps",
  "weight-decay",
  "seed",
  "max-length",
  "eval-split",
  "eval-steps",
  "save-steps",
  "resume-from",
  "logging-steps",
  "loss-type",
  "beta",
  "label-smoothing",
  "rm-loss",
  "center-rewards",
  "reward-model",
  "num-generations",
  "max-new-tokens",
  "temperature",
  "epsilon",
  "threads",
] as const;

function num(
  name: string,
  text: string | undefined,
  o: { integer?: boolean; min?: number; exclusiveMin?: boolean; below?: number; why?: string } = {},
): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || (o.integer && !Number.isSafeInteger(v)))
    throw new UsageError(`--${name} expects ${o.integer ? "an integer" : "a number"}, got "${text}"`);
  const why = o.why ? ` (${o.why})` : "";
  if (o.min !== undefined && (o.exclusiveMin ? v <= o.min : v < o.min))
    throw new UsageError(`--${name} must be ${o.exclusiveMin ? ">" : ">="} ${o.min}, got ${v}${why}`);
  if (o.below !== undefined && v >= o.below) throw new UsageError(`--${name} must be below ${o.below}, got ${v}${why}`);
  return v;
}

/** Options that mean something to some kinds only: given to another kind they would be silently ignored. */
const ONLY_FOR: Readonly<
  Partial<Record<(typeof STRING_OPTIONS)[number] | "precompute-ref", readonly TObjectiveKind[]>>
> = {
  "loss-type": ["dpo", "grpo"],
  "label-smoothing": ["dpo"],
  "precompute-ref": ["dpo"],
  beta: ["dpo", "rloo", "grpo"],
  "rm-loss": ["rm"],
  "center-rewards": ["rm"],
  "reward-model": ["rloo", "grpo"],
  "num-generations": ["rloo", "grpo"],
  "max-new-tokens": ["rloo", "grpo"],
  temperature: ["rloo", "grpo"],
  epsilon: ["grpo"],
};

function oneOf<T extends string>(name: string, text: string | undefined, allowed: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text))
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got "${text}"`);
  return text as T;
}

export function parseTrainArgs(argv: readonly string[]): TTrainCliOptions {
  let v: Record<string, string | boolean | undefined>;
  try {
    const options: Record<string, { type: "string" | "boolean" }> = {
      ...Object.fromEntries(STRING_OPTIONS.map((n) => [n, { type: "string" }] as const)),
      full: { type: "boolean" },
      merge: { type: "boolean" },
      "precompute-ref": { type: "boolean" },
      quiet: { type: "boolean" },
    };
    v = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const s = (n: (typeof STRING_OPTIONS)[number]) => v[n] as string | undefined;
  for (const required of ["kind", "model", "data", "out"] as const)
    if (s(required) === undefined) throw new UsageError(`--${required} is required`);
  const kind = oneOf("kind", s("kind"), OBJECTIVE_KINDS, "sft");
  for (const [name, kinds] of Object.entries(ONLY_FOR))
    if (v[name] !== undefined && !kinds.includes(kind))
      throw new UsageError(`--${name} applies to --kind ${kinds.join(" / ")} only, not --kind ${kind}`);
  if (v.merge === true && (v.full === true || kind === "pretrain"))
    throw new UsageError("--merge applies to LoRA runs only: a --full run already saves the whole model");
  const full = v.full === true || kind === "pretrain";
  if (full && s("init-adapter") !== undefined)
    throw new UsageError("--init-adapter starts a LoRA run from an adapter: it does not apply to --full or pretrain");
  const targets = s("lora-targets")
    ?.split(",")
    .map((t) => t.trim()) ?? [...LORA_TARGETS];
  const bad = targets.filter((t) => !(LORA_TARGETS as readonly string[]).includes(t));
  if (bad.length > 0)
    throw new UsageError(
      `--lora-targets: ${bad.join(", ")} ${bad.length === 1 ? "is" : "are"} not one of ${LORA_TARGETS.join(", ")}`,
    );
  const dropout = num("lora-dropout", s("lora-dropout"), { min: 0, below: 1 }) ?? 0;
  const evalText = s("eval-split");
  const args: TTrainingArgs = {
    ...DEFAULT_TRAINING_ARGS,
    learningRate: num("lr", s("lr"), { min: 0 }) ?? (full ? 5e-5 : 1e-4),
    numTrainEpochs: num("epochs", s("epochs"), { min: 0, exclusiveMin: true }) ?? 1,
    maxSteps: num("max-steps", s("max-steps"), { integer: true, min: 1 }) ?? -1,
    perDeviceTrainBatchSize: num("batch-size", s("batch-size"), { integer: true, min: 1 }) ?? 8,
    perDeviceEvalBatchSize: num("batch-size", s("batch-size"), { integer: true, min: 1 }) ?? 8,
    gradientAccumulationSteps: num("grad-accum", s("grad-accum"), { integer: true, min: 1 }) ?? 1,
    maxGradNorm: num("max-grad-norm", s("max-grad-norm"), { min: 0 }) ?? 1,
    lrSchedulerType: oneOf<ScheduleKind>(
      "scheduler",
      s("scheduler"),
      ["cosine", "linear", "constant", "constant_with_warmup"],
      "cosine",
    ),
    warmupRatio: num("warmup-ratio", s("warmup-ratio"), { min: 0, below: 1 }) ?? 0,
    warmupSteps: num("warmup-steps", s("warmup-steps"), { integer: true, min: 0 }) ?? 0,
    weightDecay: num("weight-decay", s("weight-decay"), { min: 0 }) ?? 0,
    seed: num("seed", s("seed"), { integer: true }) ?? 42,
    evalSteps: num("eval-steps", s("eval-steps"), { integer: true, min: 1 }) ?? 0,
    saveSteps: num("save-steps", s("save-steps"), { integer: true, min: 1 }) ?? 0,
    loggingSteps: num("logging-steps", s("logging-steps"), { integer: true, min: 1 }) ?? 1,
  };
  const lossType = kind === "dpo" ? oneOf("loss-type", s("loss-type"), DPO_LOSS_TYPES, "sigmoid") : "sigmoid";
  const grpoLossType = kind === "grpo" ? oneOf("loss-type", s("loss-type"), GRPO_LOSS_TYPES, "dapo") : "dapo";
  // TRL: the (robust / conservative) DPO label smoothing is a flip probability in [0, 0.5); at 0.5 the loss is
  // constant (robust divides by zero) and above it the objective is inverted. Hinge and IPO do not read it.
  const labelSmoothing =
    num("label-smoothing", s("label-smoothing"), {
      min: 0,
      below: 0.5,
      why: "the probability that a pair's label is flipped; 0.5 would make every pair noise",
    }) ?? 0;
  if (labelSmoothing > 0 && (lossType === "hinge" || lossType === "ipo"))
    throw new UsageError(`--label-smoothing applies to --loss-type sigmoid or robust, not ${lossType}`);
  const beta =
    kind === "dpo"
      ? num("beta", s("beta"), { min: 0, exclusiveMin: true, why: "DPO's temperature: 0 makes the loss constant" })
      : num("beta", s("beta"), { min: 0, why: "a KL coefficient" });
  const evalSplit = evalText === undefined ? null : (num("eval-split", evalText, { min: 0 }) ?? null);
  if (evalSplit !== null && evalSplit >= 1 && !Number.isSafeInteger(evalSplit))
    throw new UsageError(`--eval-split must be a fraction in [0, 1) or a whole number of examples, got ${evalSplit}`);
  const numGenerations = num("num-generations", s("num-generations"), { integer: true, min: 2 }) ?? 4;
  if ((kind === "rloo" || kind === "grpo") && s("reward-model") === undefined)
    throw new UsageError(`--kind ${kind} needs --reward-model <dir> to score its completions`);
  return {
    kind,
    model: s("model") as string,
    data: s("data") as string,
    out: s("out") as string,
    full,
    merge: v.merge === true && !full,
    lora: {
      r: num("lora-r", s("lora-r"), { integer: true, min: 1 }) ?? 16,
      alpha: num("lora-alpha", s("lora-alpha"), { min: 0, exclusiveMin: true }) ?? 32,
      dropout,
      targetModules: targets,
    },
    loraGiven: {
      r: s("lora-r") !== undefined,
      alpha: s("lora-alpha") !== undefined,
      dropout: s("lora-dropout") !== undefined,
      targets: s("lora-targets") !== undefined,
    },
    initAdapter: s("init-adapter") ?? null,
    args,
    maxLength: num("max-length", s("max-length"), { integer: true, min: 2 }) ?? null,
    evalSplit,
    resumeFrom: s("resume-from") ?? null,
    lossType,
    grpoLossType,
    beta: beta ?? null,
    labelSmoothing,
    precomputeRef: v["precompute-ref"] === true,
    rmLoss: oneOf("rm-loss", s("rm-loss"), ["bradley_terry", "plackett_luce"] as const, "bradley_terry"),
    centerRewards: num("center-rewards", s("center-rewards"), { min: 0 }) ?? 0,
    rewardModel: s("reward-model") ?? null,
    numGenerations,
    maxNewTokens: num("max-new-tokens", s("max-new-tokens"), { integer: true, min: 1 }) ?? 64,
    temperature: num("temperature", s("temperature"), { min: 0, exclusiveMin: true }) ?? 1,
    epsilon:
      num("epsilon", s("epsilon"), {
        min: 0,
        exclusiveMin: true,
        below: 1,
        why: "the ratio is clipped to [1 - eps, 1 + eps]",
      }) ?? 0.2,
    threads: num("threads", s("threads"), { integer: true, min: 1 }),
    quiet: v.quiet === true,
  };
}
