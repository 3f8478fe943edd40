// When one generated sequence is finished: EOS ids, stop strings, max_new_tokens; one checker per sequence.
// Not decoding: the caller passes the decoded text of the generated tokens.
//
// Precedence when several hold at the same token: "eos", then "stop", then "length". Token ids and their
// log-probs keep every generated token, the EOS or the one completing a stop string included (as HF's
// generate returns them); only the text is cut, before the earliest stop string.

export type TFinishReason = "eos" | "stop" | "length";

export type TStopOptions = {
  /** Token ids that end the sequence (a model may have several, e.g. `<|im_end|>` and `<|endoftext|>`). */
  readonly eosTokenIds?: Iterable<number>;
  /** Non-empty strings searched in the generated text only (never in the prompt); they may span tokens. */
  readonly stopStrings?: readonly string[];
  /** At most this many generated tokens (an EOS counts, as in HF). */
  readonly maxNewTokens: number;
};

export type TFinish = {
  readonly reason: TFinishReason;
  /** The final text: for "stop" cut before the stop string, otherwise the text as last passed. */
  readonly text: string;
  /** The stop string found, for "stop". */
  readonly stopString?: string;
};

export class StopChecker {
  private readonly eosTokenIds: ReadonlySet<number>;
  private readonly stopStrings: readonly string[];
  private readonly maxNewTokens: number;
  private count = 0;
  private result: TFinish | null = null;

  constructor(options: TStopOptions) {
    if (!Number.isSafeInteger(options.maxNewTokens) || options.maxNewTokens < 1) {
      throw new RangeError(`stop: max_new_tokens must be an integer >= 1, got ${String(options.maxNewTokens)}`);
    }
    this.eosTokenIds = new Set(options.eosTokenIds ?? []);
    for (const id of this.eosTokenIds) {
      if (!Number.isSafeInteger(id) || id < 0)
        throw new RangeError(`stop: EOS token id ${String(id)} is not a token id`);
    }
    this.stopStrings = [...(options.stopStrings ?? [])];
    if (this.stopStrings.some((s) => typeof s !== "string" || s.length === 0)) {
      throw new RangeError("stop: stop strings must be non-empty strings");
    }
    this.maxNewTokens = options.maxNewTokens;
  }

  /** Generated tokens recorded so far. */
  get newTokens(): number {
    return this.count;
  }

  /** How the sequence finished, or null while it runs. */
  get finish(): TFinish | null {
    return this.result;
  }

  /**
   * Records one generated token. `text` is the decoded text of ALL generated tokens so far, this one included,
   * decoded with special tokens skipped (so an EOS adds nothing). Returns the finish once the sequence ends.
   */
  push(token: number, text: string): TFinish | null {
    if (this.result) throw new Error("stop: this sequence has already finished");
    this.count++;
    if (this.eosTokenIds.has(token)) return (this.result = { reason: "eos", text });
    // The whole text is searched, not only its tail: a decoder may rewrite its last characters once a
    // multi-byte character completes, and a search over a few thousand characters per token costs nothing
    // beside a model step.
    let at = -1;
    let found: string | undefined;
    for (const s of this.stopStrings) {
      const i = text.indexOf(s);
      if (i !== -1 && (at === -1 || i < at)) [at, found] = [i, s];
    }
    if (found !== undefined) return (this.result = { reason: "stop", text: text.slice(0, at), stopString: found });
    if (this.count >= this.maxNewTokens) return (this.result = { reason: "length", text });
    return null;
  }

  /**
   * How many characters at the end of `text` could begin a stop string: a streaming caller holds them back
   * until the next token settles whether they are output or the start of a stop.
   */
  pendingLength(text: string): number {
    let longest = 0;
    for (const s of this.stopStrings) {
      for (let m = Math.min(s.length - 1, text.length); m > longest; m--) {
        if (text.endsWith(s.slice(0, m))) {
          longest = m;
          break;
        }
      }
    }
    return longest;
  }
}
