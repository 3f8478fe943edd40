// CSV prompt files: header checks and one item per record (prompt, candidate_1..N, id, other columns as metadata).
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { parse } from "csv-parse";
import type { TParsed, TRowItem } from "./import-types";
import { fail, RowIssue, text } from "./fields";
import { ImportLimitError } from "./import-limits";

const CANDIDATE = /^candidate_(\d+)$/;
const STRICT = { allowEmpty: false };

type THeader = { names: string[]; candidates: number[]; metadata: number[] };

function readHeader(cells: string[]): THeader {
  const names = cells.map((c) => c.trim());
  const dup = names.find((n, i) => n !== "" && names.indexOf(n) !== i);
  if (dup !== undefined) fail(`column "${dup}" appears twice in the header`);
  if (!names.includes("prompt")) fail(`the header has no "prompt" column (found: ${names.join(", ")})`);
  if (names.includes("id") && names.includes("external_id"))
    fail(`use either an "id" or an "external_id" column, not both`);
  const columns = names.flatMap((name, index) => {
    const match = CANDIDATE.exec(name);
    return match ? [{ n: Number(match[1]), index }] : [];
  });
  columns.sort((a, b) => a.n - b.n);
  columns.forEach(({ n }, i) => {
    if (n !== i + 1)
      fail(
        `candidate columns must be numbered candidate_1, candidate_2, … without gaps (missing "candidate_${i + 1}")`,
      );
  });
  // Unnamed columns are what spreadsheets leave after trailing commas; they carry nothing worth keeping.
  const known = (n: string) => n === "" || n === "prompt" || n === "id" || n === "external_id" || CANDIDATE.test(n);
  return {
    names,
    candidates: columns.map((c) => c.index),
    metadata: names.flatMap((n, i) => (known(n) ? [] : [i])),
  };
}

function readRecord(header: THeader, cells: string[]): TRowItem {
  if (cells.length !== header.names.length)
    fail(`the record has ${cells.length} cells, but the header has ${header.names.length} columns`);
  const cell = (name: string) => cells[header.names.indexOf(name)] ?? "";
  const texts = header.candidates.map((i) => cells[i] ?? "");
  // Spreadsheets pad rows with empty trailing cells, so only a gap before a filled cell is an error.
  let count = texts.length;
  while (count > 0 && texts[count - 1]?.trim() === "") count--;
  const candidates = texts.slice(0, count).map((t, i) => {
    if (t.trim() === "") fail(`"candidate_${i + 1}" is empty, but a later candidate is set`);
    return text(t, `candidate_${i + 1}`, STRICT);
  });
  const item: TRowItem = { messages: [{ role: "user", content: text(cell("prompt"), "prompt", STRICT) }], candidates };
  const id = (cell("id") || cell("external_id")).trim();
  if (id !== "") item.externalId = id;
  const metadata: Record<string, string> = {};
  for (const i of header.metadata) {
    const name = header.names[i];
    const value = cells[i];
    if (name !== undefined && value) metadata[name] = value;
  }
  if (Object.keys(metadata).length > 0) item.metadata = metadata;
  return item;
}

function lineBreaks(s: string): number {
  return s.match(/\r\n|\r|\n/g)?.length ?? 0;
}

type TChunk = { record: string[]; raw: string } | { error: Error; raw: string };

/**
 * A syntax error would normally error the stream and discard records still buffered before it, so errors are
 * pushed into the record stream instead (in order) and reading stops at the first one: after a broken quote,
 * csv-parse's recovery misreads the rest of the file.
 */
function recordStream(bytes: Readable, maxRecordBytes: number): Readable {
  let failed = false;
  const parser = parse({
    max_record_size: maxRecordBytes,
    bom: true,
    raw: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error, raw) => {
      if (!failed && error) parser.push({ error, raw: raw ?? "" } satisfies TChunk);
      failed = true;
      return undefined;
    },
  });
  return pipeline(bytes, parser, () => {});
}

/**
 * csv-parse's own line counter miscounts CRLF inside quoted cells, so the start line of each record is derived
 * from its raw text: line breaks consumed so far, plus the blank lines the parser skipped before the record.
 */
export async function* csvRows(bytes: Readable, opts: { maxRecordBytes: number }): AsyncGenerator<TParsed> {
  const stream = recordStream(bytes, opts.maxRecordBytes);
  const chunks = (stream as AsyncIterable<TChunk>)[Symbol.asyncIterator]();
  let consumed = 0;
  let header: THeader | null = null;
  try {
    for (;;) {
      let next: IteratorResult<TChunk>;
      try {
        next = await chunks.next();
      } catch (err) {
        if (err instanceof ImportLimitError) {
          yield { kind: "issue", issue: { line: err.line, message: err.message } };
          return;
        }
        const reason = err instanceof Error ? err.message : String(err);
        yield {
          kind: "issue",
          issue: { line: consumed + 1, message: `the file could not be read past this point (${reason})` },
        };
        return;
      }
      if (next.done) break;
      const line = consumed + lineBreaks(/^[\r\n]*/.exec(next.value.raw)?.[0] ?? "") + 1;
      consumed += lineBreaks(next.value.raw);
      if ("error" in next.value) {
        // Its "at line N" counts differently from ours (CRLF), so only our start line is shown.
        const reason = next.value.error.message.replace(/ at line \d+/, "");
        yield { kind: "issue", issue: { line, message: `invalid CSV, reading stopped here (${reason})` } };
        return;
      }
      const { record } = next.value;
      try {
        if (header === null) {
          header = readHeader(record);
          continue;
        }
        if (record.every((c) => c.trim() === "")) continue;
        yield { kind: "item", item: { line, ...readRecord(header, record) } };
      } catch (err) {
        if (!(err instanceof RowIssue)) throw err;
        yield { kind: "issue", issue: { line, message: err.message } };
        // Without a usable header no record can be read, so one issue is enough.
        if (header === null) return;
      }
    }
    if (header === null)
      yield { kind: "issue", issue: { line: 1, message: "the file is empty: a header row is required" } };
  } finally {
    stream.destroy();
  }
}
