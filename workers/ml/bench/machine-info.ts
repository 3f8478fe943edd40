// The machine and software a benchmark ran on, for the record in docs/benchmarks.md; no measurement.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";

export interface TMachineInfo {
  cpu: string;
  /** Logical CPUs this process may use. */
  cpus: number;
  memoryGiB: number;
  node: string;
  onnxruntime: string;
  torch: string | null;
  openblas: string | null;
  date: string;
}

function cpuModel(): string {
  try {
    const line = fs
      .readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    const flags =
      fs
        .readFileSync("/proc/cpuinfo", "utf8")
        .split("\n")
        .find((l) => l.startsWith("flags")) ?? "";
    const simd = ["avx2", "avx512f", "avx512_bf16", "amx_tile"].filter((f) => new RegExp(`\\b${f}\\b`).test(flags));
    return `${line?.split(":")[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown"}${simd.length > 0 ? ` (${simd.join(", ")})` : ""}`;
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
}

/** The installed onnxruntime-node version, read from its package.json (the runtime module owns the import). */
function onnxruntimeVersion(): string {
  try {
    const file = createRequire(import.meta.url).resolve("onnxruntime-node/package.json");
    const { version } = JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown };
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}

function debianPackageVersion(name: string): string | null {
  try {
    return (
      execFileSync("dpkg-query", ["-W", "-f", "${Version}", name], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim() || null
    );
  } catch {
    return null;
  }
}

export function machineInfo(torch: string | null): TMachineInfo {
  return {
    cpu: cpuModel(),
    cpus: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    onnxruntime: onnxruntimeVersion(),
    torch: torch === null ? null : `${torch} (python3-torch ${debianPackageVersion("python3-torch") ?? "?"})`,
    openblas: debianPackageVersion("libopenblas0-pthread"),
    date: new Date().toISOString().slice(0, 10),
  };
}
