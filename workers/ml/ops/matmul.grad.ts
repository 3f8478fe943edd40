// MatMul's gradient: dA = dY @ B^T, dB = A^T @ dY over the last two axes, with numpy's 1-D promotions undone
// (a vector operand's gradient is an outer product or a squeezed matrix product) and broadcast batch axes
// summed by autodiff's un-broadcast.
// NOTE: a 2-D B (a weight) under a batched A gets dB = Gemm(A as [-1, K], dY as [-1, N], transA=1): one
// [K, N] product over all rows, instead of a [..., K, N] batch of products summed afterwards.
import type { GraphBuilder, Value } from "../ir";
import { concat } from "./concat";
import { gemm } from "./gemm";
import { gradOf, inputOf, perInput, shapeOf } from "./grad-util";
import { int64s } from "./int-inputs";
import { matMul } from "./matmul";
import { mul } from "./mul";
import type { GradRule } from "./op";
import { reshape } from "./reshape";
import { squeeze } from "./squeeze";
import { transpose } from "./transpose";
import { unsqueeze } from "./unsqueeze";

/** Swaps the last two axes. */
function mT(b: GraphBuilder, v: Value): Value {
  const r = v.type.shape.length;
  return transpose(b, v, { perm: [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2] });
}

/** [..., n] -> [-1, n]. */
function rows(b: GraphBuilder, v: Value): Value {
  const r = v.type.shape.length;
  if (r === 2) return v;
  const last = v.type.shape[r - 1];
  return reshape(
    b,
    v,
    typeof last === "number"
      ? int64s(b, [-1, last])
      : concat(b, [int64s(b, [-1]), shapeOf(b, v, r - 1, r)], { axis: 0 }),
  );
}

export const matMulGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const [x, w] = [inputOf(node, 0), inputOf(node, 1)];
  const [ra, rb] = [x.type.shape.length, w.type.shape.length];
  const dA = () => {
    if (ra === 1 && rb === 1) return mul(b, g, w); // dY is 0-D
    if (rb === 1) return mul(b, unsqueeze(b, g, [-1]), w); // [..., M, 1] * [K] -> [..., M, K]
    if (ra === 1) return squeeze(b, matMul(b, unsqueeze(b, g, [-2]), mT(b, w)), [-2]); // [..., K]
    if (ra === 2 && rb === 2) return gemm(b, g, w, null, { transB: 1 }); // [M, K]
    return matMul(b, g, mT(b, w)); // [..., M, K]
  };
  const dB = () => {
    if (ra === 1 && rb === 1) return mul(b, g, x);
    if (ra === 1) return mul(b, unsqueeze(b, x, [-1]), unsqueeze(b, g, [-2])); // [K, 1] * [..., 1, N] -> [..., K, N]
    if (rb === 1) return squeeze(b, matMul(b, mT(b, x), unsqueeze(b, g, [-1])), [-1]); // [..., K]
    if (rb === 2) return gemm(b, rows(b, x), rows(b, g), null, { transA: 1 }); // [K, N]
    return matMul(b, mT(b, x), g); // [..., K, N]
  };
  return perInput(needs, [dA, dB]);
};
