// Turns an upload (stream or async iterable of bytes) into a decompressed, size-capped byte stream,
// or numbered lines of bytes with a capped length; no parsing of content. The caps hold while
// streaming, so a gzip bomb or a file without line breaks fails with the limit instead of filling memory.
import { isUtf8 } from "node:buffer";
import { Readable, Transform, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { formatBytes, ImportLimitError } from "./import-limits";

export type TByteInput = NodeJS.ReadableStream | AsyncIterable<Buffer>;

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const NL = 0x0a;
const CR = 0x0d;

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk), "utf8");
}

/** Peeks at the first bytes (a chunk can be a single byte) to decide on gunzip, then replays them, capped at `maxBytes`. */
export async function openBytes(input: TByteInput, opts: { maxBytes: number }): Promise<Readable> {
  const it = (input as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < GZIP_MAGIC.length) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    const buf = toBuffer(next.value);
    head.push(buf);
    headBytes += buf.length;
  }
  const first = Buffer.concat(head);
  const gzipped = first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1];
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (first.length > 0) yield first;
      while (!done) {
        const next = await it.next();
        if (next.done) {
          done = true;
          return;
        }
        yield toBuffer(next.value);
      }
    } finally {
      // Stopped early (caller broke off, or an error downstream): release the upload stream too.
      if (!done) await it.return?.();
    }
  }
  const raw = Readable.from(replay(), { objectMode: false });
  // pipeline (not pipe) so a corrupt gzip, a failing upload or the cap surfaces as an error on the returned stream.
  if (!gzipped) return pipeline(raw, capBytes(opts.maxBytes, false), () => {});
  return pipeline(raw, createGunzip(), capBytes(opts.maxBytes, true), () => {});
}

function capBytes(maxBytes: number, isDecompressed: boolean): Transform {
  let total = 0;
  let lines = 1;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      if (total > maxBytes) {
        const what = isDecompressed ? "once decompressed, the file is larger" : "the file is larger";
        done(
          new ImportLimitError(
            `${what} than the import limit of ${formatBytes(maxBytes)} (IMPORT_MAX_BYTES); split the file or raise the limit`,
            lines,
          ),
        );
        return;
      }
      for (let i = chunk.indexOf(NL); i !== -1; i = chunk.indexOf(NL, i + 1)) lines++;
      done(null, chunk);
    },
  });
}

/**
 * Yields every line's bytes with its 1-based number, as an editor shows it (LF or CRLF, blank lines
 * included, a UTF-8 byte-order mark dropped). A line longer than `maxLineBytes` stops reading with
 * an ImportLimitError: only that much of a line is ever held.
 */
export async function* numberedLines(
  bytes: Readable,
  opts: { maxLineBytes: number },
): AsyncGenerator<{ line: number; bytes: Buffer }> {
  let line = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  const tooLong = () =>
    new ImportLimitError(
      `line ${line + 1} is longer than the limit of ${formatBytes(opts.maxLineBytes)} (IMPORT_MAX_LINE_BYTES); reading stopped here`,
      line + 1,
    );
  const take = (tail: Buffer): { line: number; bytes: Buffer } => {
    let b = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    parts = [];
    partBytes = 0;
    line += 1;
    if (b.length > 0 && b[b.length - 1] === CR) b = b.subarray(0, b.length - 1);
    if (line === 1 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    return { line, bytes: b };
  };
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(NL); nl !== -1; nl = chunk.indexOf(NL, start)) {
        if (partBytes + (nl - start) > opts.maxLineBytes + 1) throw tooLong();
        yield take(chunk.subarray(start, nl));
        start = nl + 1;
      }
      if (start < chunk.length) {
        partBytes += chunk.length - start;
        if (partBytes > opts.maxLineBytes + 1) throw tooLong();
        parts.push(chunk.subarray(start));
      }
    }
    if (partBytes > 0) yield take(Buffer.alloc(0));
  } finally {
    bytes.destroy();
  }
}

/**
 * For CSV (where a quoted cell may span lines, so lines are not records): passes the bytes through up
 * to the first line longer than `maxLineBytes` or not UTF-8, then ends the stream there and keeps the
 * reason in `failure()` (ending rather than erroring keeps the records before it, in order).
 */
export function checkedText(opts: { maxLineBytes: number }): Transform & { failure: () => ImportLimitError | null } {
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  let failure: ImportLimitError | null = null;
  /** Offset of the first invalid line in `region` and its number, or null. */
  const firstInvalid = (region: Buffer, firstLine: number): { offset: number; line: number } | null => {
    if (isUtf8(region)) return null;
    let n = firstLine;
    let start = 0;
    for (let nl = region.indexOf(NL); ; nl = region.indexOf(NL, start)) {
      const end = nl === -1 ? region.length : nl;
      if (!isUtf8(region.subarray(start, end))) return { offset: start, line: n };
      if (nl === -1) return null;
      start = nl + 1;
      n++;
    }
  };
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (failure) return done();
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const last = data.lastIndexOf(NL);
      const complete = last === -1 ? Buffer.alloc(0) : data.subarray(0, last + 1);
      carry = last === -1 ? data : data.subarray(last + 1);
      const bad = firstInvalid(complete, line);
      if (bad) {
        failure = new ImportLimitError(INVALID_UTF8, bad.line);
        return done(null, complete.subarray(0, bad.offset));
      }
      line += countNewlines(complete);
      if (carry.length > opts.maxLineBytes) {
        failure = new ImportLimitError(
          `line ${line} is longer than the limit of ${formatBytes(opts.maxLineBytes)} (IMPORT_MAX_LINE_BYTES); reading stopped here`,
          line,
        );
      }
      done(null, complete);
    },
    flush(done) {
      if (!failure && carry.length) {
        const bad = firstInvalid(carry, line);
        if (bad) failure = new ImportLimitError(INVALID_UTF8, bad.line);
        else return done(null, carry);
      }
      done();
    },
  });
  return Object.assign(stream, { failure: () => failure });
}

export const INVALID_UTF8 = "the line is not valid UTF-8 text (save the file as UTF-8)";

function countNewlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(NL); i !== -1; i = b.indexOf(NL, i + 1)) n++;
  return n;
}
