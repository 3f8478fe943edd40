// Streaming detokenization: text deltas per new token, never splitting a character; not a tokenizer.
import type { TextTokenizer } from "./tokenizer";

const REPLACEMENT = "\uFFFD";

/**
 * Decodes a growing id sequence into deltas whose concatenation (after `flush`) is the full decode.
 * NOTE: a token can end inside a multi-byte character (byte-level BPE), which decodes to U+FFFD; such
 * text is held back until a later token completes it. Each step decodes only the ids since the last
 * emitted boundary, with the previous emission as left context (decoders that strip a leading space
 * see the same context as in the full decode).
 */
export class IncrementalDetokenizer {
  private readonly ids: number[] = [];
  private prefixOffset = 0;
  private readOffset = 0;

  constructor(
    private readonly tokenizer: TextTokenizer,
    private readonly options: { skipSpecialTokens?: boolean } = {},
  ) {}

  private decode(from: number, to: number): string {
    return this.tokenizer.decode(this.ids.slice(from, to), {
      skipSpecialTokens: this.options.skipSpecialTokens ?? false,
    });
  }

  /** Adds one token; returns the text it completes ("" while a character is still incomplete). */
  push(id: number): string {
    this.ids.push(id);
    const prefix = this.decode(this.prefixOffset, this.readOffset);
    const text = this.decode(this.prefixOffset, this.ids.length);
    if (text.length <= prefix.length || text.endsWith(REPLACEMENT)) return "";
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
    return text.slice(prefix.length);
  }

  /** Text still held at the end of the stream (an incomplete character stays U+FFFD, as in the full decode). */
  flush(): string {
    const prefix = this.decode(this.prefixOffset, this.readOffset);
    const text = this.decode(this.prefixOffset, this.ids.length);
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
    return text.slice(prefix.length);
  }
}
