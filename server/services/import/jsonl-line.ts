// One JSONL line: JSON parsing, shape detection (plain / HH / TRL) and dispatch to the row parser; no I/O.
import type { TImportFormat } from "../../domain";
import type { TRowItem } from "./import-types";
import { fail, isRecord, type TRecord } from "./fields";
import { hhRow } from "./hh-row";
import { plainRow } from "./plain-row";
import { trlRow } from "./trl-row";
import { isOasstTree, oasstRows } from "./oasst-row";

type TShape = "plain" | "hh" | "trl" | "oasst";

/** Each line is judged by itself, so a file may mix shapes under "auto". */
export function detectShape(obj: TRecord): TShape | null {
  if (isOasstTree(obj)) return "oasst";
  const pair = obj.chosen !== undefined || obj.rejected !== undefined;
  if (pair && obj.prompt !== undefined) return "trl";
  if (pair) return Array.isArray(obj.chosen) || Array.isArray(obj.rejected) ? "trl" : "hh";
  if (obj.prompt !== undefined || obj.messages !== undefined) return "plain";
  return null;
}

const EXPECTED: Record<TShape, string> = {
  plain: `format "jsonl" expects "prompt" or "messages"`,
  hh: `format "hh" expects "chosen" and "rejected" transcripts without "prompt"`,
  trl: `format "trl" expects "prompt", "chosen" and "rejected" (or "chosen"/"rejected" message lists)`,
  oasst: `format "oasst" expects a message tree: "prompt" a prompter message with "replies"`,
};
const DESCRIBED: Record<TShape, string> = {
  plain: "a plain prompt",
  hh: "an HH-RLHF pair",
  trl: "a TRL preference row",
  oasst: "an OASST message tree",
};

function wanted(format: Exclude<TImportFormat, "csv" | "label-studio" | "argilla">): TShape | null {
  if (format === "jsonl") return "plain";
  if (format === "auto") return null;
  return format;
}

/**
 * Deepest nesting of arrays and objects in JSON text, found without parsing: checked before JSON.parse
 * and the row parsers (which recurse) so a hostile line cannot exhaust the stack.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** One item per line, except an OASST tree: one per prompter message with ranked replies. */
export function parseJsonlLine(
  line: string,
  format: Exclude<TImportFormat, "csv" | "label-studio" | "argilla">,
  maxDepth = 64,
): TRowItem | TRowItem[] {
  const depth = jsonDepth(line);
  if (depth > maxDepth)
    fail(`the row is nested ${depth} levels deep; at most ${maxDepth} are allowed (IMPORT_MAX_DEPTH)`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    fail(`invalid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isRecord(value)) fail("each line must be a JSON object");
  const shape = detectShape(value);
  const forced = wanted(format);
  if (shape === null) {
    fail(
      forced
        ? EXPECTED[forced]
        : `cannot tell what this line is: expected "prompt", "messages", or "chosen" and "rejected"`,
    );
  }
  if (forced !== null && forced !== shape) {
    fail(`${EXPECTED[forced]}, but this line looks like ${DESCRIBED[shape]} (use format auto)`);
  }
  if (shape === "oasst") return oasstRows(value);
  if (shape === "hh") return hhRow(value);
  if (shape === "trl") return trlRow(value);
  return plainRow(value);
}
