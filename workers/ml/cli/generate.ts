// `npm run generate`: loads a model directory, generates candidates for the prompts, prints them with their
// log-probabilities. Entry point of the CLI; the options are in args.ts, the printing in format.ts.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate } from "../generate/generate";
import { loadModel } from "../model/causal-lm";
import { formatResult } from "./format";
import { parseCliArgs, USAGE, UsageError, type TCliOptions } from "./args";

export interface TCliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Models shipped in the repository, by name (`--model house`); a path that exists is always read as a path. */
export const BUILTIN_MODELS: Readonly<Record<string, string>> = {
  house: path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../house/model"),
};

/** `--model`'s directory: the path when it exists, else a built-in model's directory, else the path as given. */
export function resolveModelDir(model: string): string {
  if (fs.existsSync(model)) return model;
  return Object.hasOwn(BUILTIN_MODELS, model) ? (BUILTIN_MODELS[model] as string) : model;
}

/** Checks what the options need from the directory, so a mistake gets one clear sentence. */
function checkModelDir(o: TCliOptions): void {
  if (!fs.existsSync(o.model) || !fs.statSync(o.model).isDirectory())
    throw new Error(
      `model directory ${o.model} does not exist (built-in models by name: ${Object.keys(BUILTIN_MODELS).join(", ")})`,
    );
  if (!fs.existsSync(path.join(o.model, "config.json")))
    throw new Error(`${o.model} has no config.json (is it a Hugging Face model directory?)`);
  if (o.prompts.length > 0 && !fs.existsSync(path.join(o.model, "tokenizer.json"))) {
    throw new Error(
      `${o.model} has no tokenizer.json, which text prompts need; pass token ids with --prompt-ids 1,2,3 instead`,
    );
  }
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: readonly string[], io: TCliOutput): Promise<number> {
  let o: TCliOptions;
  try {
    const parsed = parseCliArgs(argv);
    o = { ...parsed, model: resolveModelDir(parsed.model) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    checkModelDir(o);
    const model = loadModel(o.model, {
      session: { provider: o.provider, intraOpThreads: o.threads },
      quantize: o.quantize,
      tokenizer: o.prompts.length > 0 ? true : "auto",
    });
    try {
      const tok = model.tokenizer;
      const prompts =
        o.chat && tok
          ? o.prompts.map((text) => tok.encodeChat([{ role: "user", content: text }], { addGenerationPrompt: true }))
          : o.prompts.length > 0
            ? o.prompts
            : o.promptIds;
      const result = await generate(model, {
        prompts,
        n: o.n,
        maxNewTokens: o.maxNewTokens,
        params: o.params,
        seed: o.seed,
        stopStrings: o.stopStrings,
        ignoreEos: o.ignoreEos,
        truncatePrompt: o.truncatePrompt,
      });
      io.out(o.json ? JSON.stringify(result, null, 2) : formatResult(result, tok));
    } finally {
      await model.dispose();
    }
    return 0;
  } catch (e) {
    io.err(`error: ${(e as Error).message}`);
    return 1;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const code = await runCli(process.argv.slice(2), { out: (t) => console.log(t), err: (t) => console.error(t) });
  process.exitCode = code;
}
