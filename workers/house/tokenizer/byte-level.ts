// GPT-2's byte-level alphabet and pre-tokenizer split, as Hugging Face tokenizers' ByteLevel pre-tokenizer
// (use_regex: true) applies them, so the merges learnt here are the ones tokenizer.json replays.

/** GPT-2's `bytes_to_unicode`: every byte to a printable character (space is "Ġ", newline "Ċ"). */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const out = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCodePoint(keep.includes(b) ? b : 256 + extra++);
  return out;
})();

/** GPT-2's split: contractions, letters, digits, other symbols, each with at most one leading space. */
export const SPLIT_RE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const encoder = new TextEncoder();

/** A text's pre-tokenized words in the byte-level alphabet. */
export function byteLevelWords(text: string): string[] {
  return (text.match(SPLIT_RE) ?? []).map((w) => Array.from(encoder.encode(w), (b) => BYTE_TO_CHAR[b]).join(""));
}
