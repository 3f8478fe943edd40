// Every gradient rule by ONNX op type; the registry attaches them to the specs. Ops absent here have nothing
// to differentiate (integer or bool results, shapes, masks) or no rule yet; autodiff names them if reached.
import { addGrad } from "./add.grad";
import { castGrad } from "./cast.grad";
import { concatGrad } from "./concat.grad";
import { cumSumGrad } from "./cum-sum.grad";
import { divGrad } from "./div.grad";
import { dropoutGrad } from "./dropout.grad";
import { expGrad } from "./exp.grad";
import { expandGrad } from "./expand.grad";
import { gatherElementsGrad } from "./gather-elements.grad";
import { gatherGrad } from "./gather.grad";
import { gemmGrad } from "./gemm.grad";
import { identityGrad } from "./identity.grad";
import { logSoftmaxGrad } from "./log-softmax.grad";
import { logGrad } from "./log.grad";
import { matMulGrad } from "./matmul.grad";
import { mulGrad } from "./mul.grad";
import { negGrad } from "./neg.grad";
import type { GradRule } from "./op";
import { powGrad } from "./pow.grad";
import { reciprocalGrad } from "./reciprocal.grad";
import { reduceMaxGrad } from "./reduce-max.grad";
import { reduceMeanGrad } from "./reduce-mean.grad";
import { reduceSumGrad } from "./reduce-sum.grad";
import { reshapeGrad } from "./reshape.grad";
import { scatterElementsGrad } from "./scatter-elements.grad";
import { sigmoidGrad } from "./sigmoid.grad";
import { sliceGrad } from "./slice.grad";
import { softmaxGrad } from "./softmax.grad";
import { splitGrad } from "./split.grad";
import { sqrtGrad } from "./sqrt.grad";
import { squeezeGrad } from "./squeeze.grad";
import { subGrad } from "./sub.grad";
import { tanhGrad } from "./tanh.grad";
import { transposeGrad } from "./transpose.grad";
import { triluGrad } from "./trilu.grad";
import { unsqueezeGrad } from "./unsqueeze.grad";
import { extremeGrad } from "./variadic.grad";
import { whereGrad } from "./where.grad";

export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  Add: addGrad,
  Sub: subGrad,
  Mul: mulGrad,
  Div: divGrad,
  Neg: negGrad,
  Pow: powGrad,
  Sqrt: sqrtGrad,
  Reciprocal: reciprocalGrad,
  Exp: expGrad,
  Log: logGrad,
  Tanh: tanhGrad,
  Sigmoid: sigmoidGrad,
  Identity: identityGrad,
  Max: extremeGrad,
  Min: extremeGrad,
  Where: whereGrad,
  Cast: castGrad,
  MatMul: matMulGrad,
  Gemm: gemmGrad,
  Softmax: softmaxGrad,
  LogSoftmax: logSoftmaxGrad,
  ReduceSum: reduceSumGrad,
  ReduceMean: reduceMeanGrad,
  ReduceMax: reduceMaxGrad,
  CumSum: cumSumGrad,
  Gather: gatherGrad,
  GatherElements: gatherElementsGrad,
  ScatterElements: scatterElementsGrad,
  Trilu: triluGrad,
  Reshape: reshapeGrad,
  Transpose: transposeGrad,
  Concat: concatGrad,
  Slice: sliceGrad,
  Split: splitGrad,
  Unsqueeze: unsqueezeGrad,
  Squeeze: squeezeGrad,
  Expand: expandGrad,
  Dropout: dropoutGrad,
};
