// `npm run train`: trains a reward model, an SFT / DPO / RLOO / GRPO adapter or model, or pre-trains, from a
// TRL-format JSONL file; prints a progress bar and the held-out metrics; saves PEFT adapters or Hugging Face
// checkpoints. Entry point of the CLI; the options are in args.ts, the loop in ../trainer.ts.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadModel, SCORE_WEIGHT, type CausalLM } from "../../model";
import { CausalLM as CausalLMClass } from "../../model/causal-lm";
import { loadDataset, tokenizeDataset } from "../data";
import { parseLoraConfig, type TLoraConfig } from "../lora";
import { rlBatches } from "../rl";
import { loadAdapter, mergeAdapter, saveAdapter, saveHfCheckpoint } from "../save";
import type { Tensor } from "../../ir";
import type { TObjective } from "../step-graph";
import { StepRunner } from "../step-runner";
import { TrainableModel } from "../trainable";
import { train, type TLogEntry } from "../trainer";
import { parseTrainArgs, USAGE, UsageError, type TTrainCliOptions } from "./args";
import { examplesAndBatches, forKind, heldOutSplit, NEEDS, type TToBatch } from "./prepare";

export interface TCliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Progress lines (a terminal rewrites them in place). */
  readonly progress?: (text: string, isFinal: boolean) => void;
}

function objectiveOf(o: TTrainCliOptions): TObjective {
  switch (o.kind) {
    case "pretrain":
    case "sft":
      return { kind: o.kind };
    case "rm":
      return { kind: "rm", loss: o.rmLoss, centerCoefficient: o.centerRewards };
    case "dpo":
      return { kind: "dpo", lossType: o.lossType, beta: o.beta ?? 0.1, labelSmoothing: o.labelSmoothing };
    case "rloo":
      return { kind: "rloo", temperature: o.temperature };
    case "grpo":
      return {
        kind: "grpo",
        temperature: o.temperature,
        epsilon: o.epsilon,
        beta: o.beta ?? 0,
        lossType: o.grpoLossType,
        maxCompletionLength: o.maxNewTokens,
      };
  }
}

function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${s.toFixed(1)}s`;
}

const SHOWN = ["loss", "accuracy", "rewards/accuracies", "rewards/margins", "reward", "kl", "grad_norm"];

function progressLine(e: TLogEntry, total: number, started: number): string {
  const width = 24;
  const done = Math.round((e.step / total) * width);
  const elapsed = (Date.now() - started) / 1000;
  const perStep = elapsed / Math.max(e.step, 1);
  const parts = SHOWN.filter((k) => e[k] !== undefined).map((k) => `${k} ${(e[k] ?? NaN).toFixed(4)}`);
  return `step ${e.step}/${total} [${"=".repeat(done)}${" ".repeat(width - done)}] ${parts.join("  ")}  lr ${(e.learning_rate ?? 0).toExponential(2)}  ${perStep.toFixed(2)} s/step  ETA ${formatDuration(perStep * (total - e.step))}`;
}

/** The reward model RL scores with: a checkpoint with a trained score head, or a SEQ_CLS adapter of the base. */
function loadRewardModel(dir: string, base: CausalLM, padId: number, session: { intraOpThreads?: number }): CausalLM {
  if (fs.existsSync(path.join(dir, "adapter_config.json"))) {
    const adapter = loadAdapter(dir, base.config);
    if (!adapter.scoreHead)
      throw new Error(`${dir} is an adapter without a reward head (score.weight); train one with --kind rm`);
    const config = { ...base.config, padTokenId: base.config.padTokenId ?? padId }; // as it was trained
    return new CausalLMClass(dir, config, mergeAdapter(base.weights, adapter), null, session, undefined, true);
  }
  const rm = loadModel(dir, { session, tokenizer: false });
  if (!rm.hasScoreHead) throw new Error(`${dir} has no ${SCORE_WEIGHT}: it is not a reward model`);
  return rm;
}

/** Tokens per sequence: --max-length, refused past the model's context; by default 1024 or the context if shorter. */
export function resolveMaxLength(o: Pick<TTrainCliOptions, "maxLength">, context: number): number {
  if (o.maxLength === null) return Math.min(1024, context);
  if (o.maxLength > context)
    throw new Error(
      `--max-length ${o.maxLength} is longer than the model's context (max_position_embeddings ${context}): positions past it have no RoPE angle; use --max-length ${context} or less`,
    );
  return o.maxLength;
}

/**
 * The LoRA config and starting tensors of a run started from --init-adapter: the adapter's r, alpha and targets
 * (the options given must equal them), its tensors, and its reward head for --kind rm.
 */
function initialAdapter(
  o: TTrainCliOptions,
  config: Parameters<typeof loadAdapter>[1],
): { lora: TLoraConfig; start: Map<string, Tensor<"float32">> } {
  const dir = o.initAdapter as string;
  const adapter = loadAdapter(dir, config); // refuses tensors that do not fit this base model, naming them
  const a = adapter.lora;
  const differ: string[] = [];
  if (o.loraGiven.r && o.lora.r !== a.r) differ.push(`rank: the adapter has r ${a.r}, --lora-r is ${o.lora.r}`);
  if (o.loraGiven.alpha && o.lora.alpha !== a.alpha)
    differ.push(`alpha: the adapter has ${a.alpha}, --lora-alpha is ${o.lora.alpha}`);
  const sorted = (xs: readonly string[]) => [...xs].sort().join(",");
  if (o.loraGiven.targets && sorted(o.lora.targetModules) !== sorted(a.targetModules))
    differ.push(
      `target modules: the adapter adapts ${sorted(a.targetModules)}, --lora-targets is ${sorted(o.lora.targetModules)}`,
    );
  if (differ.length > 0)
    throw new Error(
      `--init-adapter ${dir} does not match this run's LoRA options (${differ.join("; ")}); leave them out to take the adapter's`,
    );
  if (adapter.scoreHead && o.kind !== "rm")
    throw new Error(
      `--init-adapter ${dir} is a reward-model adapter (SEQ_CLS, with score.weight); --kind ${o.kind} trains a causal LM`,
    );
  const start = new Map(adapter.tensors);
  if (adapter.scoreHead) start.set(SCORE_WEIGHT, adapter.scoreHead);
  return { lora: { ...a, dropout: o.loraGiven.dropout ? o.lora.dropout : a.dropout }, start };
}

export async function runTrainCli(argv: readonly string[], io: TCliOutput): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(USAGE);
    return 0;
  }
  let o: TTrainCliOptions;
  try {
    o = parseTrainArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const toClose: CausalLM[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  let runner: StepRunner | null = null;
  try {
    if (!fs.existsSync(path.join(o.model, "config.json")))
      throw new Error(`${o.model} has no config.json (is it a Hugging Face model directory?)`);
    if (!fs.existsSync(path.join(o.model, "tokenizer.json")))
      throw new Error(`${o.model} has no tokenizer.json, which the dataset's text needs`);
    if (!fs.existsSync(o.data)) throw new Error(`dataset ${o.data} does not exist`);
    const session = { intraOpThreads: o.threads };
    const base = loadModel(o.model, { session, tokenizer: true });
    toClose.push(base);
    const tok = base.tokenizer;
    if (!tok) throw new Error(`${o.model}: the tokenizer did not load`);
    const padId = tok.padTokenId ?? base.config.padTokenId ?? tok.eosTokenIds[0] ?? 0;

    const maxLength = resolveMaxLength(o, base.config.maxPositionEmbeddings);
    const dataset = forKind(o.kind, await loadDataset(o.data));
    const tokenized = tokenizeDataset(dataset, tok, { maxLength });
    if (!NEEDS[o.kind].includes(tokenized.kind))
      throw new Error(
        `${o.data} holds ${tokenized.kind} rows; --kind ${o.kind} trains on ${NEEDS[o.kind].join(" or ")} rows`,
      );
    const t = tokenized.truncation;
    io.out(
      `${o.data}: ${tokenized.examples.length} ${tokenized.kind} examples (${dataset.conversational ? "conversational" : "standard"})${dataset.dropped.length ? `, ${dataset.dropped.length} rows with nothing to learn skipped` : ""}${t.examples ? `, ${t.examples} truncated to ${maxLength} tokens` : ""}`,
    );

    const objective = objectiveOf(o);
    const isRm = o.kind === "rm";
    // The reward is read at the last token that is not the pad id (Hugging Face's rule), so a reward model needs
    // one: the config's, else the batches' (written into the saved config, as TRL's RewardTrainer sets it).
    const trainConfig = isRm ? { ...base.config, padTokenId: base.config.padTokenId ?? padId } : base.config;
    const init = o.initAdapter ? initialAdapter(o, trainConfig) : null;
    const lora = o.full
      ? undefined
      : (init?.lora ??
        parseLoraConfig({
          r: o.lora.r,
          alpha: o.lora.alpha,
          dropout: o.lora.dropout,
          targetModules: o.lora.targetModules,
        }));
    const model = new TrainableModel(
      trainConfig,
      base.weights,
      { body: o.full ? "full" : "lora", lora, head: isRm, seed: o.args.seed },
      init?.start,
    );
    runner = await StepRunner.create(model, objective, session);

    const reference = (batch: Parameters<CausalLM["score"]>[0], mask: Parameters<CausalLM["score"]>[1]) =>
      base.score(batch, mask);
    const rl = () => {
      const rewardModel = loadRewardModel(o.rewardModel as string, base, padId, session);
      toClose.push(rewardModel);
      const sampler = rlBatches({
        kind: o.kind === "grpo" ? "grpo" : "rloo",
        policy: model,
        reference: base,
        reward: rewardModel,
        numGenerations: o.numGenerations,
        maxNewTokens: o.maxNewTokens,
        temperature: o.temperature,
        klCoefficient: o.beta ?? 0.05,
        padId,
        seed: o.args.seed,
        session,
        tokenizerDir: o.model,
      });
      cleanups.push(sampler.dispose);
      return sampler.toBatch as TToBatch;
    };
    const { examples, toBatch } = await examplesAndBatches(o, tokenized, { padId, reference, rl });

    const split = heldOutSplit(dataset, examples, o.evalSplit, o.args.seed);
    io.out(
      `training ${o.kind} (${o.full ? "every weight" : `LoRA r=${lora?.r} alpha=${lora?.alpha} on ${lora?.targetModules.join(",")}${o.initAdapter ? `, from ${o.initAdapter}` : ""}`}${isRm ? " + reward head" : ""}) on ${split.train.length} examples, ${split.eval.length} held out${split.eval.length ? ` (split by prompt: ${split.trainPrompts} prompts train, ${split.evalPrompts} other prompts held out)` : ""}`,
    );

    const saveModel = (dir: string, isFinal = false) => {
      if (o.full || (isFinal && o.merge)) {
        const configJson = JSON.parse(fs.readFileSync(path.join(o.model, "config.json"), "utf8")) as Record<
          string,
          unknown
        >;
        if (isRm)
          configJson.architectures = [
            String((configJson.architectures as string[] | undefined)?.[0] ?? "LlamaForCausalLM").replace(
              /ForCausalLM$/,
              "ForSequenceClassification",
            ),
          ];
        saveHfCheckpoint(path.join(dir, "model"), {
          configJson: isRm ? { ...configJson, num_labels: 1, pad_token_id: trainConfig.padTokenId } : configJson,
          weights: model.mergedWeights(),
          tokenizerDir: o.model,
          includeScoreHead: isRm,
          overwrite: true,
        });
      }
      if (!o.full) {
        const lora = model.lora;
        if (!lora) throw new Error("unreachable: a LoRA run without a LoRA config");
        saveAdapter(dir, {
          lora,
          taskType: isRm ? "SEQ_CLS" : "CAUSAL_LM",
          baseModel: path.resolve(o.model),
          tensors: model.loraTensors(),
          ...(isRm ? { scoreHead: model.tensors.get(SCORE_WEIGHT) } : {}),
        });
      }
    };

    const started = Date.now();
    let total = 1;
    const result = await train({
      runner,
      train: split.train as never[],
      eval: split.eval as never[],
      args: o.args,
      outputDir: o.out,
      ...(o.resumeFrom ? { resumeFrom: o.resumeFrom } : {}),
      hyperParameters: {
        model: path.resolve(o.model),
        data: path.resolve(o.data),
        maxLength,
        evalSplit: o.evalSplit,
        initAdapter: o.initAdapter && path.resolve(o.initAdapter),
        precomputeRef: o.precomputeRef,
        rewardModel: o.rewardModel && path.resolve(o.rewardModel),
        numGenerations: o.kind === "rloo" || o.kind === "grpo" ? o.numGenerations : null,
        maxNewTokens: o.kind === "rloo" || o.kind === "grpo" ? o.maxNewTokens : null,
        klCoefficient: o.kind === "rloo" ? (o.beta ?? 0.05) : null,
      },
      hooks: {
        toBatch,
        saveModel,
        onStart: (info) => (total = info.totalSteps),
        onLog: (e) => {
          if (o.quiet) return;
          const evals = Object.entries(e).filter(([k]) => k.startsWith("eval_"));
          if (evals.length > 0)
            io.out(`eval at step ${e.step}: ${evals.map(([k, v]) => `${k} ${v.toFixed(4)}`).join("  ")}`);
          else (io.progress ?? ((text: string) => io.err(text)))(progressLine(e, total, started), e.step === total);
        },
      },
    });
    saveModel(o.out, true);
    const last = result.log.filter((e) => e.loss !== undefined).at(-1);
    io.out(
      `done: ${result.steps} steps in ${formatDuration((Date.now() - started) / 1000)}; final loss ${last?.loss?.toFixed(4) ?? "?"}`,
    );
    const ev = result.lastEval;
    if (ev) {
      const headline = isRm
        ? `held-out accuracy ${(ev.eval_accuracy ?? NaN).toFixed(4)}`
        : o.kind === "dpo"
          ? `held-out reward accuracy ${(ev["eval_rewards/accuracies"] ?? NaN).toFixed(4)}, margin ${(ev["eval_rewards/margins"] ?? NaN).toFixed(4)}`
          : `held-out loss ${(ev.eval_loss ?? NaN).toFixed(4)}`;
      io.out(`${headline} on ${split.eval.length} examples`);
    }
    io.out(
      `saved ${o.full ? `a Hugging Face checkpoint in ${path.join(o.out, "model")}` : `a PEFT adapter in ${o.out}${o.merge ? ` and the merged model in ${path.join(o.out, "model")}` : ""}`}; metrics in ${path.join(o.out, "metrics.jsonl")}`,
    );
    return 0;
  } catch (e) {
    io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await runner?.dispose();
    for (const c of cleanups) await c();
    await Promise.all(toClose.map((m) => m.dispose()));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const isTty = process.stderr.isTTY === true;
  const code = await runTrainCli(process.argv.slice(2), {
    out: (text) => {
      if (isTty) process.stderr.write("\n");
      process.stdout.write(`${text}\n`);
    },
    err: (text) => process.stderr.write(`${text}\n`),
    progress: (text) => process.stderr.write(isTty ? `\r${text}\u001b[K` : `${text}\n`),
  });
  if (isTty) process.stderr.write("\n");
  process.exitCode = code;
}
