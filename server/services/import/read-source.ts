// Turns an upload (stream or async iterable of bytes) into a decompressed byte stream or numbered lines; no parsing of content.
import { Readable, pipeline } from "node:stream";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";

export type TByteInput = NodeJS.ReadableStream | AsyncIterable<Buffer>;

const GZIP_MAGIC = [0x1f, 0x8b] as const;

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk), "utf8");
}

/** Peeks at the first bytes (a chunk can be a single byte) to decide on gunzip, then replays them. */
export async function openBytes(input: TByteInput): Promise<Readable> {
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
  if (!gzipped) return raw;
  // pipeline (not pipe) so a corrupt gzip or a failing upload surfaces as an error on the returned stream.
  return pipeline(raw, createGunzip(), () => {});
}

/** Yields every line with its 1-based number, as an editor shows it (CRLF-aware, blank lines included). */
export async function* numberedLines(bytes: Readable): AsyncGenerator<{ line: number; text: string }> {
  const rl = createInterface({ input: bytes, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line += 1;
      // A UTF-8 byte-order mark is an editor artefact, not content.
      yield { line, text: line === 1 ? text.replace(/^\uFEFF/, "") : text };
    }
  } finally {
    rl.close();
    bytes.destroy();
  }
}
