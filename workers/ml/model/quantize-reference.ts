// The float32 model a quantized model stands for: every weight MatMulNBits reads replaced by the quantizer's
// dequantization (quantize.ts), so the plain float32 graph is the reference of the quantized graph. Tests and
// the benchmark's checks use it; generation does not.
import { tensor, type Tensor } from "../ir";
import type { TModelConfig } from "./config";
import { dequantizeMatrix, quantizeMatrix, type TQuantizeSource } from "./quantize";
import type { TModelWeights } from "./weights";

/** The linear layers `fusedLinear` reads (MatMulNBits when quantized). */
export const QUANTIZED_LINEAR = /\.(q|k|v|o|gate|up|down)_proj\.weight$/;

function roundTrip(t: Tensor<"float32">, source: TQuantizeSource): Tensor<"float32"> {
  const [n, k] = t.shape as [number, number];
  return tensor(
    "float32",
    [n, k],
    dequantizeMatrix(quantizeMatrix(t.data, n, k, source.scheme.bits, source.scheme.blockSize)),
  );
}

/**
 * Config and weights of the float32 model equal to `source`'s quantized one. Blocks run along each row, so a
 * fused (row-stacked) matrix quantizes as its parts do. A tied LM head that is quantized becomes an untied
 * `lm_head.weight` (the embedding lookup keeps the float32 rows, as the quantized graph does).
 */
export function dequantizedModel(
  config: TModelConfig,
  weights: TModelWeights,
  source: TQuantizeSource,
): { config: TModelConfig; weights: TModelWeights } {
  const out = new Map<string, Tensor<"float32">>();
  for (const [name, t] of weights) out.set(name, QUANTIZED_LINEAR.test(name) ? roundTrip(t, source) : t);
  if (!source.lmHead) return { config, weights: out };
  const head = config.tieWordEmbeddings ? weights.get("model.embed_tokens.weight") : weights.get("lm_head.weight");
  if (!head) throw new Error("model weights have no LM head");
  out.set("lm_head.weight", roundTrip(head, source));
  return { config: { ...config, tieWordEmbeddings: false }, weights: out };
}
