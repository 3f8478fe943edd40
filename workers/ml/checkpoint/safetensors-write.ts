// Writes one .safetensors file (F32, F16, BF16, I32, I64) tensor by tensor; not a checkpoint-directory layout.
import fs from "node:fs";
import { writeFileAtomic } from "./atomic-write";
import { DTYPE_BYTES, f32ToBf16, f32ToF16 } from "./dtype";
import { numel } from "./safetensors-read";

/** One tensor to write: float data for F32/F16/BF16 (rounded to nearest even), integers for I32/I64. */
export type TTensorToWrite = { name: string; shape: readonly number[] } & (
  | { dtype: "F32" | "F16" | "BF16"; data: Float32Array }
  | { dtype: "I32"; data: Int32Array }
  | { dtype: "I64"; data: BigInt64Array }
);

const CHUNK_ELEMENTS = 1 << 22;

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

function writeTensorData(fd: number, t: TTensorToWrite): void {
  if (t.dtype === "F16" || t.dtype === "BF16") {
    const narrow = t.dtype === "F16" ? f32ToF16 : f32ToBf16;
    const scratch = new Uint16Array(Math.min(t.data.length, CHUNK_ELEMENTS));
    for (let i = 0; i < t.data.length; i += scratch.length) {
      const piece = scratch.subarray(0, Math.min(scratch.length, t.data.length - i));
      narrow(t.data.subarray(i, i + piece.length), piece);
      writeAll(fd, new Uint8Array(piece.buffer, 0, piece.byteLength));
    }
    return;
  }
  writeAll(fd, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

/**
 * Writes `file` (through a temporary file renamed at the end, so a reader never sees half a file).
 * Tensors are laid out by decreasing item size, then name, so each starts aligned to its own size.
 */
export function writeSafetensors(
  file: string,
  tensors: readonly TTensorToWrite[],
  metadata: Record<string, string> = {},
): void {
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  const ordered = [...tensors].sort(
    (a, b) => DTYPE_BYTES[b.dtype] - DTYPE_BYTES[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  let offset = 0;
  for (const t of ordered) {
    if (t.name === "__metadata__" || Object.hasOwn(header, t.name))
      throw new Error(`safetensors: duplicate or reserved tensor name '${t.name}'`);
    const n = numel(t.shape);
    if (t.data.length !== n)
      throw new Error(`safetensors: tensor '${t.name}' has ${t.data.length} values for shape [${t.shape.join(", ")}]`);
    const bytes = n * DTYPE_BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = json.length + ((8 - ((8 + json.length) % 8)) % 8); // NOTE: pad with spaces so data starts 8-aligned
  const head = new Uint8Array(8 + headerLen).fill(0x20);
  new DataView(head.buffer).setBigUint64(0, BigInt(headerLen), true);
  head.set(json, 8);
  writeFileAtomic(file, (fd) => {
    writeAll(fd, head);
    for (const t of ordered) writeTensorData(fd, t);
  });
}
