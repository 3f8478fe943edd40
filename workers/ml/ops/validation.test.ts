// Builders reject what the spec (or this implementation) does not allow: attributes, inputs, types, shapes.
import { describe, expect, it } from "vitest";
import { fromNumbers, GraphBuilder, type Value } from "../ir";
import * as op from "./index";

function setup() {
  const b = new GraphBuilder();
  return { b, x: b.input("x", "float32", [2, 3]), ids: b.input("ids", "int64", [2]) };
}

describe("attribute validation", () => {
  it("rejects unknown attributes by name", () => {
    const { b, x } = setup();
    expect(() => op.applyOpByName(b, "Softmax", [x], { foo: 1 })).toThrow('Softmax: attribute "foo" is not supported');
    expect(() => op.applyOpByName(b, "Cast", [x], { to: "float16", saturate: 1 })).toThrow(
      'Cast: attribute "saturate" is not supported',
    );
  });

  it("rejects unsupported values and wrong kinds", () => {
    const { b, x } = setup();
    expect(() => op.gemm(b, x, x, null, { transA: 2 })).toThrow(
      /Gemm: attribute "transA" = 2 is not supported \(supported: 0, 1\)/,
    );
    expect(() => op.reduceSum(b, x, [1], { keepdims: 3 })).toThrow(
      /ReduceSum: attribute "keepdims" = 3 is not supported/,
    );
    expect(() => op.applyOpByName(b, "Softmax", [x], { axis: 1.5 })).toThrow(
      /Softmax: attribute "axis" must be an integer/,
    );
    expect(() => op.applyOpByName(b, "Cast", [x], { to: "complex64" })).toThrow(
      /Cast: attribute "to" must be a data type name/,
    );
    expect(() => op.applyOpByName(b, "Transpose", [x], { perm: [0, "a"] })).toThrow(/must be a list of integers/);
  });

  it("requires required attributes", () => {
    const { b, x } = setup();
    expect(() => op.applyOpByName(b, "Concat", [x, x])).toThrow('Concat: attribute "axis" is required');
    expect(() => op.applyOpByName(b, "Cast", [x])).toThrow('Cast: attribute "to" is required');
  });

  it("checks attribute values against shapes", () => {
    const { b, x } = setup();
    expect(() => op.softmax(b, x, { axis: 2 })).toThrow("Softmax: axis 2 is out of range for rank 2");
    expect(() => op.transpose(b, x, { perm: [0, 0] })).toThrow(/perm \[0, 0\] is not a permutation/);
    expect(() => op.split(b, x, [1, 1], { axis: 1 })).toThrow(/do not add up to 3/);
    expect(() => op.split(b, x, [1, 2], { axis: 1, num_outputs: 2 })).toThrow(
      /exactly one of the split input and the num_outputs/,
    );
    expect(() => op.constantOfShape(b, [2], { value: fromNumbers("float32", [2], [1, 2]) })).toThrow(
      /value must hold one element/,
    );
  });
});

describe("input validation", () => {
  it("counts inputs", () => {
    const { b, x } = setup();
    expect(() => op.applyOpByName(b, "Add", [x])).toThrow("Add: expects 2 inputs, got 1");
    expect(() => op.applyOpByName(b, "Max", [])).toThrow("Max: expects at least 1 inputs, got 0");
    expect(() => op.applyOpByName(b, "Slice", [x, null, null])).toThrow(/Slice: input 1 \(starts\) is required/);
    expect(() => op.applyOpByName(b, "Nope", [x])).toThrow(/op "Nope" is not supported/);
  });

  it("refuses Slice index inputs of mixed types", () => {
    const { b, x } = setup();
    const i32 = (v: number) => b.constant(fromNumbers("int32", [1], [v]));
    const i64 = (v: number) => b.constant(fromNumbers("int64", [1], [v]));
    expect(() => op.applyOpByName(b, "Slice", [x, i32(0), i32(1), i64(0)])).toThrow(
      /must share one index type, got int32 and int64/,
    );
    expect(() => op.applyOpByName(b, "Slice", [x, i32(0), i32(1), i32(0)])).not.toThrow();
  });

  it("checks dtypes", () => {
    const { b, x, ids } = setup();
    expect(() => op.sqrt(b, ids)).toThrow(/Sqrt: X has type int64; expected one of float32/);
    expect(() => op.add(b, x, ids)).toThrow(/Add: inputs must share one type/);
    expect(() => op.gather(b, x, x)).toThrow(/Gather: indices has type float32/);
    expect(() => op.where(b, x, x, x)).toThrow(/Where: condition has type float32/);
    expect(() => op.not(b, x)).toThrow(/Not: X has type float32/);
  });

  it("checks shapes", () => {
    const { b, x } = setup();
    const y = b.input("y", "float32", [4, 5]);
    expect(() => op.matMul(b, x, y)).toThrow(/MatMul: inner dimensions of \[2, 3\] @ \[4, 5\]: 3 does not match 4/);
    expect(() => op.add(b, x, y)).toThrow(/Add: cannot broadcast shapes \[2, 3\] and \[4, 5\]/);
    expect(() => op.reshape(b, x, [4, -1])).toThrow(/Reshape: cannot reshape \[2, 3\] to \[4, -1\]/);
    expect(() => op.reshape(b, x, [5])).toThrow(/cannot reshape \[2, 3\] \(6 elements\) to \[5\] \(5\)/);
    expect(() => op.reshape(b, x, [-1, -1])).toThrow(/more than one -1/);
    expect(() => op.concat(b, [x, y], { axis: 0 })).toThrow(/Concat: dim 1 of "y": 3 does not match 5/);
    expect(() => op.squeeze(b, x, [0])).toThrow(/axis 0 of \[2, 3\] is not 1/);
    expect(() => op.trilu(b, b.input("v", "float32", [3]))).toThrow(/Trilu: input must have rank >= 2/);
  });

  it("refuses to broadcast two different symbols", () => {
    const b = new GraphBuilder();
    const p = b.input("p", "float32", ["batch", "seq"]);
    const q = b.input("q", "float32", ["batch", "past"]);
    expect(() => op.add(b, p, q)).toThrow(/cannot broadcast seq with past/);
  });

  it("needs build-time axes where the output rank depends on them", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2, 3]);
    const axes: Value = b.input("axes", "int64", [1]);
    expect(() => op.unsqueeze(b, x, axes)).toThrow("Unsqueeze: axes must be known at build time");
    expect(() => op.reduceSum(b, x, axes, { keepdims: 0 })).toThrow(/axes must be known at build time when keepdims=0/);
    expect(op.reduceSum(b, x, axes).type.shape.map(String)).toEqual(["?1", "?2"]);
  });
});
