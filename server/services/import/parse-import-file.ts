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
  const format = opts.format === "csv" ? "auto" : opts.format;
  const lines = numberedLines(bytes, limits);
  // The finally matters when the caller stops early: it closes the reader and the upload stream.
  try {
    yield* jsonlResults(lines, format, limits);
  } finally {
    await lines.return(undefined);
  }
}

async function* jsonlResults(
  lines: AsyncGenerator<{ line: number; bytes: Buffer }>,
  format: Exclude<TImportFormat, "csv">,
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
