// Gemm's gradient (Y = alpha * op(A) @ op(B) + beta * C): each operand's gradient is itself one Gemm with the
// transposes swapped; dC = beta * dY, summed to C's shape by autodiff's un-broadcast.
//   d op(A) = alpha * dY @ op(B)^T  ->  dA = Gemm(dY, B, transB = !transB)       when transA = 0,
//                                      dA = Gemm(B, dY, transA = transB, transB = 1) when transA = 1;
//   d op(B) = alpha * op(A)^T @ dY  ->  dB = Gemm(A, dY, transA = !transA)       when transB = 0,
//                                      dB = Gemm(dY, A, transA = 1, transB = transA) when transB = 1.
import { Gemm, gemm } from "./gemm";
import { attrsOf, gradOf, inputOf, perInput, scalar } from "./grad-util";
import { mul } from "./mul";
import type { GradRule } from "./op";

export const gemmGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const [x, w] = [inputOf(node, 0), inputOf(node, 1)];
  const { alpha, beta, transA, transB } = attrsOf(Gemm, node);
  const dA = () =>
    transA === 0
      ? gemm(b, g, w, null, { alpha, transB: 1 - transB })
      : gemm(b, w, g, null, { alpha, transA: transB, transB: 1 });
  const dB = () =>
    transB === 0
      ? gemm(b, x, g, null, { alpha, transA: 1 - transA })
      : gemm(b, g, x, null, { alpha, transA: 1, transB: transA });
  const dC = () => (beta === 1 ? g : mul(b, g, scalar(b, g, beta)));
  return perInput(needs, [dA, dB, dC]);
};
