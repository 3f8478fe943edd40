// Reads a JSONL file (gzip when the name ends in .gz) into one JSON value per line with its 1-based line number.
// Only "one JSON value per line"; what a row must hold is formats.ts's business.
import fs from "node:fs";
import readline from "node:readline";
import zlib from "node:zlib";
import type { z } from "zod";

export interface TJsonlRow {
  /** 1-based line number in the file (blank lines count). */
  readonly line: number;
  readonly value: unknown;
}

/** An error about one line of a file, written `file:line: what is wrong` like a compiler's. */
export class JsonlError extends Error {
  override name = "JsonlError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly what: string,
  ) {
    super(`${file}:${line}: ${what}`);
  }
}

function parseLine(text: string, line: number, file: string): TJsonlRow | null {
  // NOTE: a UTF-8 byte order mark at the start of the file is not part of the first value.
  const body = line === 1 ? text.replace(/^\uFEFF/, "") : text;
  if (body.trim() === "") return null;
  try {
    return { line, value: JSON.parse(body) as unknown };
  } catch (e) {
    throw new JsonlError(file, line, `invalid JSON (${(e as Error).message})`);
  }
}

/** Streams the rows of `file`; blank lines are skipped (but counted). A missing file throws before the first row. */
export async function* streamJsonl(file: string): AsyncGenerator<TJsonlRow> {
  await fs.promises.access(file, fs.constants.R_OK).catch((e: unknown) => {
    throw new Error(`${file}: cannot read (${(e as Error).message})`, { cause: e });
  });
  const raw = fs.createReadStream(file);
  const input = file.endsWith(".gz") ? raw.pipe(zlib.createGunzip()) : raw;
  // NOTE: readline's iterator throws its input's errors (gunzip's); pipe() does not forward the file stream's,
  // so those are recorded here and end the line reader.
  let failure = null as Error | null; // set by the stream's error handler: not narrowed to null
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const named = (e: unknown) => (e instanceof JsonlError ? e : new Error(`${file}: ${(e as Error).message}`, { cause: e }));
  raw.on("error", (e) => {
    failure ??= named(e);
    rl.close();
  });
  let line = 0;
  try {
    for await (const text of rl) {
      line += 1;
      const row = parseLine(text, line, file);
      if (row) yield row;
    }
  } catch (e) {
    throw named(e);
  } finally {
    rl.close();
    raw.destroy();
  }
  if (failure) throw failure;
}

/** All rows of `file` (see streamJsonl). */
export async function readJsonl(file: string): Promise<TJsonlRow[]> {
  const rows: TJsonlRow[] = [];
  for await (const row of streamJsonl(file)) rows.push(row);
  return rows;
}

/** Rows of JSONL text already in memory; `file` names it in errors. */
export function parseJsonlText(text: string, file = "<jsonl>"): TJsonlRow[] {
  const rows: TJsonlRow[] = [];
  text.split("\n").forEach((l, i) => {
    const row = parseLine(l.endsWith("\r") ? l.slice(0, -1) : l, i + 1, file);
    if (row) rows.push(row);
  });
  return rows;
}

/** zod issues as `path: message; path: message` (the row itself has the empty path). */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** `row.value` checked against `schema`, or a JsonlError naming the line and every issue. */
export function parseRow<S extends z.ZodType>(schema: S, row: TJsonlRow, file: string): z.output<S> {
  const parsed = schema.safeParse(row.value);
  if (!parsed.success) throw new JsonlError(file, row.line, formatIssues(parsed.error));
  return parsed.data;
}
