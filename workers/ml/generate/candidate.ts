// One candidate being generated: its random stream, tokens, log-probs, stop check and streamed text.
// Not batching or model calls (generate.ts).
import { IncrementalDetokenizer } from "../tokenizer/incremental-detokenizer";
import type { TextTokenizer } from "../tokenizer/tokenizer";
import type { TRng } from "./rng";
import { sampleNext } from "./sample";
import type { TSamplingParams } from "./sampling-params";
import { StopChecker, type TFinish, type TFinishReason, type TStopOptions } from "./stop";

export interface TCandidate {
  /** Index of the prompt in `prompts`. */
  readonly prompt: number;
  /** 0 .. n-1 among that prompt's candidates. */
  readonly candidate: number;
  /** Generated ids, the EOS or the token completing a stop string included (as HF returns them). */
  readonly tokenIds: number[];
  /** Decoded generated text (special tokens skipped), cut before a stop string; null without a tokenizer. */
  readonly text: string | null;
  /** log p(token) under the model's unprocessed logits for each generated token (the policy's log-prob). */
  readonly tokenLogprobs: number[];
  readonly sumLogprob: number;
  readonly finishReason: TFinishReason;
  readonly stopString?: string;
}

export interface TTokenEvent {
  readonly prompt: number;
  readonly candidate: number;
  /** 0 for the first generated token. */
  readonly step: number;
  readonly token: number;
  /** The model's raw log-prob of the token (as in tokenLogprobs). */
  readonly logprob: number;
  /** Text this token completes (streaming; "" while a character is incomplete), null without a tokenizer. */
  readonly textDelta: string | null;
  /** Set on the candidate's last token. */
  readonly finishReason: TFinishReason | null;
}

export class CandidateState {
  readonly tokenIds: number[] = [];
  readonly tokenLogprobs: number[] = [];
  readonly #previous: number[];
  /** Generated ids the tokenizer knows: a model's embedding may have more rows than the tokenizer has ids,
   *  and such padding ids (drawn from a barely trained or random model) decode to no text. */
  readonly #textIds: number[] = [];
  readonly #stop: StopChecker;
  readonly #detok: IncrementalDetokenizer | null;
  #finish: TFinish | null = null;

  constructor(
    readonly prompt: number,
    readonly candidate: number,
    promptIds: readonly number[],
    private readonly rng: TRng,
    private readonly tokenizer: TextTokenizer | null,
    stop: TStopOptions,
  ) {
    this.#previous = [...promptIds];
    this.#stop = new StopChecker(stop);
    this.#detok = tokenizer ? new IncrementalDetokenizer(tokenizer, { skipSpecialTokens: true }) : null;
  }

  get isFinished(): boolean {
    return this.#finish !== null;
  }

  /** Picks the next token from this candidate's logits row [V] and records it. */
  step(logits: Float32Array, params: TSamplingParams): TTokenEvent {
    const { token, rawLogprob } = sampleNext(logits, params, { previousTokens: this.#previous }, this.rng);
    this.tokenIds.push(token);
    this.tokenLogprobs.push(rawLogprob);
    this.#previous.push(token);
    const isKnown = this.tokenizer?.idToToken(token) !== undefined;
    if (isKnown) this.#textIds.push(token);
    const text = this.tokenizer ? this.tokenizer.decode(this.#textIds, { skipSpecialTokens: true }) : "";
    this.#finish = this.#stop.push(token, text);
    const delta = this.#detok
      ? (isKnown ? this.#detok.push(token) : "") + (this.#finish ? this.#detok.flush() : "")
      : null;
    return {
      prompt: this.prompt,
      candidate: this.candidate,
      step: this.tokenIds.length - 1,
      token,
      logprob: rawLogprob,
      textDelta: delta,
      finishReason: this.#finish?.reason ?? null,
    };
  }

  result(): TCandidate {
    if (!this.#finish) throw new Error("candidate has not finished");
    return {
      prompt: this.prompt,
      candidate: this.candidate,
      tokenIds: [...this.tokenIds],
      text: this.tokenizer ? this.#finish.text : null,
      tokenLogprobs: [...this.tokenLogprobs],
      sumLogprob: this.tokenLogprobs.reduce((a, b) => a + b, 0),
      finishReason: this.#finish.reason,
      ...(this.#finish.stopString !== undefined ? { stopString: this.#finish.stopString } : {}),
    };
  }
}
