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
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
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
export async function waitForQuiet(maxBusy = 0.15, timeoutMs = 120_000, onWait?: (busy: number) => void): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const w = startLoadWindow();
    await sleep(1000);
    const busy = w.end(0);
    if (busy === null || busy < maxBusy || performance.now() > deadline) return busy;
    onWait?.(busy);
  }
}
