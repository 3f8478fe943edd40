// The quality cost of quantized weights, in its own process: one teacher-forced pass over a fixed token
// sequence with the float32 model and with each quantized one; per position the KL divergence
// KL(p_float32 || p_quantized) of the next-token distributions and whether their argmax agrees. Prints one JSON
// object. bench-generate.ts runs it.
// Usage: tsx workers/ml/bench/engine-quality.ts --model DIR (--tokens FILE | --text TEXT) --threads N
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadModel, leftPadBatch, type TQuantizeMode } from "../model";
import { loadTokenizer } from "../tokenizer/tokenizer";

const MODES = ["q8", "q4"] as const satisfies readonly TQuantizeMode[];

/** log_softmax of each row of [T, V] logits, in float64. */
function logSoftmaxRows(logits: Float32Array, T: number, V: number): Float64Array {
  const out = new Float64Array(T * V);
  for (let t = 0; t < T; t++) {
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[t * V + v] as number);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp((logits[t * V + v] as number) - max);
    const lse = max + Math.log(sum);
    for (let v = 0; v < V; v++) out[t * V + v] = (logits[t * V + v] as number) - lse;
  }
  return out;
}

function argmaxRow(x: Float64Array, t: number, V: number): number {
  let best = 0;
  for (let v = 1; v < V; v++) if ((x[t * V + v] as number) > (x[t * V + best] as number)) best = v;
  return best;
}

async function logprobs(dir: string, mode: TQuantizeMode, ids: number[], threads: number) {
  const model = loadModel(dir, { session: { intraOpThreads: threads, interOpThreads: 1 }, quantize: mode });
  try {
    const { logits } = await model.decode(leftPadBatch([ids], 0), null, "all");
    const [, T, V] = logits.shape as [number, number, number];
    return { lp: logSoftmaxRows(logits.data, T, V), T, V };
  } finally {
    await model.dispose();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      tokens: { type: "string" },
      text: { type: "string" },
      threads: { type: "string" },
    },
  });
  const threads = Number(values.threads ?? 1);
  if (!values.model || (!values.tokens && !values.text) || !(threads >= 1))
    throw new Error("usage: engine-quality.ts --model DIR (--tokens FILE | --text TEXT) --threads N");
  let ids: number[];
  if (values.tokens)
    ids = z
      .array(z.number().int().nonnegative())
      .min(2)
      .parse(JSON.parse(fs.readFileSync(values.tokens, "utf8")));
  else ids = loadTokenizer(values.model).encode(values.text ?? "");
  const window = z
    .object({ max_position_embeddings: z.number().int() })
    .parse(JSON.parse(fs.readFileSync(`${values.model}/config.json`, "utf8"))).max_position_embeddings;
  ids = ids.slice(0, window);
  const ref = await logprobs(values.model, "none", ids, threads);
  const { T, V } = ref;
  const result: Record<string, { meanKl: number; maxKl: number; top1Agreement: number }> = {};
  for (const mode of MODES) {
    const q = await logprobs(values.model, mode, ids, threads);
    let sumKl = 0;
    let maxKl = 0;
    let agree = 0;
    for (let t = 0; t < T; t++) {
      let kl = 0;
      for (let v = 0; v < V; v++) {
        const lp = ref.lp[t * V + v] as number;
        kl += Math.exp(lp) * (lp - (q.lp[t * V + v] as number));
      }
      sumKl += kl;
      maxKl = Math.max(maxKl, kl);
      if (argmaxRow(ref.lp, t, V) === argmaxRow(q.lp, t, V)) agree++;
    }
    result[mode] = { meanKl: sumKl / T, maxKl, top1Agreement: agree / T };
  }
  console.log(JSON.stringify({ tokens: T, modes: result }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
