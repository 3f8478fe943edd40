// TRL's dataset types (https://huggingface.co/docs/trl/dataset_formats), standard and conversational, plus
// prefloop's ranking rows and its "full judgments" export: detection, validation, implicit-prompt extraction.
// JSON rows in, normalised rows out; nothing here tokenizes.
import { z } from "zod";
import { ZExportCandidate, ZExportTiers } from "../../formats/judgment-row";
import { JsonlError, formatIssues, streamJsonl, type TJsonlRow } from "./read-jsonl";

// ---- Content: a string (standard) or a list of chat messages (conversational) ----

/** A chat message as TRL's conversational rows write it; extra fields (e.g. `reasoning_content`) are kept. */
export const ZMessage = z.looseObject({ role: z.string().min(1, "a message needs a role"), content: z.string() });
export type TMessage = z.infer<typeof ZMessage>;
/** A prompt, completion or text: a string in standard rows, a message list in conversational rows. */
export type TContent = string | TMessage[];

const ZText = z.string({ error: "expected a string, like the rest of this standard row" });
const ZConversation = z
  .array(ZMessage, { error: "expected a list of {role, content} messages, like the rest of this conversational row" })
  .min(1, "a conversation needs at least one message");
const ZMargin = z.number({ error: "margin must be a number" }).optional();
const ZRanks = z.array(z.number().int("a rank is an integer tier").min(0, "a rank is a tier >= 0 (0 is best)"));

// ---- Row schemas, one pair (standard, conversational) per TRL type ----

function schemasOf(c: typeof ZText | typeof ZConversation) {
  return {
    "language-modeling": c === ZText ? z.looseObject({ text: ZText }) : z.looseObject({ messages: ZConversation }),
    "prompt-only": z.looseObject({ prompt: c }),
    "prompt-completion": z.looseObject({ prompt: c, completion: c }),
    preference: z.looseObject({ prompt: c, chosen: c, rejected: c, margin: ZMargin }),
    "implicit-preference": z.looseObject({ chosen: c, rejected: c, margin: ZMargin }),
    ranking: z
      .looseObject({ prompt: c, completions: z.array(c).min(2, "a ranking needs at least two completions"), ranks: ZRanks })
      .refine((r) => r.ranks.length === r.completions.length, { message: "needs one rank per completion", path: ["ranks"] }),
  };
}
export const ZStandardRows = schemasOf(ZText);
export const ZConversationalRows = schemasOf(ZConversation);

/**
 * A row of the app's "full judgments" export (workers/ml/formats/judgment-row.ts). Only these fields are
 * read: `messages` (the prompt conversation), `candidates[].id` and `candidates[].text`, and `tiers` (candidate
 * ids, best tier first; ids in one tier are tied). Everything else (`none_acceptable`, `flags`, `rationale`,
 * `shown_order`, timings, `labeller`, ...) is ignored; candidates in no tier are left out of the ranking.
 */
export const ZJudgmentRow = z.looseObject({
  messages: ZConversation,
  // The contract's own definitions (workers/ml/formats), so the export and this reader cannot drift apart.
  // only what the loader reads of each candidate; the rest of the row is the app's business
  candidates: z.array(ZExportCandidate.pick({ id: true, text: true }).loose()).min(1, "a judgment needs candidates"),
  tiers: ZExportTiers,
});

export const DATASET_FORMATS = [
  "language-modeling", // {text} | {messages}
  "prompt-only", // {prompt}
  "prompt-completion", // {prompt, completion}
  "preference", // {prompt, chosen, rejected, margin?}: explicit prompt
  "implicit-preference", // {chosen, rejected, margin?}: the shared prefix is the prompt
  "ranking", // {prompt, completions, ranks}: prefloop's reward-model rows
  "judgments", // the app's full-judgments export, read as rankings
] as const;
export type TDatasetFormat = (typeof DATASET_FORMATS)[number];

export interface TRowType {
  readonly format: TDatasetFormat;
  readonly conversational: boolean;
}

// ---- Normalised rows ----

export interface TLmRow {
  readonly kind: "language-modeling";
  readonly line: number;
  readonly text: TContent;
}
export interface TPromptOnlyRow {
  readonly kind: "prompt-only";
  readonly line: number;
  readonly prompt: TContent;
}
export interface TPromptCompletionRow {
  readonly kind: "prompt-completion";
  readonly line: number;
  readonly prompt: TContent;
  readonly completion: TContent;
}
export interface TPreferenceRow {
  readonly kind: "preference";
  readonly line: number;
  readonly prompt: TContent;
  readonly chosen: TContent;
  readonly rejected: TContent;
  /** TRL RewardTrainer's optional `margin` column, kept as given. */
  readonly margin?: number;
}
export interface TRankingRow {
  readonly kind: "ranking";
  readonly line: number;
  readonly prompt: TContent;
  readonly completions: readonly TContent[];
  /** One tier per completion: 0 is best, equal tiers are tied. At least two distinct tiers. */
  readonly ranks: readonly number[];
}
export type TDatasetRow = TLmRow | TPromptOnlyRow | TPromptCompletionRow | TPreferenceRow | TRankingRow;
export type TRowKind = TDatasetRow["kind"];

/** What a row of each format becomes: implicit preferences are preferences, judgments are rankings. */
export const KIND_OF_FORMAT: Readonly<Record<TDatasetFormat, TRowKind>> = {
  "language-modeling": "language-modeling",
  "prompt-only": "prompt-only",
  "prompt-completion": "prompt-completion",
  preference: "preference",
  "implicit-preference": "preference",
  ranking: "ranking",
  judgments: "ranking",
};

export interface TDroppedRow {
  readonly line: number;
  readonly reason: string;
}

export interface TDataset {
  readonly file: string;
  readonly format: TDatasetFormat;
  readonly conversational: boolean;
  readonly rows: TDatasetRow[];
  /** Valid rows with nothing to learn from (a ranking whose candidates are all tied); never silent. */
  readonly dropped: TDroppedRow[];
}

// ---- Detection ----

const describeJson = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v);

/** Which type a row is, from its keys and (standard vs conversational) its prompt-side value; throws what is wrong. */
export function detectRowType(value: unknown): TRowType {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`expected a JSON object (one dataset row), got ${describeJson(value)}`);
  }
  const row = value as Record<string, unknown>;
  const has = (k: string) => Object.hasOwn(row, k);
  let format: TDatasetFormat;
  if (has("completions") && has("ranks")) format = "ranking";
  else if (has("candidates") && has("tiers")) format = "judgments";
  else if (has("completions")) throw new Error("completions without ranks: a ranking row is {prompt, completions, ranks} (TRL's stepwise-supervision rows are not supported)");
  else if (has("chosen") || has("rejected")) {
    if (!has("chosen") || !has("rejected")) throw new Error(`a preference row needs both chosen and rejected (missing ${has("chosen") ? "rejected" : "chosen"})`);
    format = has("prompt") ? "preference" : "implicit-preference";
  } else if (has("completion")) {
    if (has("label")) throw new Error("unpaired preference rows {prompt, completion, label} (TRL's KTO) are not supported");
    if (!has("prompt")) throw new Error("a completion without a prompt: a prompt-completion row is {prompt, completion}");
    format = "prompt-completion";
  } else if (has("prompt")) format = "prompt-only";
  else if (has("text") && has("messages")) throw new Error("both text and messages: a language-modeling row is {text} or {messages}");
  else if (has("text") || has("messages")) format = "language-modeling";
  else {
    const keys = Object.keys(row);
    throw new Error(
      `not a dataset row (keys: ${keys.length ? keys.join(", ") : "none"}); expected {text}, {messages}, {prompt}, {prompt, completion}, ` +
        "{prompt?, chosen, rejected}, {prompt, completions, ranks} or a judgments export row",
    );
  }
  if (format === "judgments") return { format, conversational: true };
  if (format === "language-modeling") return { format, conversational: has("messages") };
  const field = has("prompt") ? "prompt" : "chosen";
  const v = row[field];
  if (typeof v === "string") return { format, conversational: false };
  if (Array.isArray(v)) return { format, conversational: true };
  throw new Error(`${field}: expected a string (standard) or a list of {role, content} messages (conversational), got ${describeJson(v)}`);
}

// ---- Implicit prompts (TRL's extract_prompt) ----

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * TRL's `extract_prompt` on strings: the prompt is the longest common prefix of chosen and rejected, except
 * that a space just before the first difference goes to the completions (HH-RLHF's "Assistant: reply"). As in
 * TRL, when one string is a prefix of the other the prompt stops one character before the shorter one ends,
 * so each completion keeps at least one character. The common prefix may reach into the replies when they
 * start alike ("I think A" / "I think B"): that is TRL's behaviour too.
 */
export function extractPromptText(chosen: string, rejected: string): { prompt: string; chosen: string; rejected: string } {
  const n = Math.min(chosen.length, rejected.length);
  if (n === 0) throw new Error(`${chosen.length === 0 ? "chosen" : "rejected"} is empty: no prompt to extract`);
  let idx = 0;
  while (idx < n && chosen.charCodeAt(idx) === rejected.charCodeAt(idx)) idx++;
  const differs = idx < n;
  if (!differs) idx = n - 1;
  // NOTE: Python compares code points; never split a surrogate pair (two emoji sharing a high surrogate).
  if (idx > 0 && isHighSurrogate(chosen.charCodeAt(idx - 1))) idx -= 1;
  if (differs && idx > 0 && chosen[idx - 1] === " ") idx -= 1;
  return { prompt: chosen.slice(0, idx), chosen: chosen.slice(idx), rejected: rejected.slice(idx) };
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * TRL's `extract_prompt` on conversations: the prompt is the longest common prefix of messages (usually all
 * but the last), capped so that chosen and rejected each keep at least one message. An empty prompt is an error.
 */
export function extractPromptMessages(chosen: readonly TMessage[], rejected: readonly TMessage[]): { prompt: TMessage[]; chosen: TMessage[]; rejected: TMessage[] } {
  const n = Math.min(chosen.length, rejected.length);
  let idx = 0;
  while (idx < n - 1 && sameJson(chosen[idx], rejected[idx])) idx++;
  if (idx === 0) throw new Error("chosen and rejected share no leading message: no prompt to extract");
  return { prompt: chosen.slice(0, idx), chosen: chosen.slice(idx), rejected: rejected.slice(idx) };
}

// ---- Conversions between row kinds ----

/** A preference pair as a two-candidate ranking (chosen tier 0, rejected tier 1); the margin is not carried. */
export function rankingOfPreference(row: TPreferenceRow): TRankingRow {
  return { kind: "ranking", line: row.line, prompt: row.prompt, completions: [row.chosen, row.rejected], ranks: [0, 1] };
}

/**
 * Every pair of a ranking in different tiers, the better one chosen; tied candidates make none. Order: chosen
 * tier, rejected tier, then position (as the app's pairs-from-tiers export). With `margin`, the tier distance.
 */
export function preferencePairs(row: TRankingRow, options: { margin?: boolean } = {}): TPreferenceRow[] {
  const tiers = [...new Set(row.ranks)].sort((a, b) => a - b);
  const members = tiers.map((t) => row.completions.filter((_, i) => row.ranks[i] === t));
  const pairs: TPreferenceRow[] = [];
  members.forEach((better, i) => {
    members.slice(i + 1).forEach((worse, j) => {
      const margin = (tiers[i + 1 + j] ?? 0) - (tiers[i] ?? 0);
      for (const chosen of better) {
        for (const rejected of worse) {
          pairs.push({ kind: "preference", line: row.line, prompt: row.prompt, chosen, rejected, ...(options.margin ? { margin } : {}) });
        }
      }
    });
  });
  return pairs;
}

/**
 * What the held-out split groups rows by: the prompt as given (a language-modeling row's whole text), messages
 * reduced to role and content so that key order or extra fields do not make one prompt two.
 */
export function promptKeyOf(row: TDatasetRow): string {
  const c = row.kind === "language-modeling" ? row.text : row.prompt;
  return JSON.stringify(typeof c === "string" ? c : c.map((m) => [m.role, m.content]));
}

// ---- Rows of one dataset ----

const SINGLE_TIER = "every candidate is in one tier (all tied): no pair to learn from";

function judgmentToRanking(j: z.infer<typeof ZJudgmentRow>, line: number): TRankingRow | string {
  const text = new Map(j.candidates.map((c) => [c.id, c.text]));
  const seen = new Set<string>();
  const completions: TContent[] = [];
  const ranks: number[] = [];
  j.tiers.forEach((tier, t) => {
    for (const id of tier) {
      const content = text.get(id);
      if (content === undefined) throw new Error(`tiers: unknown candidate "${id}"`);
      if (seen.has(id)) throw new Error(`tiers: candidate "${id}" appears more than once`);
      seen.add(id);
      completions.push([{ role: "assistant", content }]);
      ranks.push(t);
    }
  });
  if (j.tiers.length < 2) return SINGLE_TIER;
  return { kind: "ranking", line, prompt: j.messages, completions, ranks };
}

type TParsed = Record<string, unknown> & { margin?: number | undefined };

/** The normalised row, or the reason a valid row is dropped. Throws (without the line) what is wrong. */
function normalise(format: TDatasetFormat, conversational: boolean, value: unknown, line: number): TDatasetRow | string {
  if (format === "judgments") {
    const parsed = ZJudgmentRow.safeParse(value);
    if (!parsed.success) throw new Error(formatIssues(parsed.error));
    return judgmentToRanking(parsed.data, line);
  }
  const schema = (conversational ? ZConversationalRows : ZStandardRows)[format];
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(formatIssues(parsed.error));
  const r = parsed.data as TParsed;
  const margin = r.margin === undefined ? {} : { margin: r.margin };
  const content = (k: string) => r[k] as TContent;
  switch (format) {
    case "language-modeling":
      return { kind: "language-modeling", line, text: content(conversational ? "messages" : "text") };
    case "prompt-only":
      return { kind: "prompt-only", line, prompt: content("prompt") };
    case "prompt-completion":
      return { kind: "prompt-completion", line, prompt: content("prompt"), completion: content("completion") };
    case "preference":
      return { kind: "preference", line, prompt: content("prompt"), chosen: content("chosen"), rejected: content("rejected"), ...margin };
    case "implicit-preference": {
      const c = content("chosen");
      const rj = content("rejected");
      const x = typeof c === "string" ? extractPromptText(c, rj as string) : extractPromptMessages(c, rj as TMessage[]);
      return { kind: "preference", line, ...x, ...margin };
    }
    case "ranking": {
      const ranks = r.ranks as number[];
      if (new Set(ranks).size < 2) return SINGLE_TIER;
      return { kind: "ranking", line, prompt: content("prompt"), completions: r.completions as TContent[], ranks };
    }
  }
}

const typeName = (t: TRowType) => `${t.conversational ? "conversational" : "standard"} ${t.format}`;

/** Collects the rows of one dataset: the first row decides the type, every later row must match it. */
export class DatasetBuilder {
  private type: (TRowType & { line: number; margin: boolean }) | null = null;
  private readonly rows: TDatasetRow[] = [];
  private readonly dropped: TDroppedRow[] = [];

  constructor(readonly file: string) {}

  add(row: TJsonlRow): void {
    const fail = (what: string): never => {
      throw new JsonlError(this.file, row.line, what);
    };
    let t: TRowType;
    try {
      t = detectRowType(row.value);
    } catch (e) {
      return fail((e as Error).message);
    }
    const hasMargin = Object.hasOwn(row.value as object, "margin");
    if (this.type === null) this.type = { ...t, line: row.line, margin: hasMargin };
    const first = this.type;
    if (t.format !== first.format || t.conversational !== first.conversational) {
      fail(`a ${typeName(t)} row, but this is a ${typeName(first)} dataset (decided by its first row, line ${first.line})`);
    }
    if ((first.format === "preference" || first.format === "implicit-preference") && hasMargin !== first.margin) {
      fail(`${hasMargin ? "a margin" : "no margin"}, but the first row (line ${first.line}) has ${first.margin ? "one" : "none"}: margin is a column of every row or of none`);
    }
    let out: TDatasetRow | string;
    try {
      out = normalise(t.format, t.conversational, row.value, row.line);
    } catch (e) {
      return fail((e as Error).message);
    }
    if (typeof out === "string") this.dropped.push({ line: row.line, reason: out });
    else this.rows.push(out);
  }

  finish(): TDataset {
    if (this.type === null) throw new Error(`${this.file}: no rows`);
    if (this.rows.length === 0) throw new Error(`${this.file}: every row was dropped (${this.dropped.length}; line ${this.dropped[0]?.line}: ${this.dropped[0]?.reason})`);
    return { file: this.file, format: this.type.format, conversational: this.type.conversational, rows: this.rows, dropped: this.dropped };
  }
}

/** A dataset from rows already read; `file` names it in errors. */
export function parseDataset(rows: Iterable<TJsonlRow>, file: string): TDataset {
  const b = new DatasetBuilder(file);
  for (const row of rows) b.add(row);
  return b.finish();
}

/** Reads, detects and validates a JSONL (or .jsonl.gz) dataset; the first bad row throws `file:line: ...`. */
export async function loadDataset(file: string): Promise<TDataset> {
  const b = new DatasetBuilder(file);
  for await (const row of streamJsonl(file)) b.add(row);
  return b.finish();
}

/** The dataset's rows as `kind`, or an error saying what the dataset holds instead. */
export function rowsOf<K extends TRowKind>(dataset: TDataset, kind: K): Extract<TDatasetRow, { kind: K }>[] {
  const have = KIND_OF_FORMAT[dataset.format];
  if (have !== kind) throw new Error(`${dataset.file}: a ${dataset.format} dataset (${have} rows), not ${kind} rows`);
  return dataset.rows as Extract<TDatasetRow, { kind: K }>[];
}
