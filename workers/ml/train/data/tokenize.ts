// Normalised dataset rows -> token examples with a model's TextTokenizer, TRL's way: conversational rows through
// the chat template, standard rows as prompt ids then completion ids; truncation counted, never silent.
// Token ids out; batching and padding are batch.ts's.
import type { TChatTemplateOptions } from "../../tokenizer/chat-template";
import type { TextTokenizer } from "../../tokenizer/tokenizer";
import type { TContent, TDataset, TLmRow, TMessage, TPreferenceRow, TPromptCompletionRow, TRankingRow } from "./formats";

/** Pre-training row: every token is scored. */
export interface TLmExample {
  readonly line: number;
  readonly ids: number[];
}
/** SFT row (or an RL prompt with its sampled completion): only completion tokens are scored. */
export interface TCompletionExample {
  readonly line: number;
  readonly promptIds: number[];
  readonly completionIds: number[];
}
export interface TPreferenceExample {
  readonly line: number;
  readonly promptIds: number[];
  readonly chosenIds: number[];
  readonly rejectedIds: number[];
  readonly margin?: number;
}
export interface TRankingExample {
  readonly line: number;
  readonly promptIds: number[];
  readonly completions: number[][];
  /** One per completion: 0 is best, equal tiers are tied. */
  readonly tiers: number[];
}
/** An RL prompt: its ids (generation prompt included) and its source, for generation and for reward models. */
export interface TPromptExample {
  readonly line: number;
  readonly promptIds: number[];
  /** The prompt as the row gave it: a string (standard) or the messages (conversational). */
  readonly prompt: TContent;
}

export const DEFAULT_MAX_LENGTH = 1024; // TRL's max_length

export interface TTokenizeOptions {
  /** Longest prompt + completion, in tokens (TRL's `max_length`, default 1024). */
  maxLength?: number;
  /**
   * Tokens a too-long prompt keeps at least (its end), when the completion is long too; also the length of
   * prompt-only examples. Default maxLength / 2 (TRL's DPO defaults: 512 of 1024).
   */
  maxPromptLength?: number;
  /** Append the tokenizer's EOS to standard completions and texts (TRL does); default true. */
  appendEos?: boolean;
  /** Chat-template choice and variables (e.g. `{ variables: { enable_thinking: false } }` for Qwen3). */
  chatTemplate?: Omit<TChatTemplateOptions, "addGenerationPrompt">;
}

/** What truncation removed: examples touched, tokens dropped from prompts (their start) and completions (their end). */
export interface TTruncation {
  examples: number;
  promptTokens: number;
  /** For language-modeling rows, every dropped token counts here. */
  completionTokens: number;
}

export interface TTokenized<E> {
  readonly examples: E[];
  readonly truncation: TTruncation;
}

/** The two limits of TTokenizeOptions, resolved. */
export interface TLimits {
  maxLength: number;
  maxPromptLength: number;
}

/** maxLength and maxPromptLength with their defaults, checked. */
export function limitsOf(o: TTokenizeOptions): TLimits {
  const maxLength = o.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isSafeInteger(maxLength) || maxLength < 2) throw new RangeError(`maxLength must be an integer >= 2, got ${maxLength}`);
  const maxPromptLength = o.maxPromptLength ?? Math.floor(maxLength / 2);
  if (!Number.isSafeInteger(maxPromptLength) || maxPromptLength < 1 || maxPromptLength >= maxLength) {
    throw new RangeError(`maxPromptLength must be an integer in [1, maxLength = ${maxLength}), got ${maxPromptLength}`);
  }
  return { maxLength, maxPromptLength };
}

const emptyTruncation = (): TTruncation => ({ examples: 0, promptTokens: 0, completionTokens: 0 });

/**
 * Fits a prompt and its completions (each scored after the prompt) into maxLength. Completions keep their
 * start, the prompt its end. The prompt gives way first but keeps min(its length, maxPromptLength) tokens;
 * the completions then get what is left. Exported for the tests and for RL's sampled completions.
 */
export function truncateExample(promptIds: number[], completions: number[][], limits: TLimits, report: TTruncation): { promptIds: number[]; completions: number[][] } {
  const longest = Math.max(0, ...completions.map((c) => c.length));
  if (promptIds.length + longest <= limits.maxLength) return { promptIds, completions };
  const keepPrompt = Math.min(promptIds.length, Math.max(limits.maxPromptLength, limits.maxLength - longest));
  const keepCompletion = limits.maxLength - keepPrompt;
  report.examples += 1;
  report.promptTokens += promptIds.length - keepPrompt;
  for (const c of completions) report.completionTokens += Math.max(0, c.length - keepCompletion);
  return { promptIds: promptIds.slice(promptIds.length - keepPrompt), completions: completions.map((c) => c.slice(0, keepCompletion)) };
}

/** Encodes rows' prompts and completions for one tokenizer and one set of options. */
class Encoder {
  private readonly bos: number[];
  private readonly eos: number[];

  constructor(
    private readonly tok: TextTokenizer,
    private readonly options: TTokenizeOptions,
  ) {
    // "BOS as the tokenizer config says": whatever encode() puts before a text when adding special tokens.
    const bos = tok.bosTokenId;
    this.bos = bos !== null && tok.encode("a")[0] === bos && tok.encode("a", { addSpecialTokens: false })[0] !== bos ? [bos] : [];
    const eos = tok.eosTokenIds[0];
    this.eos = eos !== undefined && (options.appendEos ?? true) ? [eos] : [];
  }

  private text(s: string): number[] {
    return this.tok.encode(s, { addSpecialTokens: false });
  }

  private render(messages: readonly TMessage[], addGenerationPrompt: boolean): string {
    return this.tok.applyChatTemplate(messages, { ...this.options.chatTemplate, addGenerationPrompt });
  }

  /**
   * A prompt and its completions. Standard: BOS (per config) + prompt ids; completion ids + EOS. Conversational
   * (TRL's apply_chat_template): the prompt rendered with the generation prompt (none when it ends with an
   * assistant turn), each completion = render(prompt + completion) minus the prompt's rendering; the prompt
   * text is cut to the common prefix of all renderings first (a no-op unless the template rewrites earlier
   * turns, as DeepSeek-R1's does). No EOS is appended there: the template closes the turn.
   */
  parts(prompt: TContent, completions: readonly TContent[], where: number): { promptIds: number[]; completions: number[][] } {
    if (typeof prompt === "string") {
      const strings = completions.map((c) => {
        if (typeof c !== "string") throw new Error(`line ${where}: a conversational completion after a standard prompt`);
        return c;
      });
      return { promptIds: [...this.bos, ...this.text(prompt)], completions: strings.map((c) => [...this.text(c), ...this.eos]) };
    }
    const lists = completions.map((c) => {
      if (typeof c === "string") throw new Error(`line ${where}: a standard completion after a conversational prompt`);
      return c;
    });
    let promptText = this.render(prompt, prompt.at(-1)?.role !== "assistant");
    const full = lists.map((c) => this.render([...prompt, ...c], false));
    for (const f of full) {
      let i = 0;
      while (i < promptText.length && i < f.length && promptText.charCodeAt(i) === f.charCodeAt(i)) i++;
      promptText = promptText.slice(0, i);
    }
    return { promptIds: this.text(promptText), completions: full.map((f) => this.text(f.slice(promptText.length))) };
  }

  /** A whole text: BOS + ids + EOS (TRL's SFT on {text}), or the rendered conversation. */
  whole(text: TContent): number[] {
    if (typeof text === "string") return [...this.bos, ...this.text(text), ...this.eos];
    return this.text(this.render(text, false));
  }

  /** A prompt for generation: as `parts` renders it. */
  prompt(prompt: TContent): number[] {
    if (typeof prompt === "string") return [...this.bos, ...this.text(prompt)];
    return this.text(this.render(prompt, prompt.at(-1)?.role !== "assistant"));
  }
}

/** Pre-training examples; a text longer than maxLength keeps its start. */
export function tokenizeLm(rows: readonly TLmRow[], tok: TextTokenizer, options: TTokenizeOptions = {}): TTokenized<TLmExample> {
  const { maxLength } = limitsOf(options);
  const enc = new Encoder(tok, options);
  const truncation = emptyTruncation();
  const examples = rows.map((r) => {
    const ids = enc.whole(r.text);
    if (ids.length > maxLength) {
      truncation.examples += 1;
      truncation.completionTokens += ids.length - maxLength;
    }
    return { line: r.line, ids: ids.slice(0, maxLength) };
  });
  return { examples, truncation };
}

/** SFT examples from prompt-completion rows. */
export function tokenizeCompletions(rows: readonly TPromptCompletionRow[], tok: TextTokenizer, options: TTokenizeOptions = {}): TTokenized<TCompletionExample> {
  const limits = limitsOf(options);
  const enc = new Encoder(tok, options);
  const truncation = emptyTruncation();
  const examples = rows.map((r) => {
    const p = enc.parts(r.prompt, [r.completion], r.line);
    const t = truncateExample(p.promptIds, p.completions, limits, truncation);
    return { line: r.line, promptIds: t.promptIds, completionIds: t.completions[0] ?? [] };
  });
  return { examples, truncation };
}

/** DPO / reward-model pairs; chosen and rejected share the prompt's truncation. */
export function tokenizePreferences(rows: readonly TPreferenceRow[], tok: TextTokenizer, options: TTokenizeOptions = {}): TTokenized<TPreferenceExample> {
  const limits = limitsOf(options);
  const enc = new Encoder(tok, options);
  const truncation = emptyTruncation();
  const examples = rows.map((r) => {
    const p = enc.parts(r.prompt, [r.chosen, r.rejected], r.line);
    const t = truncateExample(p.promptIds, p.completions, limits, truncation);
    const [chosenIds = [], rejectedIds = []] = t.completions;
    return { line: r.line, promptIds: t.promptIds, chosenIds, rejectedIds, ...(r.margin === undefined ? {} : { margin: r.margin }) };
  });
  return { examples, truncation };
}

/** Reward-model rankings; every candidate shares the prompt's truncation. */
export function tokenizeRankings(rows: readonly TRankingRow[], tok: TextTokenizer, options: TTokenizeOptions = {}): TTokenized<TRankingExample> {
  const limits = limitsOf(options);
  const enc = new Encoder(tok, options);
  const truncation = emptyTruncation();
  const examples = rows.map((r) => {
    const p = enc.parts(r.prompt, r.completions, r.line);
    const t = truncateExample(p.promptIds, p.completions, limits, truncation);
    return { line: r.line, promptIds: t.promptIds, completions: t.completions, tiers: [...r.ranks] };
  });
  return { examples, truncation };
}

/**
 * RL prompts from any row with a prompt (prompt-only, prompt-completion, preference, ranking); a prompt longer
 * than maxPromptLength keeps its end, leaving room for generation.
 */
export function tokenizePrompts(rows: readonly { readonly line: number; readonly prompt: TContent }[], tok: TextTokenizer, options: TTokenizeOptions = {}): TTokenized<TPromptExample> {
  const { maxPromptLength } = limitsOf(options);
  const enc = new Encoder(tok, options);
  const truncation = emptyTruncation();
  const examples = rows.map((r) => {
    const ids = enc.prompt(r.prompt);
    if (ids.length > maxPromptLength) {
      truncation.examples += 1;
      truncation.promptTokens += ids.length - maxPromptLength;
    }
    return { line: r.line, promptIds: ids.slice(Math.max(0, ids.length - maxPromptLength)), prompt: r.prompt };
  });
  return { examples, truncation };
}

export type TTokenizedDataset =
  | ({ kind: "language-modeling" } & TTokenized<TLmExample>)
  | ({ kind: "prompt-only" } & TTokenized<TPromptExample>)
  | ({ kind: "prompt-completion" } & TTokenized<TCompletionExample>)
  | ({ kind: "preference" } & TTokenized<TPreferenceExample>)
  | ({ kind: "ranking" } & TTokenized<TRankingExample>);

/** Every row of a dataset tokenized as its kind. */
export function tokenizeDataset(dataset: TDataset, tok: TextTokenizer, options: TTokenizeOptions = {}): TTokenizedDataset {
  const rows = dataset.rows;
  const first = rows[0];
  if (first === undefined) throw new Error(`${dataset.file}: no rows`);
  const all = <K extends TDataset["rows"][number]["kind"]>(kind: K) =>
    rows.map((r) => {
      if (r.kind !== kind) throw new Error(`${dataset.file}:${r.line}: a ${r.kind} row among ${kind} rows`);
      return r as Extract<typeof r, { kind: K }>;
    });
  switch (first.kind) {
    case "language-modeling":
      return { kind: first.kind, ...tokenizeLm(all(first.kind), tok, options) };
    case "prompt-only":
      return { kind: first.kind, ...tokenizePrompts(all(first.kind), tok, options) };
    case "prompt-completion":
      return { kind: first.kind, ...tokenizeCompletions(all(first.kind), tok, options) };
    case "preference":
      return { kind: first.kind, ...tokenizePreferences(all(first.kind), tok, options) };
    case "ranking":
      return { kind: first.kind, ...tokenizeRankings(all(first.kind), tok, options) };
  }
}
