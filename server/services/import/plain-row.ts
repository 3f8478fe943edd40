// Plain prompt rows (`{"prompt"}` or `{"messages"}`, optional candidates/id/metadata) from JSONL; not preference pairs.
import type { TRowItem } from "./import-types";
import {
  conversation,
  externalId,
  fail,
  isRecord,
  metadataObject,
  rejectUnknownKeys,
  text,
  type TRecord,
} from "./fields";

const KEYS = ["prompt", "messages", "candidates", "id", "external_id", "metadata"] as const;
const STRICT = { allowEmpty: false };

function candidates(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(`"candidates" must be an array of strings or of objects with "text"`);
  return value.map((c, i) => {
    const field = `candidates[${i}]`;
    if (typeof c === "string") return text(c, field, STRICT);
    if (!isRecord(c)) fail(`"${field}" must be a string or an object with "text"`);
    rejectUnknownKeys(c, ["text"], `${field}.`);
    return text(c.text, `${field}.text`, STRICT);
  });
}

export function plainRow(obj: TRecord): TRowItem {
  rejectUnknownKeys(obj, KEYS);
  if (obj.prompt !== undefined && obj.messages !== undefined) fail(`use either "prompt" or "messages", not both`);
  const messages =
    obj.messages !== undefined
      ? conversation(obj.messages, "messages", STRICT)
      : [{ role: "user" as const, content: text(obj.prompt, "prompt", STRICT) }];
  const item: TRowItem = { messages, candidates: candidates(obj.candidates) };
  const id = externalId(obj);
  if (id !== undefined) item.externalId = id;
  const metadata = metadataObject(obj.metadata);
  if (metadata !== undefined) item.metadata = metadata;
  return item;
}
