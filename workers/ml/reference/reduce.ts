// Reference ReduceMean/ReduceSum/ReduceMax (opset 18 axes input, keepdims, noop_with_empty_axes); tests only.
import { at, isIntDType, numel } from "../ir";
import { nodeAttrs, type ReduceAttrs } from "../ops";
import { ints, normAxis, ravel, strides, unravel } from "./ndarray";
import { input, type RefOp } from "./ref-op";

type Acc = { init: number; step: (acc: number, v: number) => number; finish: (acc: number, count: number) => number };

function reduce(acc: Acc): RefOp {
  return (ins, node) => {
    const x = input(ins, 0, node);
    const attrs = nodeAttrs<ReduceAttrs>(node);
    const given = ins[1] ? ints(ins[1]) : [];
    if (given.length === 0 && attrs.noop_with_empty_axes === 1) return [x];
    const axes = given.length === 0 ? x.shape.map((_, i) => i) : given.map((a) => normAxis(a, x.shape.length));
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const st = strides(kept);
    const sums = new Float64Array(numel(kept)).fill(acc.init);
    for (let f = 0; f < x.data.length; f++) {
      const idx = unravel(f, x.shape).map((v, i) => (axes.includes(i) ? 0 : v));
      const o = ravel(idx, st);
      sums[o] = acc.step(at(sums, o), at(x.data, f));
    }
    const count = numel(x.shape) / numel(kept);
    const isInt = isIntDType(x.dtype);
    const data = sums.map((s) => (isInt ? Math.trunc(acc.finish(s, count)) : acc.finish(s, count)));
    const shape = attrs.keepdims === 1 ? kept : x.shape.filter((_, i) => !axes.includes(i));
    return [{ dtype: x.dtype, shape, data }];
  };
}

export const REDUCE: Readonly<Record<string, RefOp>> = {
  ReduceSum: reduce({ init: 0, step: (a, v) => a + v, finish: (a) => a }),
  ReduceMean: reduce({ init: 0, step: (a, v) => a + v, finish: (a, n) => a / n }),
  // NOTE: NaN propagates through the max (numpy.max); onnxruntime's kernel is checked against it.
  ReduceMax: reduce({
    init: -Infinity,
    step: (a, v) => (Number.isNaN(a) || Number.isNaN(v) ? NaN : Math.max(a, v)),
    finish: (a) => a,
  }),
};
