// Runs one benchmark process (engine or PyTorch) and parses the single JSON object it prints, killing it
// if it outgrows a memory cap; no timing.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { at } from "../ir/at";

export interface TChildCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** The child's whole environment. */
  readonly env: NodeJS.ProcessEnv;
  /** For error messages. */
  readonly label: string;
  /** Kill the child when its resident memory passes this many bytes, or the machine's available memory
   *  falls under MIN_AVAILABLE_BYTES (Linux only): a run that would exhaust a shared machine fails alone. */
  readonly memoryCapBytes?: number;
}

/** Raised when the child was stopped by the memory cap: the largest resident size seen, and the last line
 *  the child wrote to stderr (where it had got to). */
export class MemoryCapError extends Error {
  constructor(
    label: string,
    readonly peakBytes: number,
    readonly reason: string,
    readonly lastLog: string,
  ) {
    super(`${label} stopped: ${reason}${lastLog ? ` (its last progress line: ${lastLog})` : ""}`);
    this.name = "MemoryCapError";
  }
}

const MIN_AVAILABLE_BYTES = 1.5 * 2 ** 30;
const POLL_MS = 50;

function kibField(text: string, field: string): number | null {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return m?.[1] === undefined ? null : Number(m[1]) * 1024;
}

/** Polls the child's VmRSS and the machine's MemAvailable; calls `stop` with a reason once either limit is passed. */
function watchMemory(pid: number, capBytes: number, stop: (reason: string, rssBytes: number) => void): () => void {
  let seen = 0;
  const timer = setInterval(() => {
    try {
      const rss = kibField(fs.readFileSync(`/proc/${pid}/status`, "utf8"), "VmRSS") ?? 0;
      const available = kibField(fs.readFileSync("/proc/meminfo", "utf8"), "MemAvailable");
      seen = Math.max(seen, rss);
      const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
      if (rss > capBytes) stop(`its resident memory passed the cap of ${gib(capBytes)}`, seen);
      else if (available !== null && available < MIN_AVAILABLE_BYTES)
        stop(`the machine had under ${gib(MIN_AVAILABLE_BYTES)} available (the process held ${gib(rss)})`, seen);
    } catch {
      // the process has exited, or this is not Linux
    }
  }, POLL_MS);
  return () => clearInterval(timer);
}

/** stdout must end with one JSON object (earlier lines are ignored); stderr passes through on failure. */
export function runChildJson(cmd: TChildCommand): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.file, [...cmd.args], { env: cmd.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let capped: { reason: string; rss: number } | null = null;
    const unwatch =
      cmd.memoryCapBytes !== undefined && child.pid !== undefined
        ? watchMemory(child.pid, cmd.memoryCapBytes, (reason, rss) => {
            if (capped) return;
            capped = { reason, rss };
            child.kill("SIGKILL");
          })
        : () => {};
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => (unwatch(), reject(new Error(`${cmd.label}: could not start ${cmd.file}: ${e.message}`))));
    child.on("close", (code, signal) => {
      unwatch();
      if (capped) {
        reject(new MemoryCapError(cmd.label, capped.rss, capped.reason, err.trim().split("\n").pop() ?? ""));
        return;
      }
      if (code !== 0) {
        reject(new Error(`${cmd.label} failed (${signal ?? `exit ${code}`}):\n${err.trim() || out.trim()}`));
        return;
      }
      const last = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(
          new Error(`${cmd.label}: no JSON on the last line of its output:\n${out.slice(-2000)}\n${err.slice(-2000)}`),
        );
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
