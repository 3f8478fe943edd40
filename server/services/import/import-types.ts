// Result types of the prompt-file parsers; types only, no logic.
import type { TMessage } from "../../domain";

export type TImportItem = {
  line: number;
  messages: TMessage[];
  candidates: string[];
  externalId?: string;
  metadata?: Record<string, unknown>;
  /** Per candidate (same order), where it came from in the source file, e.g. HH's { hh: "chosen" }. */
  candidateMetadata?: Record<string, unknown>[];
};
export type TImportIssue = { line: number; message: string };
export type TParsed = { kind: "item"; item: TImportItem } | { kind: "issue"; issue: TImportIssue };

/** What a row parser returns before the line number is attached. */
export type TRowItem = Omit<TImportItem, "line">;
