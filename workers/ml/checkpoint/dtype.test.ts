// Tests of F16/BF16 <-> F32 against hand-computed bit patterns: subnormals, Inf, NaN, ties to even.
import { describe, expect, it } from "vitest";
import { bf16ToF32, f16ToF32, f32BitsToBf16, f32BitsToF16, f32ToBf16, f32ToF16 } from "./dtype";

const bitsOf = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0]!;
const floatOf = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0]!;
const widen = (f: typeof f16ToF32, h: number[]): number[] => {
  const out = new Float32Array(h.length);
  f(new Uint16Array(h), out);
  return [...out];
};

describe("F16 -> F32", () => {
  it.each<[number, number]>([
    [0x0000, 0],
    [0x3c00, 1],
    [0xc000, -2],
    [0x3c01, 1.0009765625],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x8001, -(2 ** -24)],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])("0x%s", (h, expected) => {
    expect(widen(f16ToF32, [h])).toEqual([expected]);
  });
  it("keeps -0 and NaN (quiet and signalling, either sign)", () => {
    const [negZero, ...nans] = widen(f16ToF32, [0x8000, 0x7e00, 0x7c01, 0xfe00]);
    expect(Object.is(negZero, -0)).toBe(true);
    expect(nans.map(Number.isNaN)).toEqual([true, true, true]);
  });
});

describe("BF16 -> F32", () => {
  it("is the top half of the float32 bits", () => {
    expect(widen(bf16ToF32, [0x3f80, 0x4049, 0xc000, 0x7f7f, 0x0001, 0x7f80, 0xff80])).toEqual([
      1,
      3.140625,
      -2,
      3.3895313892515355e38,
      9.183549615799121e-41,
      Infinity,
      -Infinity,
    ]);
    const [negZero, nan] = widen(bf16ToF32, [0x8000, 0x7fc0]);
    expect(Object.is(negZero, -0)).toBe(true);
    expect(nan).toBeNaN();
  });
});

describe("F32 -> F16, round to nearest even", () => {
  it.each<[string, number, number]>([
    ["one", 1, 0x3c00],
    ["0.1 (rounds up)", 0.1, 0x2e66],
    ["tie below an even mantissa stays", 1 + 2 ** -11, 0x3c00],
    ["tie above an odd mantissa rounds up", 1 + 3 * 2 ** -11, 0x3c02],
    ["just past a tie rounds up", 1 + 2 ** -11 + 2 ** -20, 0x3c01],
    ["largest finite", 65504, 0x7bff],
    ["65519 rounds down to 65504", 65519, 0x7bff],
    ["65520 overflows to Inf", 65520, 0x7c00],
    ["-1e6 overflows to -Inf", -1e6, 0xfc00],
    ["smallest subnormal", 2 ** -24, 0x0001],
    ["half the smallest subnormal ties to 0", 2 ** -25, 0x0000],
    ["just over half the smallest subnormal", 2 ** -25 * (1 + 2 ** -10), 0x0001],
    ["1.5 subnormal ulps ties to 2", 3 * 2 ** -25, 0x0002],
    ["largest subnormal + half ulp rounds into the smallest normal", 1023.5 * 2 ** -24, 0x0400],
    ["underflow", 1e-10, 0x0000],
    ["-underflow keeps the sign", -1e-10, 0x8000],
    ["float32 subnormal", 1e-40, 0x0000],
  ])("%s", (_label, x, expected) => {
    expect(f32BitsToF16(bitsOf(x))).toBe(expected);
  });
  it("maps Inf to Inf and NaN to a quiet NaN, signalling payloads included", () => {
    expect([Infinity, -Infinity].map((x) => f32BitsToF16(bitsOf(x)))).toEqual([0x7c00, 0xfc00]);
    expect([0x7fc00000, 0x7f800001, 0xffc00000].map(f32BitsToF16)).toEqual([0x7e00, 0x7e00, 0xfe00]);
  });
});

describe("F32 -> BF16, round to nearest even", () => {
  it.each<[string, number, number]>([
    ["one", 0x3f800000, 0x3f80],
    ["0.1", bitsOf(0.1), 0x3dcd],
    ["tie to even (down)", 0x3f808000, 0x3f80],
    ["tie to even (up)", 0x3f818000, 0x3f82],
    ["past a tie", 0x3f808001, 0x3f81],
    ["below a tie", 0x3f807fff, 0x3f80],
    ["negative tie", 0xbf818000, 0xbf82],
    ["largest float32 overflows", 0x7f7fffff, 0x7f80],
    ["just below the overflow threshold", 0x7f7f7fff, 0x7f7f],
    ["subnormal tie to even", 0x00018000, 0x0002],
    ["Inf", 0x7f800000, 0x7f80],
    ["-Inf", 0xff800000, 0xff80],
    ["quiet NaN", 0x7fc00000, 0x7fc0],
    ["signalling NaN does not become Inf", 0x7f800001, 0x7fc0],
    ["negative NaN", 0xffc00001, 0xffc0],
  ])("%s", (_label, bits, expected) => {
    expect(f32BitsToBf16(bits)).toBe(expected);
  });
});

describe("array conversions", () => {
  it("narrow then widen every F16 exactly (all 63488 finite halves and both infinities)", () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const wide = new Float32Array(65536);
    f16ToF32(all, wide);
    const back = new Uint16Array(65536);
    f32ToF16(wide, back);
    const finiteOrInf = [...all].filter((h) => (h & 0x7c00) !== 0x7c00 || (h & 0x3ff) === 0);
    expect(finiteOrInf.filter((h) => back[h] !== h)).toEqual([]);
    expect(finiteOrInf).toHaveLength(63490);
  });
  it("narrows to BF16 element-wise", () => {
    const out = new Uint16Array(3);
    f32ToBf16(new Float32Array([1, floatOf(0x3f818000), -0]), out);
    expect([...out]).toEqual([0x3f80, 0x3f82, 0x8000]);
  });
});
