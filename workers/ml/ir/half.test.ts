// float16 and bfloat16 bit conversions against known bit patterns, including rounding ties.
import { describe, expect, it } from "vitest";
import { bfloat16BitsToFloat, floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat } from "./half";

describe("float16", () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [65520, 0x7c00], // rounds up to Inf
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // tie between 0 and the smallest subnormal: to even
    [1.5 * 2 ** -24, 0x0002], // tie between 1 and 2 subnormal units: to even
    [2 ** -14, 0x0400], // smallest normal
    [1 + 2 ** -11, 0x3c00], // tie: to even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // tie: to even (up)
    [-0, 0x8000],
  ])("%d -> 0x%s", (x, bits) => {
    expect(floatToHalfBits(x)).toBe(bits);
  });

  it("keeps NaN a NaN and round-trips every finite pattern", () => {
    expect(Number.isNaN(halfBitsToFloat(floatToHalfBits(NaN)))).toBe(true);
    const bad: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const isNaN = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      if (!isNaN && floatToHalfBits(halfBitsToFloat(h)) !== h) bad.push(h);
    }
    expect(bad).toEqual([]);
  });
});

describe("bfloat16", () => {
  it.each([
    [1, 0x3f80],
    [-2, 0xc000],
    [1 + 2 ** -8, 0x3f80], // tie: to even (down)
    [1 + 3 * 2 ** -8, 0x3f82], // tie: to even (up)
    [Infinity, 0x7f80],
    [3.4e38, 0x7f80], // above the largest bfloat16: rounds to Inf
  ])("%d -> 0x%s", (x, bits) => {
    expect(floatToBfloat16Bits(x)).toBe(bits);
  });

  it("decodes and keeps NaN", () => {
    expect(bfloat16BitsToFloat(0x3f80)).toBe(1);
    expect(bfloat16BitsToFloat(0xc0a0)).toBe(-5);
    expect(Number.isNaN(bfloat16BitsToFloat(floatToBfloat16Bits(NaN)))).toBe(true);
  });
});
