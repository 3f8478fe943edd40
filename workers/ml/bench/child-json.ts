// Runs one benchmark process (engine or PyTorch) and parses the single JSON object it prints; no timing.
import { spawn } from "node:child_process";
import { at } from "../ir/at";

export interface TChildCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** The child's whole environment. */
  readonly env: NodeJS.ProcessEnv;
  /** For error messages. */
  readonly label: string;
}

/** stdout must end with one JSON object (earlier lines are ignored); stderr passes through on failure. */
export function runChildJson(cmd: TChildCommand): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.file, [...cmd.args], { env: cmd.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => reject(new Error(`${cmd.label}: could not start ${cmd.file}: ${e.message}`)));
    child.on("close", (code, signal) => {
      if (code !== 0) {
        reject(new Error(`${cmd.label} failed (${signal ?? `exit ${code}`}):\n${err.trim() || out.trim()}`));
        return;
      }
      const last = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${cmd.label}: no JSON on the last line of its output:\n${out.slice(-2000)}\n${err.slice(-2000)}`));
      }
    });
  });
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? at(s, mid) : (at(s, mid - 1) + at(s, mid)) / 2;
}
