// De-duplication key of an imported prompt: sha256 over its turns and candidate texts; not a security measure.
import { createHash } from "node:crypto";
import type { TMessage } from "../../domain";

/**
 * The canonical form is built from arrays in a fixed order, so key order in the source file, ids and metadata
 * do not change the hash; candidate order does, because it can carry meaning (HH: chosen first).
 */
export function contentHash(item: { messages: TMessage[]; candidates: string[] }): string {
  const canonical = JSON.stringify([item.messages.map((m) => [m.role, m.content]), item.candidates]);
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
