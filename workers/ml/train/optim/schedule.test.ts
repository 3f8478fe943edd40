// Schedules at known steps (HF get_scheduler lambdas), warm-up from steps or ratio, and input checks.
import { describe, expect, it } from "vitest";
import { createSchedule, warmupStepsOf } from "./schedule";

const base = 2e-4;

describe("createSchedule", () => {
  it("cosine with warm-up: 0 at step 0, peak after warm-up, half at mid-decay, 0 at the end", () => {
    const s = createSchedule({ kind: "cosine", baseLr: base, totalSteps: 110, warmupSteps: 10 });
    expect(s.lrAt(0)).toBe(0);
    expect(s.lrAt(5)).toBe(base / 2);
    expect(s.lrAt(10)).toBe(base);
    expect(s.lrAt(60)).toBeCloseTo(base / 2, 18);
    expect(s.lrAt(110)).toBeCloseTo(0, 18);
    expect(s.lrAt(109)).toBeGreaterThan(0);
    for (let k = 11; k <= 110; k++) expect(s.lrAt(k)).toBeLessThan(s.lrAt(k - 1));
  });

  it("cosine with more cycles follows 0.5 * (1 + cos(2 pi cycles progress))", () => {
    const s = createSchedule({ kind: "cosine", baseLr: 1, totalSteps: 100, numCycles: 1 });
    expect(s.lrAt(50)).toBeCloseTo(0, 15);
    expect(s.lrAt(100)).toBeCloseTo(1, 15);
  });

  it("linear decays from the peak to 0 after warm-up", () => {
    const s = createSchedule({ kind: "linear", baseLr: base, totalSteps: 20, warmupSteps: 4 });
    expect(s.lrAt(0)).toBe(0);
    expect(s.lrAt(1)).toBe(base / 4);
    expect(s.lrAt(4)).toBe(base);
    expect(s.lrAt(12)).toBe(base / 2);
    expect(s.lrAt(20)).toBe(0);
  });

  it("constant and constant_with_warmup", () => {
    const c = createSchedule({ kind: "constant", baseLr: base, totalSteps: 5 });
    expect([0, 1, 5].map((k) => c.lrAt(k))).toEqual([base, base, base]);
    const w = createSchedule({ kind: "constant_with_warmup", baseLr: base, totalSteps: 5, warmupSteps: 2 });
    expect([0, 1, 2, 5].map((k) => w.lrAt(k))).toEqual([0, base / 2, base, base]);
    expect(() => createSchedule({ kind: "constant", baseLr: base, totalSteps: 5, warmupSteps: 2 })).toThrow(
      /'constant' takes no warm-up/,
    );
  });

  it("no warm-up starts at the peak", () => {
    const s = createSchedule({ kind: "linear", baseLr: base, totalSteps: 4 });
    expect(s.warmupSteps).toBe(0);
    expect(s.lrAt(0)).toBe(base);
    expect(s.lrAt(2)).toBe(base / 2);
  });

  it("rejects bad inputs with the value in the message", () => {
    const ok = { kind: "cosine", baseLr: base, totalSteps: 10 } as const;
    expect(() => createSchedule({ ...ok, baseLr: -1 })).toThrow(/baseLr must be finite and >= 0, got -1/);
    expect(() => createSchedule({ ...ok, totalSteps: 0 })).toThrow(/totalSteps must be a positive integer, got 0/);
    expect(() => createSchedule({ ...ok, totalSteps: 2.5 })).toThrow(/positive integer, got 2.5/);
    expect(() => createSchedule({ ...ok, warmupSteps: 11 })).toThrow(/11 warm-up steps exceed the 10 total steps/);
    expect(() => createSchedule({ ...ok, numCycles: 0 })).toThrow(/numCycles/);
    const s = createSchedule(ok);
    expect(() => s.lrAt(-1)).toThrow(/step -1 is outside 0..10/);
    expect(() => s.lrAt(11)).toThrow(/step 11 is outside 0..10/);
    expect(() => s.lrAt(1.5)).toThrow(/step 1.5/);
  });
});

describe("warmupStepsOf", () => {
  it("takes explicit steps, or ceil(total * ratio) as HF's get_warmup_steps", () => {
    expect(warmupStepsOf(1000, 7)).toBe(7);
    expect(warmupStepsOf(1000, 0, 0.03)).toBe(30);
    expect(warmupStepsOf(101, 0, 0.1)).toBe(11);
    expect(warmupStepsOf(100, 0, 0.07)).toBe(8); // 100 * 0.07 = 7.000000000000001 in float64; Python gives 8 too
    expect(warmupStepsOf(70, 0, 0.1)).toBe(7);
    expect(warmupStepsOf(50)).toBe(0);
  });

  it("rejects negative, fractional, out-of-range and doubly given warm-ups", () => {
    expect(() => warmupStepsOf(10, -1)).toThrow(/warmupSteps must be a non-negative integer, got -1/);
    expect(() => warmupStepsOf(10, 1.5)).toThrow(/non-negative integer, got 1.5/);
    expect(() => warmupStepsOf(10, 0, 1.5)).toThrow(/warmupRatio must be in \[0, 1\], got 1.5/);
    expect(() => warmupStepsOf(10, 0, NaN)).toThrow(/warmupRatio/);
    expect(() => warmupStepsOf(10, 2, 0.1)).toThrow(/not both/);
  });
});
