// This process's resident memory from /proc/self/status: the peak (VmHWM) and the current size (VmRSS).
// NOTE: not resourceUsage().maxRSS, which on Linux keeps the high-water mark of the forked parent's image from
// before exec; torch_generate.py reads VmHWM the same way.
import fs from "node:fs";

function statusBytes(field: "VmHWM" | "VmRSS"): number | null {
  try {
    const line = fs
      .readFileSync("/proc/self/status", "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${field}:`));
    const kb = Number(line?.split(/\s+/)[1]);
    return Number.isFinite(kb) ? kb * 1024 : null;
  } catch {
    return null; // not Linux
  }
}

export function peakRssBytes(): number {
  return statusBytes("VmHWM") ?? process.resourceUsage().maxRSS * 1024;
}

export function rssBytes(): number {
  return statusBytes("VmRSS") ?? process.memoryUsage().rss;
}
