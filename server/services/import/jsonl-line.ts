// One JSONL line: JSON parsing, shape detection (plain / HH / TRL) and dispatch to the row parser; no I/O.
import type { TImportFormat } from "../../domain";
import type { TRowItem } from "./import-types";
import { fail, isRecord, type TRecord } from "./fields";
import { hhRow } from "./hh-row";
import { plainRow } from "./plain-row";
import { trlRow } from "./trl-row";

type TShape = "plain" | "hh" | "trl";

/** Each line is judged by itself, so a file may mix shapes under "auto". */
export function detectShape(obj: TRecord): TShape | null {
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
};
const DESCRIBED: Record<TShape, string> = {
  plain: "a plain prompt",
  hh: "an HH-RLHF pair",
  trl: "a TRL preference row",
};

function wanted(format: Exclude<TImportFormat, "csv">): TShape | null {
  if (format === "jsonl") return "plain";
  if (format === "auto") return null;
  return format;
}

export function parseJsonlLine(line: string, format: Exclude<TImportFormat, "csv">): TRowItem {
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
  if (shape === "hh") return hhRow(value);
  if (shape === "trl") return trlRow(value);
  return plainRow(value);
}
