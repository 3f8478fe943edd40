// TRL preference rows (standard, conversational, implicit-prompt conversational) to a prompt plus [chosen, rejected].
import type { TMessage } from "../../domain";
import type { TRowItem } from "./import-types";
import {
  conversation,
  externalId,
  fail,
  message,
  metadataObject,
  rejectUnknownKeys,
  text,
  type TRecord,
} from "./fields";

const KEYS = ["prompt", "chosen", "rejected", "id", "external_id", "metadata"] as const;
// Numeric side columns that TRL trainers or dataset builders attach (RewardTrainer reads "margin").
const SCORE_KEY = /^(margin|score|score_\w+|\w+_score)$/;
// TRL datasets do contain empty completions; keeping them keeps the pair intact.
const LOOSE = { allowEmpty: true };

function reply(value: unknown, field: string): string {
  if (!Array.isArray(value) || value.length !== 1) fail(`"${field}" must be a list of exactly one assistant message`);
  const m = message(value[0], `${field}[0]`, LOOSE);
  if (m.role !== "assistant") fail(`"${field}[0].role" must be assistant`);
  return m.content;
}

function sameTurn(a: TMessage | undefined, b: TMessage | undefined): boolean {
  return a !== undefined && b !== undefined && a.role === b.role && a.content === b.content;
}

/** Implicit prompt: both lists are whole conversations; everything but their last (assistant) turn must match. */
function implicitPrompt(chosenValue: unknown, rejectedValue: unknown): { messages: TMessage[]; candidates: string[] } {
  const whole = (v: unknown, field: string): TMessage[] => {
    if (!Array.isArray(v) || v.length < 2)
      fail(`"${field}" must be a conversation of at least two messages when there is no "prompt"`);
    return v.map((m, i) => message(m, `${field}[${i}]`, LOOSE));
  };
  const chosen = whole(chosenValue, "chosen");
  const rejected = whole(rejectedValue, "rejected");
  if (chosen.length !== rejected.length) {
    fail(
      `"chosen" and "rejected" must share every turn but the last (they have ${chosen.length} and ${rejected.length} turns)`,
    );
  }
  const differs = chosen.findIndex((m, i) => i < chosen.length - 1 && !sameTurn(m, rejected[i]));
  if (differs >= 0)
    fail(`"chosen" and "rejected" must share every turn but the last (they differ at "chosen[${differs}]")`);
  const lastChosen = chosen[chosen.length - 1];
  const lastRejected = rejected[rejected.length - 1];
  if (lastChosen?.role !== "assistant") fail(`"chosen[${chosen.length - 1}].role" must be assistant`);
  if (lastRejected?.role !== "assistant") fail(`"rejected[${rejected.length - 1}].role" must be assistant`);
  return {
    messages: conversation(chosen.slice(0, -1), "chosen", LOOSE),
    candidates: [lastChosen.content, lastRejected.content],
  };
}

function pair(obj: TRecord): { messages: TMessage[]; candidates: string[] } {
  if (obj.chosen === undefined) fail(`"chosen" is required`);
  if (obj.rejected === undefined) fail(`"rejected" is required`);
  if (obj.prompt === undefined) {
    if (typeof obj.chosen === "string") {
      fail(
        `"chosen"/"rejected" without "prompt" must be message lists; string transcripts are HH-RLHF rows (use format hh or auto)`,
      );
    }
    return implicitPrompt(obj.chosen, obj.rejected);
  }
  if (typeof obj.prompt === "string") {
    if (typeof obj.chosen !== "string") fail(`"chosen" must be a string, like "prompt"`);
    if (typeof obj.rejected !== "string") fail(`"rejected" must be a string, like "prompt"`);
    return {
      messages: [{ role: "user", content: text(obj.prompt, "prompt", { allowEmpty: false }) }],
      candidates: [text(obj.chosen, "chosen", LOOSE), text(obj.rejected, "rejected", LOOSE)],
    };
  }
  return {
    messages: conversation(obj.prompt, "prompt", LOOSE),
    candidates: [reply(obj.chosen, "chosen"), reply(obj.rejected, "rejected")],
  };
}

export function trlRow(obj: TRecord): TRowItem {
  const scores: TRecord = {};
  const rest: TRecord = {};
  for (const [key, value] of Object.entries(obj)) {
    if (!SCORE_KEY.test(key)) rest[key] = value;
    else if (typeof value === "number" && Number.isFinite(value)) scores[key] = value;
    else fail(`"${key}" must be a number`);
  }
  rejectUnknownKeys(rest, KEYS);
  const item: TRowItem = pair(rest);
  const id = externalId(rest);
  if (id !== undefined) item.externalId = id;
  const metadata = metadataObject(rest.metadata);
  if (metadata !== undefined || Object.keys(scores).length > 0) item.metadata = { ...metadata, ...scores };
  return item;
}
