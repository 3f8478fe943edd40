// What makes an answer correct, for any candidate text: each question carries its truth (the accepted answers
// and the domain values that may also appear), and the checker finds every domain value a text mentions.
// An answer is correct when it mentions an accepted answer and no other value of the domain.
import type { TFacts } from "./facts";

export const QUESTION_TYPES = [
  "capital",
  "continent",
  "currency",
  "language",
  "spelling",
  "length",
  "first-letter",
  "last-letter",
  "reversal",
  "addition",
  "subtraction",
  "comparison",
  "decline",
] as const;
export type TQuestionType = (typeof QUESTION_TYPES)[number];

export interface TTruth {
  readonly type: TQuestionType;
  /** Any of these, mentioned, makes the answer right (a country's languages, a sum). */
  readonly answers: readonly string[];
  /** Domain values that may appear beside the answer without making it wrong (the operands of a sum). */
  readonly allowed: readonly string[];
}

export const DECLINE = "decline";
const DECLINE_RE = /\b(I don't know|I do not know|I'm not sure|I can't help|I cannot help)\b/i;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function mentionsOf(values: readonly string[], text: string): string[] {
  // Longest first, each match blanked out, so "Port Louis" is not also read as a shorter value inside it.
  let rest = text;
  const found: string[] = [];
  for (const v of [...values].sort((a, b) => b.length - a.length)) {
    const re = new RegExp(`(?<![A-Za-z'])${escape(v)}(?![A-Za-z'])`, "g");
    if (re.test(rest)) {
      found.push(v);
      rest = rest.replace(re, " ");
    }
  }
  return found;
}

const strip = (text: string) => text.trim().replace(/[.!]+$/, "");

/** Every value of the question type's domain that the text mentions (deduplicated). */
export function domainMentions(type: TQuestionType, text: string, facts: TFacts): string[] {
  const whole = strip(text);
  const uniq = (xs: string[]) => [...new Set(xs)];
  switch (type) {
    case "capital":
      return mentionsOf(facts.capitals, text);
    case "continent":
      return mentionsOf(facts.continents, text);
    case "currency":
      return mentionsOf(facts.currencies, text);
    case "language":
      return mentionsOf(facts.languages, text);
    case "spelling":
      return uniq(text.match(/\b[a-z](?:-[a-z])+\b/g) ?? []);
    case "length":
    case "addition":
    case "subtraction":
      return uniq(text.match(/(?<![\d-])-?\d+(?!\d)/g) ?? []);
    case "first-letter":
    case "last-letter":
      if (/^[a-z]$/.test(whole)) return [whole];
      return uniq([...text.matchAll(/"([a-z])"/g)].map((m) => m[1] as string));
    case "reversal":
      if (/^[a-z]{2,}$/.test(whole)) return [whole];
      return uniq([...text.matchAll(/"([a-z]{2,})"/g)].map((m) => m[1] as string));
    case "comparison":
      return uniq(text.match(/\b(Yes|No|yes|no)\b/g)?.map((m) => m.charAt(0).toUpperCase() + m.slice(1)) ?? []);
    case "decline":
      return DECLINE_RE.test(text) ? [DECLINE] : [];
  }
}

/** The oracle's verdict on one candidate text. */
export function isCorrect(truth: TTruth, text: string, facts: TFacts): boolean {
  const mentions = domainMentions(truth.type, text, facts);
  if (truth.type !== "decline" && DECLINE_RE.test(text)) return false;
  return (
    mentions.some((m) => truth.answers.includes(m)) &&
    mentions.every((m) => truth.answers.includes(m) || truth.allowed.includes(m))
  );
}
