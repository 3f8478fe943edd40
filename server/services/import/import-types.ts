// Result types of the prompt-file parsers; types only, no logic.
import type { TMessage } from "../../domain";

/** The tools whose rankings an import can carry; each annotator becomes an imported account (User.importedFrom). */
export const IMPORTED_FROM = ["oasst", "label-studio", "argilla"] as const;
export type TImportedFrom = (typeof IMPORTED_FROM)[number];

/** A ranking made in another tool, carried by an import row. */
export type TImportJudgment = {
  from: TImportedFrom;
  /** The annotator's id in that tool (a user id, a number); one imported account per (from, annotator). */
  annotator: string;
  /** Candidate positions (indices into the row's candidates), best tier first; every candidate in one tier. */
  tiers: number[][];
  /** When it was made, if the file says. */
  createdAt?: Date;
};

export type TImportItem = {
  line: number;
  messages: TMessage[];
  candidates: string[];
  externalId?: string;
  metadata?: Record<string, unknown>;
  /** Per candidate (same order), where it came from in the source file, e.g. HH's { hh: "chosen" }. */
  candidateMetadata?: Record<string, unknown>[];
  /** Rankings made elsewhere (at most one per annotator), written as judgments of imported accounts. */
  judgments?: TImportJudgment[];
};
export type TImportIssue = { line: number; message: string };
export type TParsed = { kind: "item"; item: TImportItem } | { kind: "issue"; issue: TImportIssue };

/** What a row parser returns before the line number is attached. */
export type TRowItem = Omit<TImportItem, "line">;
