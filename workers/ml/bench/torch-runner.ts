// Runs the PyTorch baselines (torch_generate.py, torch_train.py) under Debian's PyTorch with the benchmark's
// threads; parses their results.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { runChildJson } from "./child-json";
import { ZTrainRun } from "./train-result";

/** Debian's interpreter: the `python3` first on PATH (pyenv) has no torch. */
export const TORCH_PYTHON = "/usr/bin/python3";
const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = path.join(HERE, "torch_generate.py");
const TRAIN_SCRIPT = path.join(HERE, "torch_train.py");

export const ZRunResult = z.object({
  batch: z.number().int(),
  promptTokens: z.number().int(),
  newTokens: z.number().int(),
  loadSeconds: z.number(),
  prefillTokPerS: z.number(),
  decodeTokPerS: z.number(),
  prefillRuns: z.array(z.number()),
  decodeRuns: z.array(z.number()),
  peakRssBytes: z.number(),
  /** CPU seconds of the whole process (all threads), to tell other processes' load apart from its own. */
  cpuSeconds: z.number(),
  tokens: z.array(z.array(z.number().int())),
});
export type TRunResult = z.infer<typeof ZRunResult>;

const ZTorchResult = ZRunResult.extend({ torch: z.string(), threads: z.number().int() });
export type TTorchResult = z.infer<typeof ZTorchResult>;

/**
 * The environment for PyTorch: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed (they would pin OpenBLAS to a
 * kernel tuned for another core), and OpenMP and OpenBLAS limited to the engine's thread count, so neither
 * side gets more cores than the other (torch.set_num_threads inside the script does the same for ATen).
 * NOTE: OMP_WAIT_POLICY=PASSIVE. Debian's torch runs its element-wise ops on OpenMP threads and its matrix
 * products on OpenBLAS' own pthreads; with GNU OpenMP's default spin-waiting the two pools fight over the
 * same cores, and on 2 cores that made decoding 2.5-4x slower (SmolLM2 shape, batch 1: 5.2 against 13.5
 * tok/s; steps jumped from ~70 to ~300 ms part-way through a generation). The baseline gets the faster
 * setting.
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_WAIT_POLICY: "PASSIVE",
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

export interface TTorchRun {
  readonly modelDir: string;
  readonly promptsFile: string;
  readonly threads: number;
  readonly newTokens: number;
  readonly runs: number;
}

export async function runTorch(r: TTorchRun): Promise<TTorchResult> {
  const args = [
    SCRIPT,
    "--model",
    r.modelDir,
    "--prompts",
    r.promptsFile,
    "--threads",
    String(r.threads),
    "--new-tokens",
    String(r.newTokens),
    "--runs",
    String(r.runs),
  ];
  const json = await runChildJson({ file: TORCH_PYTHON, args, env: torchEnv(r.threads), label: "PyTorch baseline" });
  return ZTorchResult.parse(json);
}

export interface TTorchTrainRun {
  readonly modelDir: string;
  readonly inputsFile: string;
  readonly threads: number;
  readonly memoryCapBytes?: number;
}

export const ZTorchTrainResult = ZTrainRun.extend({ torch: z.string(), threads: z.number().int() });

/** One training-step measurement (torch_train.py) in the same environment as the generation baseline. */
export async function runTorchTrain(r: TTorchTrainRun): Promise<z.infer<typeof ZTorchTrainResult>> {
  const args = [TRAIN_SCRIPT, "--model", r.modelDir, "--inputs", r.inputsFile, "--threads", String(r.threads)];
  return ZTorchTrainResult.parse(
    await runChildJson({
      file: TORCH_PYTHON,
      args,
      env: torchEnv(r.threads),
      label: "PyTorch training baseline",
      ...(r.memoryCapBytes === undefined ? {} : { memoryCapBytes: r.memoryCapBytes }),
    }),
  );
}

/** The torch version, or null when Debian's PyTorch is not installed (the benchmark then runs the engine only). */
export function torchVersion(): string | null {
  try {
    return execFileSync(TORCH_PYTHON, ["-c", "import torch; print(torch.__version__)"], {
      env: torchEnv(1),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}
