// The built-in model from nothing: corpus -> tokenizer -> random Llama -> pre-training -> SFT (both through
// the engine's `npm run train` entry point) -> a Hugging Face checkpoint directory, its held-out evaluation
// and its loss curves. One seed decides everything.
import fs from "node:fs";
import path from "node:path";
import { hfTensorSpecs } from "../../ml/checkpoint/hf-tensors";
import { parseModelConfig, type TModelConfig } from "../../ml/model/config";
import { runTrainCli, type TCliOutput } from "../../ml/train/cli/train";
import { buildCorpus, type TCorpus } from "../corpus/build-corpus";
import {
  END_TOKEN,
  PAD_TOKEN,
  renderChat,
  trainHouseTokenizer,
  writeTokenizerFiles,
} from "../tokenizer/house-tokenizer";
import { evaluateHeldOut, type TEvaluation } from "./evaluate";
import { houseConfigJson, writeInitialModel } from "./init-model";
import { pretrainRows, sftRows, writeJsonl } from "./datasets";
import type { TProfile, TStageArgs } from "./profiles";

export interface TPipelineOptions {
  readonly profile: TProfile;
  /** Scratch directory for datasets, stage outputs and metrics. */
  readonly workDir: string;
  /** Where the final checkpoint goes (replaced). */
  readonly outDir: string;
  readonly threads?: number;
  readonly io: TCliOutput;
}

export interface TPipelineResult {
  readonly corpus: TCorpus;
  readonly evaluation: TEvaluation;
  readonly seconds: { readonly pretrain: number; readonly sft: number; readonly total: number };
  readonly metrics: { readonly pretrain: string; readonly sft: string };
  readonly parameters: number;
}

/** Stage durations of the last run, kept in the work directory for `--card-only`. */
export const TIMINGS_FILE = "timings.json";

export function parameterCount(c: TModelConfig): number {
  return hfTensorSpecs(c).reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
}

function stageArgv(a: TStageArgs, seed: number, threads: number | undefined, context: number): string[] {
  return [
    "--lr",
    String(a.lr),
    "--epochs",
    String(a.epochs),
    "--batch-size",
    String(a.batchSize),
    "--warmup-ratio",
    String(a.warmupRatio),
    "--weight-decay",
    String(a.weightDecay),
    "--eval-split",
    String(a.evalRows),
    ...(a.evalSteps > 0 ? ["--eval-steps", String(a.evalSteps)] : []),
    "--logging-steps",
    "5",
    "--seed",
    String(seed),
    // Sequences are cut to the model's context (the trainer refuses a --max-length past it).
    "--max-length",
    String(context),
    ...(threads ? ["--threads", String(threads)] : []),
  ];
}

async function stage(name: string, argv: string[], io: TCliOutput): Promise<number> {
  const started = Date.now();
  const code = await runTrainCli(argv, io);
  if (code !== 0) throw new Error(`${name}: npm run train -- ${argv.join(" ")} exited with ${code}`);
  return (Date.now() - started) / 1000;
}

export async function runPipeline(o: TPipelineOptions): Promise<TPipelineResult> {
  const p = o.profile;
  const t0 = Date.now();
  fs.rmSync(o.workDir, { recursive: true, force: true });
  fs.mkdirSync(o.workDir, { recursive: true });
  const dir = (name: string) => path.join(o.workDir, name);

  o.io.out(`[1/5] corpus (seed ${p.seed})`);
  const corpus = buildCorpus(p.corpus);
  o.io.out(
    `      ${corpus.pretrain.length} pre-training documents, ${corpus.sft.length} SFT conversations, ${corpus.pool.length} pool questions, ${corpus.heldOut.length} held out`,
  );

  o.io.out(`[2/5] tokenizer (byte-level BPE, ${p.vocabSize} tokens)`);
  const chats = corpus.sft.map((s) => renderChat([...s.item.messages, { role: "assistant", content: s.answer }]));
  const bpe = trainHouseTokenizer([...corpus.pretrain, ...chats], p.vocabSize);
  const init = dir("init");
  writeTokenizerFiles(init, bpe);
  const ids = { pad: bpe.vocab.get(PAD_TOKEN) as number, eos: bpe.vocab.get(END_TOKEN) as number };
  fs.writeFileSync(
    path.join(init, "generation_config.json"),
    `${JSON.stringify({ eos_token_id: ids.eos, pad_token_id: ids.pad, do_sample: false, max_new_tokens: 48 }, null, 2)}\n`,
  );
  const configJson = houseConfigJson(p, bpe.vocab.size, ids);
  writeInitialModel(init, configJson, p.seed);

  writeJsonl(dir("pretrain.jsonl"), pretrainRows(corpus));
  writeJsonl(dir("sft.jsonl"), sftRows(corpus));

  o.io.out("[3/5] pre-training every weight");
  const pretrainOut = dir("pretrain");
  const pretrainS = await stage(
    "pre-training",
    [
      "--kind",
      "pretrain",
      "--model",
      init,
      "--data",
      dir("pretrain.jsonl"),
      "--out",
      pretrainOut,
      ...stageArgv(p.pretrain, p.seed, o.threads, p.model.max_position_embeddings),
    ],
    o.io,
  );

  o.io.out("[4/5] supervised fine-tuning (every weight)");
  const sftOut = dir("sft");
  const sftS = await stage(
    "SFT",
    [
      "--kind",
      "sft",
      "--full",
      "--model",
      path.join(pretrainOut, "model"),
      "--data",
      dir("sft.jsonl"),
      "--out",
      sftOut,
      ...stageArgv(p.sft, p.seed, o.threads, p.model.max_position_embeddings),
    ],
    o.io,
  );

  fs.rmSync(o.outDir, { recursive: true, force: true });
  fs.cpSync(path.join(sftOut, "model"), o.outDir, { recursive: true });
  const seconds = { pretrain: pretrainS, sft: sftS, total: (Date.now() - t0) / 1000 };
  fs.writeFileSync(path.join(o.workDir, TIMINGS_FILE), `${JSON.stringify(seconds)}\n`);
  return finishPipeline(o, corpus, seconds);
}

/** Evaluates the checkpoint in `outDir` trained from `workDir` (also on its own: `house:train --card-only`). */
export async function finishPipeline(
  o: TPipelineOptions,
  corpus: TCorpus,
  seconds: TPipelineResult["seconds"],
): Promise<TPipelineResult> {
  const p = o.profile;
  o.io.out(`[5/5] held-out evaluation (${p.evalQuestions} questions, greedy)`);
  const evaluation = await evaluateHeldOut(o.outDir, corpus, {
    sample: p.evalQuestions,
    seed: p.seed,
    threads: o.threads,
  });
  o.io.out(
    `      exact-answer accuracy ${(evaluation.accuracy * 100).toFixed(1)}% on ${evaluation.n} held-out questions`,
  );
  const configJson = JSON.parse(fs.readFileSync(path.join(o.outDir, "config.json"), "utf8")) as unknown;
  return {
    corpus,
    evaluation,
    seconds,
    metrics: {
      pretrain: path.join(o.workDir, "pretrain", "metrics.jsonl"),
      sft: path.join(o.workDir, "sft", "metrics.jsonl"),
    },
    parameters: parameterCount(parseModelConfig(configJson)),
  };
}
