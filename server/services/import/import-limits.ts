// Limits that bound what one import may cost (memory, CPU), read once from the environment:
// IMPORT_MAX_BYTES (the file once decompressed), IMPORT_MAX_LINE_BYTES (one line or CSV record),
// IMPORT_MAX_DEPTH (nesting of a row's JSON). README's configuration table documents them.
import { z } from "zod";

const ZLimits = z.object({
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(4 * 1024 ** 3),
  IMPORT_MAX_LINE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(16 * 1024 ** 2),
  IMPORT_MAX_DEPTH: z.coerce.number().int().min(2).max(1000).default(64),
});
export type TImportLimits = { maxBytes: number; maxLineBytes: number; maxDepth: number };

let cached: TImportLimits | undefined;
export function importLimits(): TImportLimits {
  if (cached) return cached;
  const source = Object.fromEntries(
    ["IMPORT_MAX_BYTES", "IMPORT_MAX_LINE_BYTES", "IMPORT_MAX_DEPTH"].flatMap((k) =>
      process.env[k] ? [[k, process.env[k]]] : [],
    ),
  );
  const r = ZLimits.safeParse(source);
  if (!r.success) {
    throw new Error(
      `Invalid environment: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  cached = {
    maxBytes: r.data.IMPORT_MAX_BYTES,
    maxLineBytes: r.data.IMPORT_MAX_LINE_BYTES,
    maxDepth: r.data.IMPORT_MAX_DEPTH,
  };
  return cached;
}

/** "16 MiB", "4 GiB", "300 bytes": how a limit reads in an error. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}

/** A limit was hit: reading stops here (the message names the limit and how to raise it). */
export class ImportLimitError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}
