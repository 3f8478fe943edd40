// Symbolic dimension arithmetic, parsing and evaluation.
import { describe, expect, it } from "vitest";
import { dimAdd, dimDivExact, dimEq, dimMul, dimSub, evalDim, isUnknownDim, sym } from "./dim";
import { toDim } from "./dim-parse";

describe("symbolic dims", () => {
  it("keeps a canonical form, so equal expressions compare equal", () => {
    const d = dimAdd(sym("seq"), sym("past"));
    expect(String(d)).toBe("past+seq");
    expect(dimEq(d, toDim("seq + past"))).toBe(true);
    expect(dimEq(d, sym("seq"))).toBe(false);
  });

  it("folds to numbers and cancels terms", () => {
    expect(dimAdd(2, 3)).toBe(5);
    expect(dimSub(dimAdd(sym("past"), sym("seq")), sym("past"))).toEqual(sym("seq"));
    expect(dimSub(sym("seq"), sym("seq"))).toBe(0);
    expect(String(dimSub(sym("seq"), 1))).toBe("seq-1");
    expect(String(dimMul(dimMul(sym("seq"), sym("batch")), 64))).toBe("64*batch*seq");
  });

  it("divides exactly or says it cannot", () => {
    const total = dimMul(dimMul(sym("batch"), sym("seq")), 64);
    expect(dimDivExact(total, dimMul(dimMul(sym("batch"), sym("seq")), 4))).toBe(16);
    expect(String(dimDivExact(total, 64))).toBe("batch*seq");
    expect(dimDivExact(total, 7)).toBeUndefined();
    expect(dimDivExact(sym("seq"), sym("past"))).toBeUndefined();
    expect(dimDivExact(dimAdd(sym("a"), sym("b")), dimAdd(sym("a"), sym("b")))).toBe(1);
    expect(dimDivExact(12, 4)).toBe(3);
  });

  it("parses and evaluates expressions", () => {
    const d = toDim("2*seq-1");
    expect(String(d)).toBe("2*seq-1");
    expect(evalDim(d, { seq: 5 })).toBe(9);
    expect(evalDim(toDim("batch*seq+past"), { batch: 2, seq: 3, past: 4 })).toBe(10);
    expect(evalDim(sym("seq"), {})).toBeUndefined();
    expect(toDim("7")).toBe(7);
  });

  it("rejects malformed dims", () => {
    expect(() => toDim("seq+")).toThrow(/invalid dimension/);
    expect(() => toDim("a/b")).toThrow(/invalid dimension/);
    expect(() => toDim(-1)).toThrow(/invalid dimension/);
    expect(() => sym("1abc")).toThrow(/invalid dimension name/);
  });

  it("marks unknown dims", () => {
    expect(isUnknownDim(sym("?3"))).toBe(true);
    expect(isUnknownDim(sym("seq"))).toBe(false);
    expect(isUnknownDim(4)).toBe(false);
  });
});
