// Other processes' CPU use while a benchmark runs, from /proc/stat: lets the benchmark wait for a quiet
// machine and mark a measurement that shared its cores. Linux only; elsewhere it reports nothing.
import fs from "node:fs";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture the project runs on. */
const TICKS_PER_SECOND = 100;

interface TCpuTimes {
  busySeconds: number;
  atMs: number;
}

function readCpuTimes(): TCpuTimes | null {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { busySeconds: (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND, atMs: performance.now() };
  } catch {
    return null;
  }
}

/** Starts a window; `end(ownCpuSeconds)` gives the share of all CPUs that other processes used during it. */
export function startLoadWindow(): { end(ownCpuSeconds: number): number | null } {
  const start = readCpuTimes();
  return {
    end(ownCpuSeconds) {
      const stop = readCpuTimes();
      if (!start || !stop) return null;
      const capacity = ((stop.atMs - start.atMs) / 1000) * os.availableParallelism();
      return capacity > 0 ? Math.max(0, stop.busySeconds - start.busySeconds - ownCpuSeconds) / capacity : null;
    },
  };
}

/**
 * Waits until the machine's CPUs are less than `maxBusy` busy over a one-second sample (up to `timeoutMs`);
 * returns the last busy share seen (null where /proc/stat is unreadable).
 */
export async function waitForQuiet(
  maxBusy = 0.15,
  timeoutMs = 120_000,
  onWait?: (busy: number) => void,
): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const w = startLoadWindow();
    await sleep(1000);
    const busy = w.end(0);
    if (busy === null || busy < maxBusy || performance.now() > deadline) return busy;
    onWait?.(busy);
  }
}

/** A measurement counts as undisturbed when other processes used at most this share of the CPUs. */
export const MAX_OTHER_LOAD = 0.1;
/** How long to wait for a quiet machine before each run (ms) and how many runs to try; `--quiet-wait S` and
 *  `--attempts N` change them for a machine that is never quiet. */
export const QUIET_POLICY = { waitMs: 120_000, attempts: 3 };

/**
 * Runs one benchmark process on a quiet machine: waits until other processes leave the CPUs mostly idle,
 * measures their share during the run, and repeats a run they disturbed (up to ATTEMPTS), keeping the
 * least disturbed one. `summary` describes a result for the progress log.
 */
export async function measureQuietly<R extends { cpuSeconds: number }>(
  label: string,
  run: () => Promise<R>,
  summary: (r: R) => string,
  log: (msg: string) => void,
): Promise<{ result: R; otherLoad: number | null }> {
  let best: { result: R; otherLoad: number | null } | null = null;
  for (let attempt = 1; attempt <= QUIET_POLICY.attempts; attempt++) {
    await waitForQuiet(MAX_OTHER_LOAD, QUIET_POLICY.waitMs, (busy) =>
      log(`${label}: waiting for a quiet machine (${(100 * busy).toFixed(0)}% busy)`),
    );
    const window = startLoadWindow();
    const result = await run();
    const otherLoad = window.end(result.cpuSeconds);
    log(
      `${label}: ${summary(result)}${otherLoad === null ? "" : `, other processes used ${(100 * otherLoad).toFixed(0)}% of the CPUs`}`,
    );
    if (!best || (otherLoad ?? 0) < (best.otherLoad ?? 0)) best = { result, otherLoad };
    if (otherLoad === null || otherLoad <= MAX_OTHER_LOAD) break;
  }
  if (!best) throw new Error(`${label}: no attempt ran`);
  return best;
}
