// Step 3 of a round: the new policy against the current one on the held-out prompts, in a child process
// (evaluate-child.ts says what is measured and how KL is estimated).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { workerRuntime } from "../runtime-config";
import type { TEvaluateRequest } from "./evaluate-child";

const CHILD = path.resolve(import.meta.dirname, "evaluate-child.ts");

export const EVALUATION_PARAMS = { seed: 1234, maxNewTokens: 32 } as const;

export function evaluateStep(
  o: Omit<TEvaluateRequest, "seed" | "maxNewTokens" | "threads"> & { dir: string; signal: AbortSignal },
): Promise<Record<string, number>> {
  const req: TEvaluateRequest = {
    newModel: o.newModel,
    currentModel: o.currentModel,
    rewardModel: o.rewardModel,
    data: o.data,
    evalSplit: o.evalSplit,
    ...EVALUATION_PARAMS,
    ...(workerRuntime().threads > 0 ? { threads: workerRuntime().threads } : {}),
  };
  const reqFile = path.join(o.dir, "evaluation-request.json");
  const outFile = path.join(o.dir, "evaluation.json");
  fs.writeFileSync(reqFile, JSON.stringify(req));
  return new Promise((resolve, reject) => {
    const log = fs.openSync(path.join(o.dir, "evaluation.log"), "a");
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, reqFile, outFile], {
      stdio: ["ignore", log, log],
    });
    const onAbort = () => child.kill("SIGKILL");
    o.signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", reject);
    child.on("exit", (code) => {
      o.signal.removeEventListener("abort", onAbort);
      fs.closeSync(log);
      if (o.signal.aborted) return reject(new Error("evaluation aborted"));
      if (code !== 0 || !fs.existsSync(outFile)) {
        const last = fs.readFileSync(path.join(o.dir, "evaluation.log"), "utf8").trim().split("\n").at(-1);
        return reject(new Error(`the evaluation failed: ${last ?? `exit ${code}`}`));
      }
      const r = JSON.parse(fs.readFileSync(outFile, "utf8")) as Record<string, number>;
      const { prompts, ...numbers } = r;
      resolve(prompts ? { ...numbers, eval_prompts: prompts } : {});
    });
  });
}
