// Writes an uploaded request body to a temporary file as it arrives (never whole in memory), so the
// importer can stream it twice (validate, then write).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { AppError } from "../../errors";

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export async function spoolUpload(
  body: ReadableStream<Uint8Array> | null,
): Promise<{ file: string; bytes: number; cleanup: () => void }> {
  if (!body) throw new AppError("BAD_INPUT", "The upload is empty: choose a file.");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-upload-"));
  const file = path.join(dir, "upload");
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  const counted = Readable.fromWeb(body as WebReadableStream<Uint8Array>).on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_UPLOAD_BYTES)
      counted.destroy(new AppError("BAD_INPUT", `The file is larger than ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB.`));
  });
  try {
    await pipeline(counted, fs.createWriteStream(file));
  } catch (e) {
    cleanup();
    throw e;
  }
  if (bytes === 0) {
    cleanup();
    throw new AppError("BAD_INPUT", "The uploaded file is empty.");
  }
  return { file, bytes, cleanup };
}
