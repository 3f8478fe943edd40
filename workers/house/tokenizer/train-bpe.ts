// A byte-level BPE trainer (Sennrich et al. 2016 over GPT-2's byte alphabet): counts pre-tokenized words,
// then repeatedly merges the most frequent adjacent pair (ties: the lexicographically smaller pair), until the
// vocabulary has the size asked for. Deterministic; the result is written as a Hugging Face tokenizer.json.
import { BYTE_TO_CHAR, byteLevelWords } from "./byte-level";

export interface TBpe {
  /** Token -> id: special tokens first, then the 256 byte characters, then one token per merge. */
  readonly vocab: ReadonlyMap<string, number>;
  readonly merges: readonly (readonly [string, string])[];
  readonly specialTokens: readonly string[];
}

export function trainBpe(texts: Iterable<string>, vocabSize: number, specialTokens: readonly string[]): TBpe {
  const base = specialTokens.length + 256;
  if (!Number.isSafeInteger(vocabSize) || vocabSize < base)
    throw new RangeError(`vocabSize must be an integer >= ${base} (special tokens + 256 bytes), got ${vocabSize}`);
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of byteLevelWords(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const symbols = words.map(([w]) => Array.from(w));
  const freq = words.map(([, n]) => n);

  const vocab = new Map<string, number>();
  for (const s of specialTokens) vocab.set(s, vocab.size);
  for (const c of BYTE_TO_CHAR) vocab.set(c, vocab.size);
  const merges: [string, string][] = [];
  while (vocab.size < vocabSize) {
    const pairs = new Map<string, number>();
    for (let i = 0; i < symbols.length; i++) {
      const s = symbols[i] as string[];
      const f = freq[i] as number;
      for (let j = 0; j + 1 < s.length; j++) {
        const k = `${s[j]}\u0000${s[j + 1]}`;
        pairs.set(k, (pairs.get(k) ?? 0) + f);
      }
    }
    let best: string | null = null;
    let bestCount = 0;
    for (const [k, n] of pairs)
      if (n > bestCount || (n === bestCount && best !== null && k < best)) [best, bestCount] = [k, n];
    if (best === null || bestCount < 2) break; // nothing left worth merging
    const [a, b] = best.split("\u0000") as [string, string];
    const merged = a + b;
    merges.push([a, b]);
    if (!vocab.has(merged)) vocab.set(merged, vocab.size);
    for (const s of symbols)
      for (let j = 0; j + 1 < s.length; j++) if (s[j] === a && s[j + 1] === b) s.splice(j, 2, merged);
  }
  return { vocab, merges, specialTokens };
}

/** tokenizer.json (Hugging Face tokenizers' format) for a trained BPE: ByteLevel split, model and decoder. */
export function tokenizerJson(bpe: TBpe): Record<string, unknown> {
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: bpe.specialTokens.map((content) => ({
      id: bpe.vocab.get(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: null,
    decoder: byteLevel,
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(bpe.vocab),
      merges: bpe.merges.map(([a, b]) => [a, b]),
    },
  };
}
