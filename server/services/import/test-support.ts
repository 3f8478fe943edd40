// Test helpers for the import parsers: feed text as small byte chunks and collect results; not used by the app.
import { gzipSync } from "node:zlib";
import type { TImportFormat } from "../../domain";
import type { TParsed } from "./import-types";
import { parseImportFile } from "./parse-import-file";

/** Small chunks on purpose: lines, multi-byte characters and the gzip magic must survive chunk boundaries. */
// eslint-disable-next-line @typescript-eslint/require-await -- the parser's input is an async iterable, as a request body is; there is nothing to await here
export async function* chunked(data: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

export async function collect(
  data: string | Buffer,
  opts: { format: TImportFormat; filename?: string; gzip?: boolean },
): Promise<TParsed[]> {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const input = opts.gzip ? gzipSync(bytes) : bytes;
  const out: TParsed[] = [];
  for await (const r of parseImportFile(chunked(input), opts)) out.push(r);
  return out;
}

export const jsonl = (...rows: unknown[]): string =>
  rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");

export function issues(results: TParsed[]): { line: number; message: string }[] {
  return results.flatMap((r) => (r.kind === "issue" ? [r.issue] : []));
}

export function items(results: TParsed[]) {
  return results.flatMap((r) => (r.kind === "item" ? [r.item] : []));
}
