// Writes (or reuses) the random-weight F32 checkpoints the generation benchmark runs on; not the benchmark.
// Run alone: `npx tsx workers/ml/bench/make-bench-checkpoints.ts [--seed N] [--dir D]`.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hfTensorSpecs } from "../checkpoint/hf-tensors";
import { SINGLE_FILE, saveCheckpoint } from "../checkpoint/checkpoint-dir";
import type { TTensorToWrite } from "../checkpoint/safetensors-write";
import { BENCH_CONFIGS, BENCH_CONFIG_NAMES, INIT_STD, benchModelConfig, type TBenchConfigName } from "./bench-configs";

/** `data/bench/` under the repository root (git-ignored). */
export const DEFAULT_BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../data/bench");

/** A seeded standard-normal stream: splitmix32-style integer hash of a counter, then Box-Muller. */
function normalStream(seed: number): () => number {
  let counter = seed >>> 0;
  let spare: number | null = null;
  const uniform = (): number => {
    let z = (counter = (counter + 0x9e3779b9) >>> 0);
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (((z ^ (z >>> 15)) >>> 0) + 0.5) / 4294967296; // in (0, 1): log() below stays finite
  };
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const t = 2 * Math.PI * uniform();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

/** HF's `_init_weights`: Linear and Embedding ~ N(0, initializer_range), RMSNorm weights 1. */
function randomTensors(name: TBenchConfigName, seed: number): TTensorToWrite[] {
  return hfTensorSpecs(benchModelConfig(name)).map((spec, i) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (spec.shape.length === 1) data.fill(1);
    else {
      const next = normalStream(Math.imul(seed + 1, 0x01000193) ^ Math.imul(i + 1, 0x85ebca6b));
      for (let j = 0; j < n; j++) data[j] = INIT_STD * next();
    }
    return { name: spec.name, shape: spec.shape, dtype: "F32", data };
  });
}

/** The checkpoint directory for (name, seed), written on first use; reused while its config.json matches. */
export function ensureBenchCheckpoint(name: TBenchConfigName, seed = 0, root = DEFAULT_BENCH_DIR): string {
  const dir = path.join(root, `${name}-seed${seed}`);
  const configText = `${JSON.stringify(BENCH_CONFIGS[name], null, 2)}\n`;
  const configFile = path.join(dir, "config.json");
  // config.json is written last, so its presence means the weights beside it are complete.
  const isReusable =
    fs.existsSync(path.join(dir, SINGLE_FILE)) &&
    fs.existsSync(configFile) &&
    fs.readFileSync(configFile, "utf8") === configText;
  if (isReusable) return dir;
  fs.rmSync(configFile, { force: true });
  saveCheckpoint(dir, randomTensors(name, seed), { metadata: { generator: "prefloop bench", seed: String(seed) } });
  fs.writeFileSync(configFile, configText);
  return dir;
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seed = Number(option("--seed") ?? 0);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`--seed must be a non-negative integer, got ${option("--seed")}`);
  const root = path.resolve(option("--dir") ?? DEFAULT_BENCH_DIR);
  for (const name of BENCH_CONFIG_NAMES) console.log(`${name}: ${ensureBenchCheckpoint(name, seed, root)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
