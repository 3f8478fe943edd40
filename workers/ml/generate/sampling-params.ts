// Sampling parameters: the type, the defaults and their validation. Not the processors themselves.

/** Hugging Face names in brackets; each field's "off" value makes its processor a no-op, as in HF's generate. */
export type TSamplingParams = {
  /** [temperature] > 0 divides the logits; 0 means greedy (HF `do_sample=False`). Off: 1. */
  readonly temperature: number;
  /** [top_k] keep the k largest logits (ties with the k-th kept). Off: 0. */
  readonly topK: number;
  /** [top_p] nucleus sampling by HF's rule. Off: 1. */
  readonly topP: number;
  /** [min_p] drop tokens with p < min_p * p_max. Off: 0. */
  readonly minP: number;
  /** [repetition_penalty] for tokens already in the sequence (prompt and generated). Off: 1. */
  readonly repetitionPenalty: number;
};

/**
 * Plain sampling from the model's distribution. Unlike HF's `generate`, whose GenerationConfig defaults
 * `top_k` to 50, top-k is off unless asked for (the OpenAI and vLLM convention).
 */
export const DEFAULT_SAMPLING_PARAMS: TSamplingParams = {
  temperature: 1,
  topK: 0,
  topP: 1,
  minP: 0,
  repetitionPenalty: 1,
};

const isNumber = (x: unknown): x is number => typeof x === "number" && !Number.isNaN(x);

/** Throws a RangeError naming the first invalid field (with its HF name) and the value it got. */
export function assertSamplingParams(p: TSamplingParams): void {
  const fail = (field: string, rule: string, value: unknown): never => {
    throw new RangeError(`sampling: ${field} must be ${rule}, got ${String(value)}`);
  };
  if (!isNumber(p.temperature) || !(p.temperature >= 0) || p.temperature === Infinity) {
    fail("temperature", "a finite number >= 0 (0 = greedy)", p.temperature);
  }
  if (!Number.isSafeInteger(p.topK) || p.topK < 0) fail("top_k", "an integer >= 0 (0 = off)", p.topK);
  if (!isNumber(p.topP) || !(p.topP > 0 && p.topP <= 1)) fail("top_p", "in (0, 1] (1 = off)", p.topP);
  if (!isNumber(p.minP) || !(p.minP >= 0 && p.minP < 1)) fail("min_p", "in [0, 1) (0 = off)", p.minP);
  if (!isNumber(p.repetitionPenalty) || !(p.repetitionPenalty > 0) || p.repetitionPenalty === Infinity) {
    fail("repetition_penalty", "a finite number > 0 (1 = off)", p.repetitionPenalty);
  }
}

/** Fills defaults for missing fields and validates the result. */
export function parseSamplingParams(input: Partial<TSamplingParams> = {}): TSamplingParams {
  const params: TSamplingParams = {
    temperature: input.temperature ?? DEFAULT_SAMPLING_PARAMS.temperature,
    topK: input.topK ?? DEFAULT_SAMPLING_PARAMS.topK,
    topP: input.topP ?? DEFAULT_SAMPLING_PARAMS.topP,
    minP: input.minP ?? DEFAULT_SAMPLING_PARAMS.minP,
    repetitionPenalty: input.repetitionPenalty ?? DEFAULT_SAMPLING_PARAMS.repetitionPenalty,
  };
  assertSamplingParams(params);
  return params;
}
