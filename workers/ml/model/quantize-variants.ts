// The weight types the model tests run every check on (tests only).
import type { TQuantizeOption } from "./quantize";

/** Every weight type: float32, and q8 / q4 at the default accuracy_level 4 (int8 activations: within `rel` of
 *  the dequantized model, ~2-3% seen on the tiny golden models; their greedy tokens are checked against the
 *  model's own full passes) and at 0 (float32 compute: equal to the dequantized model, greedy tokens too). */
export const WEIGHT_VARIANTS = [
  { label: "float32", quantize: "none", rel: 1e-4 },
  { label: "q8", quantize: "q8", rel: 5e-2 },
  { label: "q4", quantize: "q4", rel: 5e-2 },
  { label: "q8 accuracy_level 0", quantize: { mode: "q8", accuracyLevel: 0 }, rel: 1e-4 },
  { label: "q4 accuracy_level 0", quantize: { mode: "q4", accuracyLevel: 0 }, rel: 1e-4 },
] as const satisfies readonly { label: string; quantize: TQuantizeOption; rel: number }[];
