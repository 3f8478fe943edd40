// Field validators shared by the row parsers: each returns a clean value or throws RowIssue naming the field; no I/O.
import { MESSAGE_ROLES, type TMessage } from "../../domain";

export const MAX_TEXT_CHARS = 200_000;

/** Thrown for a row that cannot be imported; its message names the field and is shown to the admin. */
export class RowIssue extends Error {}

export function fail(message: string): never {
  throw new RowIssue(message);
}

export type TRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is TRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** Unknown keys are rejected rather than kept, so a typo ("candidate") cannot silently drop data. */
export function rejectUnknownKeys(obj: TRecord, allowed: readonly string[], prefix = ""): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    // Short keys get no suggestion: any two-letter key is "near" "id".
    const near = allowed.find((a) => distance(a, key) <= Math.min(2, Math.floor(key.length / 3)));
    fail(`unknown key "${prefix}${key}"${near ? ` (did you mean "${prefix}${near}"?)` : ""}`);
  }
}

export function text(value: unknown, field: string, opts: { allowEmpty: boolean }): string {
  if (typeof value !== "string") fail(`"${field}" must be a string`);
  if (value.length > MAX_TEXT_CHARS) fail(`"${field}" is longer than ${MAX_TEXT_CHARS} characters (${value.length})`);
  if (!opts.allowEmpty && value.trim() === "") fail(`"${field}" must not be empty`);
  return value;
}

export function message(value: unknown, field: string, opts: { allowEmpty: boolean }): TMessage {
  if (!isRecord(value)) fail(`"${field}" must be an object with "role" and "content"`);
  rejectUnknownKeys(value, ["role", "content"], `${field}.`);
  const role = MESSAGE_ROLES.find((r) => r === value.role);
  if (!role) fail(`"${field}.role" must be one of ${MESSAGE_ROLES.join(", ")}`);
  return { role, content: text(value.content, `${field}.content`, opts) };
}

/** A prompt conversation: at least one turn, and the user speaks last (the candidates answer them). */
export function conversation(value: unknown, field: string, opts: { allowEmpty: boolean }): TMessage[] {
  if (!Array.isArray(value)) fail(`"${field}" must be an array of messages`);
  if (value.length === 0) fail(`"${field}" must have at least one turn`);
  const turns = value.map((m, i) => message(m, `${field}[${i}]`, opts));
  const last = turns[turns.length - 1];
  if (last?.role !== "user") fail(`the last turn of "${field}" must be the user's, not the ${last?.role}'s`);
  return turns;
}

/** `id` and `external_id` are synonyms; numbers are accepted because many datasets number their rows. */
export function externalId(obj: TRecord): string | undefined {
  if (obj.id !== undefined && obj.external_id !== undefined) fail(`use either "id" or "external_id", not both`);
  const field = obj.id !== undefined ? "id" : "external_id";
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") fail(`"${field}" must be a string or a number`);
  const id = value.trim();
  if (id === "") fail(`"${field}" must not be empty`);
  if (id.length > 200) fail(`"${field}" is longer than 200 characters`);
  return id;
}

export function metadataObject(value: unknown): TRecord | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) fail(`"metadata" must be an object`);
  return value;
}
