// Command-line options of `npm run generate`, parsed and validated into one object; no model loading.
import { parseArgs } from "node:util";
import { isQuantizeMode, type TQuantizeMode } from "../model/quantize";
import type { Provider } from "../runtime";
import { parseSamplingParams, type TSamplingParams } from "../generate/sampling-params";

export const USAGE = `usage: npm run generate -- --model <dir> (--prompt "text" | --prompt-ids 1,2,3) [options]

  --model <dir | name>      Hugging Face model directory (config.json, model.safetensors or shards,
                            tokenizer.json for text prompts), or "house": the built-in model
  --prompt <text>           a text prompt (repeatable)
  --prompt-ids <ids>        a prompt as comma-separated token ids (repeatable; no tokenizer needed)
  --chat                    wrap each text prompt as a user turn with the model's chat template
  -n <count>                candidates per prompt (default 1)
  --max-new-tokens <count>  default 64
  --temperature <t>         default 1; 0 is greedy
  --top-p <p> --top-k <k> --min-p <p> --repetition-penalty <r>
  --seed <int>              default 0
  --stop <text>             stop string (repeatable)
  --ignore-eos              do not stop at EOS
  --truncate-prompt         drop a too-long prompt's first tokens instead of failing
  --threads <count>         onnxruntime intra-op threads (default: one per core)
  --provider cpu|cuda       execution provider (default cpu)
  --quantize none|q8|q4     weights of the linear layers and the LM head (default none: float32)
  --json                    print the result as JSON`;

export class UsageError extends Error {
  override name = "UsageError";
}

export interface TCliOptions {
  readonly model: string;
  readonly prompts: readonly string[];
  readonly promptIds: readonly (readonly number[])[];
  readonly chat: boolean;
  readonly n: number;
  readonly maxNewTokens: number;
  readonly params: Partial<TSamplingParams>;
  readonly seed: number;
  readonly stopStrings: readonly string[];
  readonly ignoreEos: boolean;
  readonly truncatePrompt: boolean;
  readonly threads: number | undefined;
  readonly provider: Provider;
  readonly quantize: TQuantizeMode;
  readonly json: boolean;
}

function num(name: string, text: string | undefined, isInteger: boolean): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || (isInteger && !Number.isSafeInteger(v)))
    throw new UsageError(`--${name} expects ${isInteger ? "an integer" : "a number"}, got "${text}"`);
  return v;
}

function ids(text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((s) => !/^\d+$/.test(s)))
    throw new UsageError(`--prompt-ids expects comma-separated token ids, got "${text}"`);
  return parts.map(Number);
}

export function parseCliArgs(argv: readonly string[]): TCliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        model: { type: "string" },
        prompt: { type: "string", multiple: true },
        "prompt-ids": { type: "string", multiple: true },
        chat: { type: "boolean" },
        n: { type: "string", short: "n" },
        "max-new-tokens": { type: "string" },
        temperature: { type: "string" },
        "top-p": { type: "string" },
        "top-k": { type: "string" },
        "min-p": { type: "string" },
        "repetition-penalty": { type: "string" },
        seed: { type: "string" },
        stop: { type: "string", multiple: true },
        "ignore-eos": { type: "boolean" },
        "truncate-prompt": { type: "boolean" },
        threads: { type: "string" },
        provider: { type: "string" },
        quantize: { type: "string" },
        json: { type: "boolean" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.model === undefined) throw new UsageError("--model <dir> is required");
  const prompts = v.prompt ?? [];
  const promptIds = (v["prompt-ids"] ?? []).map(ids);
  if (prompts.length + promptIds.length === 0) throw new UsageError("give at least one --prompt or --prompt-ids");
  if (prompts.length > 0 && promptIds.length > 0)
    throw new UsageError("give either --prompt or --prompt-ids, not both");
  if (v.chat && promptIds.length > 0) throw new UsageError("--chat applies to text prompts (--prompt)");
  const provider = v.provider ?? "cpu";
  if (provider !== "cpu" && provider !== "cuda")
    throw new UsageError(`--provider must be cpu or cuda, got "${provider}"`);
  const quantize = v.quantize ?? "none";
  if (!isQuantizeMode(quantize)) throw new UsageError(`--quantize must be none, q8 or q4, got "${quantize}"`);
  const params: Partial<TSamplingParams> = {
    temperature: num("temperature", v.temperature, false),
    topP: num("top-p", v["top-p"], false),
    topK: num("top-k", v["top-k"], true),
    minP: num("min-p", v["min-p"], false),
    repetitionPenalty: num("repetition-penalty", v["repetition-penalty"], false),
  };
  const given = Object.fromEntries(
    Object.entries(params).filter(([, x]) => x !== undefined),
  ) as Partial<TSamplingParams>;
  try {
    parseSamplingParams(given);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return {
    model: v.model,
    prompts,
    promptIds,
    chat: v.chat ?? false,
    n: num("n", v.n, true) ?? 1,
    maxNewTokens: num("max-new-tokens", v["max-new-tokens"], true) ?? 64,
    params: given,
    seed: num("seed", v.seed, true) ?? 0,
    stopStrings: v.stop ?? [],
    ignoreEos: v["ignore-eos"] ?? false,
    truncatePrompt: v["truncate-prompt"] ?? false,
    threads: num("threads", v.threads, true),
    provider,
    quantize,
    json: v.json ?? false,
  };
}
