// The benchmark's arithmetic and bookkeeping (no timing: nothing here measures speed).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BENCH_CONFIGS, benchModelConfig, parameterCount, weightBytesPerToken } from "./bench-configs";
import { writeGenerationSection } from "./benchmarks-doc";
import { median } from "./child-json";
import { judgeTargets, type TReport, type TRow } from "./report";

describe("bench configs", () => {
  it("are the sizes the issue asks for", () => {
    expect(parameterCount(benchModelConfig("small-5m"))).toBe(4_999_424);
    // SmolLM2-135M's published parameter count.
    expect(parameterCount(benchModelConfig("smollm2-135m"))).toBe(134_515_008);
    expect(BENCH_CONFIGS["smollm2-135m"]).toMatchObject({ num_hidden_layers: 30, hidden_size: 576, num_attention_heads: 9, num_key_value_heads: 3, intermediate_size: 1536, vocab_size: 49152, tie_word_embeddings: true, rope_theta: 100000, max_position_embeddings: 8192 });
  });

  it("counts the tied embedding once (as the LM head) plus one looked-up row per decoded token", () => {
    const c = benchModelConfig("smollm2-135m");
    expect(weightBytesPerToken(c)).toBe(4 * (134_515_008 + 576));
    const untied = { ...c, tieWordEmbeddings: false };
    // An untied model has lm_head.weight too: read in full; its embedding only one row.
    expect(weightBytesPerToken(untied)).toBe(4 * (134_515_008 + 576));
  });
});

describe("median", () => {
  it("takes the middle of odd and the mean of the middle pair of even lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

function row(config: TRow["config"], batch: number, engine: number, torch: number): TRow {
  const side = (decode: number) => ({ decodeTokPerS: decode, prefillTokPerS: 10 * decode, peakRssBytes: 1 });
  return { config, batch, engine: side(engine), torch: side(torch), tokenAgreement: 1, otherLoad: { engine: 0, torch: 0 } };
}

function report(rows: TRow[], bound: number): TReport {
  return { rows, bounds: [{ config: "smollm2-135m", weightBytesPerToken: 1, boundTokPerS: bound }], bandwidthGBs: 1, bandwidthThreads: 1, threads: 2, promptTokens: 32, newTokens: 64, runs: 3, isQuick: false };
}

describe("judgeTargets", () => {
  it("marks each target met or not from the rows", () => {
    const [faster, half, scaling] = judgeTargets(report([row("smollm2-135m", 1, 30, 10), row("smollm2-135m", 8, 125, 50)], 50));
    expect(faster?.isMet).toBe(true);
    expect(half?.isMet).toBe(true);
    expect(scaling?.isMet).toBe(true);
    const missed = judgeTargets(report([row("smollm2-135m", 1, 24, 30), row("smollm2-135m", 8, 90, 50)], 50));
    expect(missed.map((t) => t.isMet)).toEqual([false, false, false]);
    expect(missed[0]?.detail).toContain("smollm2-135m batch 1");
  });

  it("does not judge what was not measured", () => {
    const noTorch = { ...row("smollm2-135m", 1, 30, 10), torch: null };
    expect(judgeTargets(report([noTorch], 50))[0]?.isMet).toBeNull();
  });
});

describe("writeGenerationSection", () => {
  it("replaces only the generated block and keeps hand-written notes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-doc-"));
    const file = path.join(dir, "benchmarks.md");
    let text: string;
    try {
      writeGenerationSection("first table", file);
      fs.appendFileSync(file, "\n### Notes\nhand-written\n");
      writeGenerationSection("second table", file);
      text = fs.readFileSync(file, "utf8");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(text).toContain("second table");
    expect(text).not.toContain("first table");
    expect(text).toContain("hand-written");
    expect(text.match(/## Generation/g)).toHaveLength(1);
  });
});
