// Tensors from numbers: dtype rounding, storage, and the checks on shapes and integer values.
import { describe, expect, it } from "vitest";
import { fromNumbers, getNumber, tensor, toNumbers } from "./tensor";

describe("tensors", () => {
  it("rounds to the dtype and reads back as numbers", () => {
    expect(toNumbers(fromNumbers("float32", [2], [0.1, 1 / 3]))).toEqual([Math.fround(0.1), Math.fround(1 / 3)]);
    expect(fromNumbers("float16", [1], [1.0009765625]).data).toEqual(new Uint16Array([0x3c01]));
    expect(toNumbers(fromNumbers("bfloat16", [1], [1.00390625]))).toEqual([1]); // tie to even
    expect(fromNumbers("int64", [2], [-3, 2 ** 53]).data).toEqual(new BigInt64Array([-3n, 9007199254740992n]));
    expect(toNumbers(fromNumbers("bool", [3], [0, 2, -1]))).toEqual([0, 1, 1]);
    expect(getNumber(fromNumbers("uint8", [1], [255]), 0)).toBe(255);
  });

  it("rejects wrong sizes, shapes and non-integers", () => {
    expect(() => tensor("float32", [2, 2], new Float32Array(3))).toThrow(/has 3 elements, shape \[2, 2\] needs 4/);
    expect(() => tensor("float32", [-1], new Float32Array(0))).toThrow(/invalid tensor shape/);
    expect(() => fromNumbers("int32", [1], [1.5])).toThrow(/not an integer/);
    expect(() => fromNumbers("int64", [1], [2 ** 63])).toThrow(/not an integer in range/);
  });
});
