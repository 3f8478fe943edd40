// The benchmark's arithmetic and bookkeeping (no timing: nothing here measures speed).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { measureReadBandwidth } from "./bandwidth";
import { BENCH_CONFIGS, benchModelConfig, parameterCount, weightBytesPerToken } from "./bench-configs";
import { writeGenerationSection, writeTrainingSection } from "./benchmarks-doc";
import { median } from "./child-json";
import { judgeTargets, type TReport, type TRow } from "./report";
import type { TTrainRun } from "./train-result";
import { judgeTrainTargets, worstLossAgreement, type TTrainReport, type TTrainRow } from "./train-report";
import { microBatchItems, rowsOf, tokensPerStep, WORKLOADS } from "./train-workloads";

describe("bench configs", () => {
  it("are the sizes the issue asks for", () => {
    expect(parameterCount(benchModelConfig("small-5m"))).toBe(4_999_424);
    // SmolLM2-135M's published parameter count.
    expect(parameterCount(benchModelConfig("smollm2-135m"))).toBe(134_515_008);
    expect(BENCH_CONFIGS["smollm2-135m"]).toMatchObject({
      num_hidden_layers: 30,
      hidden_size: 576,
      num_attention_heads: 9,
      num_key_value_heads: 3,
      intermediate_size: 1536,
      vocab_size: 49152,
      tie_word_embeddings: true,
      rope_theta: 100000,
      max_position_embeddings: 8192,
    });
  });

  it("counts the tied embedding once (as the LM head) plus one looked-up row per decoded token", () => {
    const c = benchModelConfig("smollm2-135m");
    expect(weightBytesPerToken(c)).toBe(4 * (134_515_008 + 576));
    const untied = { ...c, tieWordEmbeddings: false };
    // An untied model has lm_head.weight too: read in full; its embedding only one row.
    expect(weightBytesPerToken(untied)).toBe(4 * (134_515_008 + 576));
  });

  it("counts quantized linear layers and LM head at their packed size plus a float32 scale per 32 weights", () => {
    const c = benchModelConfig("smollm2-135m");
    const H = 576;
    const I = 1536;
    const kv = 3 * 64;
    const linear = 30 * (H * H + 2 * H * kv + H * H + 3 * H * I); // q, k, v, o, gate, up, down
    const head = 49152 * H;
    const rest = 134_515_008 - linear - head; // norms
    expect(weightBytesPerToken(c, "q8")).toBe(4 * (rest + H) + (1 + 1 / 8) * (linear + head));
    expect(weightBytesPerToken(c, "q4")).toBe(4 * (rest + H) + (1 / 2 + 1 / 8) * (linear + head));
  });
});

describe("read bandwidth", () => {
  it("reads every byte of both buffers and reports bytes read per second", async () => {
    const b = await measureReadBandwidth(2, 8 * 2 ** 20, 2);
    expect(b.bufferBytes).toBe(8 * 2 ** 20);
    expect(b.bytesPerSecond).toBeGreaterThan(0);
    expect([1, 2]).toContain(b.threads);
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
  return {
    config,
    batch,
    engine: side(engine),
    torch: side(torch),
    tokenAgreement: 1,
    otherLoad: { engine: 0, torch: 0 },
  };
}

function report(rows: TRow[], bound: number): TReport {
  return {
    rows,
    bounds: [{ config: "smollm2-135m", weightBytesPerToken: 1, boundTokPerS: bound }],
    bandwidthGBs: 1,
    bandwidthThreads: 1,
    threads: 2,
    promptTokens: 32,
    newTokens: 64,
    runs: 3,
    isQuick: false,
  };
}

describe("judgeTargets", () => {
  it("marks each target met or not from the rows", () => {
    const [faster, half, scaling] = judgeTargets(
      report([row("smollm2-135m", 1, 30, 10), row("smollm2-135m", 8, 125, 50)], 50),
    );
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

describe("writeTrainingSection", () => {
  it("adds its own block after the generation section and rewrites only that block", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-doc-"));
    const file = path.join(dir, "benchmarks.md");
    let text: string;
    try {
      writeGenerationSection("generation table", file);
      fs.appendFileSync(file, "\n### Notes on the generation run\nhand-written\n");
      writeTrainingSection("first training table", file);
      fs.appendFileSync(file, "\n### Notes on the training run\nalso hand-written\n");
      writeTrainingSection("second training table", file);
      text = fs.readFileSync(file, "utf8");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(text).toContain("generation table");
    expect(text).toContain("second training table");
    expect(text).not.toContain("first training table");
    expect(text).toContain("also hand-written");
    expect(text.indexOf("## Generation")).toBeLessThan(text.indexOf("## Training"));
    expect(text.indexOf("hand-written")).toBeLessThan(text.indexOf("## Training"));
    expect(text.match(/## Training/g)).toHaveLength(1);
  });
});

describe("training workloads", () => {
  it("are the shapes the issue asks for", () => {
    expect(tokensPerStep(WORKLOADS["lora-dpo"])).toBe(16 * 256);
    expect(tokensPerStep(WORKLOADS["reward-model"])).toBe(16 * 256);
    expect(tokensPerStep(WORKLOADS["full-pretrain"])).toBe(8 * 256);
    expect(rowsOf(WORKLOADS["lora-dpo"])).toBe(16);
    // Micro-batches split a batch evenly.
    for (const w of Object.values(WORKLOADS))
      for (const c of ["small-5m", "smollm2-135m"] as const) expect(w.items % microBatchItems(c, w)).toBe(0);
  });
});

function trainRun(stepSeconds: number, peakMB: number, loss: number): TTrainRun {
  return {
    stepSeconds,
    stepRuns: [stepSeconds],
    loadSeconds: 1,
    first: { loss, gradNorm: 1, metrics: {} },
    secondLoss: loss,
    peakRssBytes: peakMB * 2 ** 20,
    rss: [],
    cpuSeconds: 1,
    phases: {},
  };
}

function trainRow(
  engine: TTrainRun | null,
  torch: TTrainRun | null,
  engineFailure: TTrainRow["failures"]["engine"] = null,
): TTrainRow {
  return {
    config: "smollm2-135m",
    workload: "lora-dpo",
    tokensPerStep: 4096,
    micro: { count: 2, rows: 8 },
    timedSteps: 3,
    engine,
    torch,
    failures: { engine: engineFailure, torch: null },
    otherLoad: { engine: 0, torch: 0 },
  };
}

const trainReport = (rows: TTrainRow[]): TTrainReport => ({
  rows,
  threads: 2,
  isQuick: false,
  memoryCapBytes: 2 ** 34,
  revision: "abc1234",
});

describe("judgeTrainTargets", () => {
  it("meets speed at parity and memory up to 1.5x PyTorch's", () => {
    const [speed, memory] = judgeTrainTargets(trainReport([trainRow(trainRun(10, 1500, 1), trainRun(10, 1000, 1))]));
    expect(speed?.isMet).toBe(true);
    expect(memory?.isMet).toBe(true);
    const missed = judgeTrainTargets(trainReport([trainRow(trainRun(10.5, 1501, 1), trainRun(10, 1000, 1))]));
    expect(missed.map((t) => t.isMet)).toEqual([false, false]);
  });

  it("counts an engine stopped by the memory cap as missing both, and does not judge without PyTorch", () => {
    const stopped = judgeTrainTargets(
      trainReport([trainRow(null, trainRun(10, 1000, 1), { peakBytes: 2 ** 34, reason: "cap", lastLog: "step 1/3" })]),
    );
    expect(stopped.map((t) => t.isMet)).toEqual([false, false]);
    expect(stopped[0]?.detail).toContain("step 1/3");
    expect(judgeTrainTargets(trainReport([trainRow(trainRun(1, 1, 1), null)]))[0]?.isMet).toBeNull();
  });

  it("reports the largest first-step loss difference", () => {
    expect(
      worstLossAgreement(
        trainReport([
          trainRow(trainRun(1, 1, 1.0001), trainRun(1, 1, 1)),
          trainRow(trainRun(1, 1, 2), trainRun(1, 1, 2)),
        ]),
      ),
    ).toBeCloseTo(1e-4, 8);
  });
});
