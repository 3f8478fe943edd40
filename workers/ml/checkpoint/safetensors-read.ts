// Reads one .safetensors file lazily, tensor by tensor, by file offsets; never the whole file at once.
// Layout (huggingface/safetensors): u64 LE header length N, N bytes of JSON, then the tensor bytes.
import fs from "node:fs";
import os from "node:os";
import { z } from "zod";
import { DTYPE_BYTES, bf16ToF32, f16ToF32, isSafetensorsDtype, type TSafetensorsDtype } from "./dtype";

/** One tensor of a file; `begin`/`end` are absolute byte positions in that file. */
export interface TTensorEntry {
  name: string;
  dtype: TSafetensorsDtype;
  shape: number[];
  file: string;
  begin: number;
  end: number;
}

const MAX_HEADER_BYTES = 100_000_000; // the reference implementation's limit
const CHUNK_BYTES = 1 << 24; // reads and conversions go through 16 MiB pieces (readSync caps at 2 GiB)

const ZEntry = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});

if (os.endianness() !== "LE") throw new Error("safetensors: this reader assumes a little-endian host");

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function readFully(fd: number, into: Uint8Array, position: number, file: string): void {
  for (let done = 0; done < into.length;) {
    const n = fs.readSync(fd, into, done, Math.min(into.length - done, CHUNK_BYTES), position + done);
    if (n === 0) throw new Error(`${file}: unexpected end of file at byte ${position + done}`);
    done += n;
  }
}

function parseHeader(
  fd: number,
  file: string,
): { entries: Map<string, TTensorEntry>; metadata: Record<string, string> } {
  const size = fs.fstatSync(fd).size;
  if (size < 8) throw new Error(`${file}: not a safetensors file (${size} bytes)`);
  const lenBytes = new Uint8Array(8);
  readFully(fd, lenBytes, 0, file);
  const headerLen = Number(Buffer.from(lenBytes).readBigUInt64LE(0));
  if (headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) {
    throw new Error(`${file}: header length ${headerLen} does not fit a file of ${size} bytes`);
  }
  const headerBytes = new Uint8Array(headerLen);
  readFully(fd, headerBytes, 8, file);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(headerBytes));
  } catch (e) {
    throw new Error(`${file}: header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new Error(`${file}: header is not a JSON object`);
  const dataStart = 8 + headerLen;
  const entries = new Map<string, TTensorEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(json)) {
    if (name === "__metadata__") {
      const m = z.record(z.string(), z.string()).safeParse(raw);
      if (!m.success) throw new Error(`${file}: __metadata__ must map strings to strings`);
      metadata = m.data;
      continue;
    }
    const p = ZEntry.safeParse(raw);
    if (!p.success) throw new Error(`${file}: bad header entry for '${name}': ${p.error.issues[0]?.message}`);
    const {
      dtype,
      shape,
      data_offsets: [b, e],
    } = p.data;
    if (!isSafetensorsDtype(dtype)) throw new Error(`${file}: tensor '${name}' has unknown dtype '${dtype}'`);
    if (e - b !== numel(shape) * DTYPE_BYTES[dtype]) {
      throw new Error(`${file}: tensor '${name}' (${dtype} [${shape.join(", ")}]) spans ${e - b} bytes`);
    }
    entries.set(name, { name, dtype, shape, file, begin: dataStart + b, end: dataStart + e });
  }
  // Like the reference implementation: the tensors tile the data section exactly, with no gaps or overlaps.
  let cursor = dataStart;
  for (const t of [...entries.values()].sort((x, y) => x.begin - y.begin || x.end - y.end)) {
    if (t.begin !== cursor)
      throw new Error(`${file}: tensor '${t.name}' starts at byte ${t.begin}, expected ${cursor} (gap or overlap)`);
    cursor = t.end;
  }
  if (cursor !== size) throw new Error(`${file}: tensors end at byte ${cursor} but the file has ${size} bytes`);
  return { entries, metadata };
}

/** An open .safetensors file; `close()` releases its descriptor. */
export class SafetensorsFile {
  private fd: number | null;
  readonly entries: ReadonlyMap<string, TTensorEntry>;
  readonly metadata: Readonly<Record<string, string>>;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    try {
      ({ entries: this.entries, metadata: this.metadata } = parseHeader(fd, path));
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  static open(file: string): SafetensorsFile {
    return new SafetensorsFile(file, fs.openSync(file, "r"));
  }

  entry(name: string): TTensorEntry {
    const t = this.entries.get(name);
    if (!t) throw new Error(`${this.path}: no tensor '${name}'`);
    return t;
  }

  private descriptor(): number {
    if (this.fd === null) throw new Error(`${this.path}: file is closed`);
    return this.fd;
  }

  /** The raw little-endian bytes of one tensor. */
  readBytes(name: string): Uint8Array {
    const t = this.entry(name);
    const out = new Uint8Array(t.end - t.begin);
    readFully(this.descriptor(), out, t.begin, this.path);
    return out;
  }

  /** One F32, F16 or BF16 tensor as float32 (F16 and BF16 widen exactly). */
  readFloat32(name: string): Float32Array {
    const t = this.entry(name);
    const out = new Float32Array(numel(t.shape));
    if (t.dtype === "F32") {
      readFully(this.descriptor(), new Uint8Array(out.buffer), t.begin, this.path);
      return out;
    }
    if (t.dtype !== "F16" && t.dtype !== "BF16")
      throw new Error(`${this.path}: tensor '${name}' is ${t.dtype}, not a float tensor`);
    const widen = t.dtype === "F16" ? f16ToF32 : bf16ToF32;
    const scratch = new Uint16Array(Math.min(out.length, CHUNK_BYTES / 2));
    for (let i = 0; i < out.length; i += scratch.length) {
      const piece = scratch.subarray(0, Math.min(scratch.length, out.length - i));
      readFully(this.descriptor(), new Uint8Array(piece.buffer, 0, piece.byteLength), t.begin + 2 * i, this.path);
      widen(piece, out.subarray(i, i + piece.length));
    }
    return out;
  }

  /** One I32 or I64 tensor. */
  readInt(name: string): Int32Array | BigInt64Array {
    const t = this.entry(name);
    if (t.dtype !== "I32" && t.dtype !== "I64")
      throw new Error(`${this.path}: tensor '${name}' is ${t.dtype}, not I32 or I64`);
    const out = t.dtype === "I32" ? new Int32Array(numel(t.shape)) : new BigInt64Array(numel(t.shape));
    readFully(this.descriptor(), new Uint8Array(out.buffer), t.begin, this.path);
    return out;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
