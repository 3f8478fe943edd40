import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runHouseTrainCli } from "../cli/house-train";
import { runBenchLoopCli, type TRoundResult } from "./bench-loop";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-loop-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const quiet = { out: () => {}, err: () => {}, progress: () => {} };

describe("npm run bench:loop", () => {
  it(
    "runs rounds of candidates, rankings, reward model and policy training, and records them",
    { timeout: 120_000 },
    async () => {
      const work = path.join(root, "house");
      expect(await runHouseTrainCli(["--quick", "--work", work, "--threads", "1"], quiet)).toBe(0);
      // A random tiny model answers nothing right: an oracle that ranks by length still gives every prompt a ranking.
      const oracle = path.join(root, "by-length.mjs");
      fs.writeFileSync(
        oracle,
        "export const rank = (p, c) => c.map((_, i) => i).sort((a, b) => c[b].length - c[a].length || a - b).map((i) => [i]);\n",
      );
      const json = path.join(root, "loop.json");
      const report = path.join(root, "loop.md");
      const log: string[] = [];
      const code = await runBenchLoopCli(
        [
          "--model",
          path.join(work, "model"),
          "--rounds",
          "2",
          "--prompts",
          "6",
          "--k",
          "2",
          "--eval",
          "10",
          "--trainer",
          "both",
          "--oracle",
          oracle,
          "--threads",
          "1",
          "--work",
          path.join(root, "loop"),
          "--json",
          json,
          "--report",
          report,
        ],
        (t) => log.push(t),
      );
      expect(code, log.join("\n")).toBe(0);
      const results = (JSON.parse(fs.readFileSync(json, "utf8")) as { results: TRoundResult[] }).results;
      expect(results.map((r) => r.round)).toEqual([1, 2]);
      expect(results[1]?.judgments).toBeGreaterThan(results[0]?.judgments ?? Infinity);
      for (const r of results) {
        expect(Number.isFinite(r.rmAccuracy)).toBe(true);
        expect(Number.isFinite(r.policy.klToReference)).toBe(true);
        expect(r.sft.klToReference).toBe(0);
      }
      expect(fs.readFileSync(report, "utf8")).toContain("reward model held-out pairwise accuracy");
      expect(fs.readFileSync(path.join(root, "bench-loop-both-by-length.svg"), "utf8")).toMatch(/^<svg/);
    },
  );

  it("refuses a bad trainer or oracle with a clear message", async () => {
    const log: string[] = [];
    expect(await runBenchLoopCli(["--trainer", "ppo"], (t) => log.push(t))).toBe(1);
    expect(log.join("\n")).toContain('--trainer must be dpo, rloo or both, got "ppo"');
    expect(await runBenchLoopCli(["--oracle", "nobody"], (t) => log.push(t))).toBe(1);
    expect(log.join("\n")).toContain("--oracle nobody: not a built-in oracle");
  });
});
