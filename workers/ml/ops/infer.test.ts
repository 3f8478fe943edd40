// Shape inference with symbolic dims: the decoder's shape arithmetic keeps exact symbolic shapes.
import { describe, expect, it } from "vitest";
import { GraphBuilder, typeToString, type Value } from "../ir";
import * as op from "./index";

const t = (v: Value) => typeToString(v.type);

describe("symbolic shape inference", () => {
  it("follows attention shapes through a KV cache", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", "seq", 64]);
    const past = b.input("past_key_values.0.key", "float32", ["batch", 2, "past", 16]);
    const w = b.input("w", "float32", [64, 32]);
    const k = op.matMul(b, x, w); // [batch, seq, 32]
    const heads = op.transpose(b, op.reshape(b, k, [0, 0, 2, 16]), { perm: [0, 2, 1, 3] });
    expect(t(heads)).toBe("float32[batch, 2, seq, 16]");
    const present = op.concat(b, [past, heads], { axis: 2 });
    expect(t(present)).toBe("float32[batch, 2, past+seq, 16]");
    const scores = op.matMul(b, heads, op.transpose(b, present, { perm: [0, 1, 3, 2] }));
    expect(t(scores)).toBe("float32[batch, 2, seq, past+seq]");
    const merged = op.reshape(b, op.transpose(b, heads, { perm: [0, 2, 1, 3] }), [0, 0, -1]);
    expect(t(merged)).toBe("float32[batch, seq, 32]");
    expect(t(op.reshape(b, x, [-1, 64]))).toBe("float32[batch*seq, 64]");
  });

  it("keeps Shape contents known through Gather, Concat, arithmetic and Slice", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", "seq", 8]);
    const mask = b.input("attention_mask", "int64", ["batch", "past+seq"]);
    const s = op.shape(b, x);
    const batch = op.gather(b, s, op.int64s(b, [0]));
    const total = op.gather(b, op.shape(b, mask), op.int64s(b, [1]));
    const target = op.concat(b, [batch, op.int64s(b, [1]), op.slice(b, s, { starts: [1], ends: [2] }), total], {
      axis: 0,
    });
    expect(target.known?.map(String)).toEqual(["batch", "1", "seq", "past+seq"]);
    const pastLen = op.sub(b, total, op.gather(b, s, op.int64s(b, [1])));
    expect(pastLen.known?.map(String)).toEqual(["past"]);
    const expanded = op.expand(b, op.unsqueeze(b, op.unsqueeze(b, mask, [1]), [1]), target);
    expect(t(expanded)).toBe("int64[batch, 1, seq, past+seq]");
    expect(t(op.constantOfShape(b, target))).toBe("float32[batch, 1, seq, past+seq]");
    expect(t(op.reshape(b, x, op.concat(b, [batch, op.int64s(b, [-1])], { axis: 0 })))).toBe("float32[batch, 8*seq]");
    const seqScalar = op.squeeze(b, op.gather(b, s, op.int64s(b, [1])), [0]);
    expect(t(op.range(b, op.int64Scalar(b, 0), seqScalar, op.int64Scalar(b, 1)))).toBe("int64[seq]");
  });

  it("slices symbolic dims", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", "seq", 8]);
    expect(t(op.slice(b, x, { starts: [-1], ends: [2 ** 31 - 1], axes: [1] }))).toBe("float32[batch, 1, 8]");
    expect(t(op.slice(b, x, { starts: [1], ends: [2 ** 31 - 1], axes: [1] }))).toBe("float32[batch, seq-1, 8]");
    expect(t(op.slice(b, x, { starts: [0], ends: [-1], axes: [1] }))).toBe("float32[batch, seq-1, 8]");
    expect(t(op.slice(b, x, { starts: [0, 2], ends: [3, 6], axes: [1, 2], steps: [2, 2] }))).toBe(
      "float32[batch, ?1, 2]",
    );
  });

  it("splits, reduces and gathers with symbolic dims", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", "seq", 64]);
    expect(op.split(b, x, null, { axis: -1, num_outputs: 2 }).map(t)).toEqual([
      "float32[batch, seq, 32]",
      "float32[batch, seq, 32]",
    ]);
    expect(t(op.reduceMean(b, x, [-1]))).toBe("float32[batch, seq, 1]");
    expect(t(op.reduceSum(b, x, [1], { keepdims: 0 }))).toBe("float32[batch, 64]");
    const ids = b.input("input_ids", "int64", ["batch", "seq"]);
    const table = b.input("embed", "float32", [100, 64]);
    expect(t(op.gather(b, table, ids))).toBe("float32[batch, seq, 64]");
    expect(t(op.cast(b, op.less(b, ids, ids), "float32"))).toBe("float32[batch, seq]");
    expect(t(op.add(b, x, b.input("bias", "float32", [1, 1, 64])))).toBe("float32[batch, seq, 64]");
  });
});
