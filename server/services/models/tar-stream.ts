// A POSIX ustar archive written as a stream of chunks (header, file bytes, padding), one file at a time, so a
// checkpoint of any size leaves the server without being held in memory. Regular files only, names of at most
// 100 bytes, sizes under 8 GiB (ustar's 11 octal digits); anything else is refused, never written truncated.
import fs from "node:fs";

export type TTarEntry = { name: string; path: string; size: number; mtime: Date };

const BLOCK = 512;
export const TAR_MAX_SIZE = 8 ** 11 - 1;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0") + "\0";
}

export function tarHeader(e: Pick<TTarEntry, "name" | "size" | "mtime">): Uint8Array {
  const name = Buffer.from(e.name, "utf8");
  if (name.length > 100) throw new Error(`tar: the name ${e.name} is longer than 100 bytes`);
  if (!Number.isSafeInteger(e.size) || e.size < 0 || e.size > TAR_MAX_SIZE)
    throw new Error(`tar: ${e.name} is ${e.size} bytes, more than a ustar entry holds`);
  const h = Buffer.alloc(BLOCK, 0);
  name.copy(h, 0);
  h.write(octal(0o644, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(e.size, 12), 124, "ascii");
  h.write(octal(Math.floor(e.mtime.getTime() / 1000), 12), 136, "ascii");
  h.write("        ", 148, "ascii"); // NOTE: the checksum is summed with its own field as spaces
  h.write("0", 156, "ascii");
  h.write("ustar\u000000", 257, "ascii");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + " ", 148, "ascii");
  return h;
}

/** The archive's bytes: each entry's header, its contents (read from disk as they are sent), padding, then the end. */
export async function* tarChunks(entries: readonly TTarEntry[]): AsyncGenerator<Uint8Array> {
  for (const e of entries) {
    yield tarHeader(e);
    let sent = 0;
    for await (const chunk of fs.createReadStream(e.path)) {
      const c = chunk as Buffer;
      sent += c.length;
      if (sent > e.size) throw new Error(`tar: ${e.name} grew while it was being sent`);
      yield c;
    }
    if (sent !== e.size) throw new Error(`tar: ${e.name} changed size while it was being sent`);
    const pad = (BLOCK - (e.size % BLOCK)) % BLOCK;
    if (pad > 0) yield new Uint8Array(pad);
  }
  yield new Uint8Array(2 * BLOCK);
}
