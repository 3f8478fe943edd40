// Entry point of prompt-file import: streams an upload (optionally gzipped) into items and per-line issues; no database.
import type { TImportFormat } from "../../domain";
import { csvRows } from "./csv-rows";
import { RowIssue } from "./fields";
import type { TImportIssue, TParsed } from "./import-types";
import { parseJsonlLine } from "./jsonl-line";
import { numberedLines, openBytes, type TByteInput } from "./read-source";

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
  opts: { format: TImportFormat; filename?: string },
): AsyncGenerator<TParsed> {
  const bytes = await openBytes(input);
  if (isCsv(opts.format, opts.filename)) {
    yield* csvRows(bytes);
    return;
  }
  const format = opts.format === "csv" ? "auto" : opts.format;
  const lines = numberedLines(bytes);
  // The finally matters when the caller stops early: it closes the reader and the upload stream.
  try {
    yield* jsonlResults(lines, format);
  } finally {
    await lines.return(undefined);
  }
}

async function* jsonlResults(
  lines: AsyncGenerator<{ line: number; text: string }>,
  format: Exclude<TImportFormat, "csv">,
): AsyncGenerator<TParsed> {
  let last = 0;
  for (;;) {
    // Only reading is guarded here: a failing stream ends the import with an issue, while a bug still throws.
    let next: IteratorResult<{ line: number; text: string }>;
    try {
      next = await lines.next();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      yield {
        kind: "issue",
        issue: { line: last + 1, message: `the file could not be read past this point (${reason})` },
      };
      return;
    }
    if (next.done) return;
    const { line, text } = next.value;
    last = line;
    if (text.trim() === "") continue;
    try {
      yield { kind: "item", item: { line, ...parseJsonlLine(text, format) } };
    } catch (err) {
      if (!(err instanceof RowIssue)) throw err;
      yield { kind: "issue", issue: { line, message: err.message } };
    }
  }
}
