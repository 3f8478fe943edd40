// Forks the generation child (generation-child.ts through tsx), sends it one request and waits for its
// answer. An abort (the job's lease was lost, or the worker stops) kills the child.
import { fork } from "node:child_process";
import path from "node:path";
import type { TChildRequest, TChildResponse } from "./child-protocol";

const CHILD = path.join(import.meta.dirname, "generation-child.ts");

export function runGenerationChild(req: TChildRequest, signal?: AbortSignal): Promise<TChildResponse & { ok: true }> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const child = fork(CHILD, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let answer: TChildResponse | undefined;
    const onAbort = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", onAbort, { once: true });
    child.on("message", (m: TChildResponse) => (answer = m));
    child.on("error", (e) => {
      signal?.removeEventListener("abort", onAbort);
      reject(e);
    });
    child.on("exit", (code, sig) => {
      signal?.removeEventListener("abort", onAbort);
      if (signal?.aborted)
        return reject(signal.reason instanceof Error ? signal.reason : new Error("generation aborted"));
      if (answer?.ok) return resolve(answer);
      reject(
        new Error(
          answer && !answer.ok
            ? `generation failed: ${answer.error}`
            : `generation process exited (${sig ?? code}) without an answer`,
        ),
      );
    });
    child.send(req);
  });
}
