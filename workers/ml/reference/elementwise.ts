// Reference elementwise ops (unary, binary, variadic, Where) with numpy broadcasting in float64; tests only.
import { isIntDType } from "../ir";
import { mapBroadcast } from "./broadcast";
import { input, outDType, wrapInt, type RefOp } from "./ref-op";

function unary(f: (x: number) => number): RefOp {
  return (ins, node) => [mapBroadcast([input(ins, 0, node)], outDType(node), ([x]) => f(x ?? NaN))];
}

function nary(f: (xs: number[]) => number, intF?: (xs: number[]) => number): RefOp {
  return (ins, node) => {
    const dtype = outDType(node);
    const args = ins.map((_, i) => input(ins, i, node));
    const isInt = isIntDType(args[0]?.dtype ?? "float32");
    return [mapBroadcast(args, dtype, isInt ? (xs) => wrapInt(dtype, (intF ?? f)(xs)) : f)];
  };
}

const x0 = (xs: number[]) => xs[0] ?? NaN;
const x1 = (xs: number[]) => xs[1] ?? NaN;
const bool = (b: boolean) => (b ? 1 : 0);

/** NaN-propagating max/min, like numpy.maximum. */
function extreme(pick: (a: number, b: number) => number): (xs: number[]) => number {
  return (xs) => xs.reduce((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : pick(a, b)));
}

export const ELEMENTWISE: Readonly<Record<string, RefOp>> = {
  Neg: unary((x) => -x),
  Sqrt: unary(Math.sqrt),
  Reciprocal: unary((x) => 1 / x),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Tanh: unary(Math.tanh),
  // NOTE: split by sign so exp never overflows: 1/(1+e^-x) for x >= 0, e^x/(1+e^x) below.
  Sigmoid: unary((x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))),
  Not: unary((x) => bool(x === 0)),
  Identity: unary((x) => x),
  Add: nary((xs) => x0(xs) + x1(xs)),
  Sub: nary((xs) => x0(xs) - x1(xs)),
  Mul: nary((xs) => x0(xs) * x1(xs)),
  Div: nary(
    (xs) => x0(xs) / x1(xs),
    (xs) => Math.trunc(x0(xs) / x1(xs)),
  ),
  Pow: nary((xs) => Math.pow(x0(xs), x1(xs))),
  Equal: nary((xs) => bool(x0(xs) === x1(xs))),
  Less: nary((xs) => bool(x0(xs) < x1(xs))),
  Greater: nary((xs) => bool(x0(xs) > x1(xs))),
  And: nary((xs) => bool(x0(xs) !== 0 && x1(xs) !== 0)),
  Max: nary(extreme(Math.max)),
  Min: nary(extreme(Math.min)),
  Where: nary((xs) => (x0(xs) !== 0 ? x1(xs) : (xs[2] ?? NaN))),
};
