// Entry point of prompt-file import: streams an upload (optionally gzipped) into items and per-line issues; no database.
import type { TImportFormat } from "../../domain";
import { csvRows } from "./csv-rows";
import { RowIssue } from "./fields";
import type { TImportIssue, TParsed } from "./import-types";
import { parseJsonlLine } from "./jsonl-line";
import { checkedText, INVALID_UTF8, numberedLines, openBytes, type TByteInput } from "./read-source";
import { ImportLimitError, importLimits, type TImportLimits } from "./import-limits";
import { isUtf8 } from "node:buffer";
import { pipeline } from "node:stream";
import { jsonRecords, type TJsonRecord } from "./json-records";
import { fail, isRecord, type TRecord } from "./fields";
import { jsonDepth } from "./jsonl-line";
import { labelStudioRow } from "./label-studio-row";
import { argillaRow } from "./argilla-row";
import type { TRowItem } from "./import-types";

/** Exports of other tools, read record by record (a JSON array, or JSONL): what a record is called, and its parser. */
const RECORD_FORMATS = {
  "label-studio": { what: "task", row: labelStudioRow },
  argilla: { what: "record", row: argillaRow },
} as const satisfies Partial<Record<TImportFormat, { what: string; row: (r: TRecord) => TRowItem }>>;
type TRecordFormat = keyof typeof RECORD_FORMATS;
const isRecordFormat = (f: TImportFormat): f is TRecordFormat => f in RECORD_FORMATS;

export type { TImportItem, TImportIssue, TParsed } from "./import-types";

/** How an issue reads in a report: `line 7: "messages[2].role" must be one of system, user, assistant`. */
export function formatIssue(issue: TImportIssue): string {
  return `line ${issue.line}: ${issue.message}`;
}

function isCsv(format: TImportFormat, filename: string | undefined): boolean {
  if (format === "csv") return true;
  return format === "auto" && filename !== undefined && /\.csv(\.gz)?$/i.test(filename);
}

/**
 * Yields one result per non-blank line (per record for CSV), in file order, without holding the file in memory.
 * Issues never stop the import of later lines, except where the rest of the file cannot be read (broken gzip or
 * CSV quoting, bad CSV header).
 */
export async function* parseImportFile(
  input: TByteInput,
  opts: { format: TImportFormat; filename?: string; limits?: TImportLimits },
): AsyncGenerator<TParsed> {
  const limits = opts.limits ?? importLimits();
  const bytes = await openBytes(input, limits);
  if (isCsv(opts.format, opts.filename)) {
    const checked = checkedText(limits);
    yield* csvRows(
      pipeline(bytes, checked, () => {}),
      { maxRecordBytes: limits.maxLineBytes },
    );
    const failure = checked.failure();
    if (failure) yield { kind: "issue", issue: { line: failure.line, message: failure.message } };
    return;
  }
  if (isRecordFormat(opts.format)) {
    yield* recordResults(bytes, opts.format, limits);
    return;
  }
  const format = opts.format === "csv" ? "auto" : opts.format;
  const lines = numberedLines(bytes, limits);
  // The finally matters when the caller stops early: it closes the reader and the upload stream.
  try {
    yield* jsonlResults(lines, format, limits);
  } finally {
    await lines.return(undefined);
  }
}

/** Issues name the record ("task 3: ...") and carry the line it starts on. */
async function* recordResults(
  bytes: AsyncIterable<Buffer> & { destroy(): void },
  format: TRecordFormat,
  limits: TImportLimits,
): AsyncGenerator<TParsed> {
  const { what, row } = RECORD_FORMATS[format];
  const records = jsonRecords(bytes, { maxRecordBytes: limits.maxLineBytes, what });
  let last = 1;
  try {
    for (;;) {
      let next: IteratorResult<TJsonRecord>;
      try {
        next = await records.next();
      } catch (err) {
        if (err instanceof ImportLimitError) {
          yield { kind: "issue", issue: { line: err.line, message: err.message } };
          return;
        }
        const reason = err instanceof Error ? err.message : String(err);
        yield {
          kind: "issue",
          issue: { line: last, message: `the file could not be read past this point (${reason})` },
        };
        return;
      }
      if (next.done) return;
      const { index, line, bytes: recordBytes } = next.value;
      last = line;
      const issue = (message: string): TParsed => ({
        kind: "issue",
        issue: { line, message: `${what} ${index}: ${message}` },
      });
      if (!isUtf8(recordBytes)) {
        yield issue("the text is not valid UTF-8 (save the file as UTF-8)");
        continue;
      }
      try {
        yield { kind: "item", item: { line, ...parseRecord(recordBytes.toString("utf8"), row, limits.maxDepth) } };
      } catch (err) {
        if (!(err instanceof RowIssue)) throw err;
        yield issue(err.message);
      }
    }
  } finally {
    await records.return(undefined);
    bytes.destroy();
  }
}

function parseRecord(json: string, row: (r: TRecord) => TRowItem, maxDepth: number): TRowItem {
  const depth = jsonDepth(json);
  if (depth > maxDepth) fail(`it is nested ${depth} levels deep; at most ${maxDepth} are allowed (IMPORT_MAX_DEPTH)`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    fail(`invalid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isRecord(value)) fail("it must be a JSON object");
  return row(value);
}

async function* jsonlResults(
  lines: AsyncGenerator<{ line: number; bytes: Buffer }>,
  format: Exclude<TImportFormat, "csv" | TRecordFormat>,
  limits: TImportLimits,
): AsyncGenerator<TParsed> {
  let last = 0;
  for (;;) {
    // Only reading is guarded here: a failing stream ends the import with an issue, while a bug still throws.
    let next: IteratorResult<{ line: number; bytes: Buffer }>;
    try {
      next = await lines.next();
    } catch (err) {
      if (err instanceof ImportLimitError) {
        yield { kind: "issue", issue: { line: err.line, message: err.message } };
        return;
      }
      const reason = err instanceof Error ? err.message : String(err);
      yield {
        kind: "issue",
        issue: { line: last + 1, message: `the file could not be read past this point (${reason})` },
      };
      return;
    }
    if (next.done) return;
    const { line, bytes } = next.value;
    last = line;
    if (!isUtf8(bytes)) {
      yield { kind: "issue", issue: { line, message: INVALID_UTF8 } };
      continue;
    }
    const text = bytes.toString("utf8");
    if (text.trim() === "") continue;
    try {
      const parsed = parseJsonlLine(text, format, limits.maxDepth);
      for (const row of Array.isArray(parsed) ? parsed : [parsed]) yield { kind: "item", item: { line, ...row } };
    } catch (err) {
      if (!(err instanceof RowIssue)) throw err;
      yield { kind: "issue", issue: { line, message: err.message } };
    }
  }
}
