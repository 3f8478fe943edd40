// One Argilla record of an exported ranking dataset (a RankingQuestion; Argilla 1.x FeedbackDataset or 2.x) as a
// prompt with candidates and one judgment per submitted response; no I/O. Documented in fixtures/README.md.
import type { TImportJudgment, TRowItem } from "./import-types";
import { fail, isRecord, text, type TRecord } from "./fields";
import { annotatorId, onePerAnnotator, optionalDate, tiersFromGroups } from "./ranking-fields";

/** The field holding the prompt: the first of these the record has. */
const PROMPT_FIELDS = ["prompt", "instruction", "question", "input"] as const;

type TResponse = { user: unknown; status: unknown; value: unknown; question: string; at: unknown; field: string };

/** Argilla 2.x: `responses: { question: [{ value, user_id, status }] }`; 1.x: `[{ user_id, status, values: { question: { value } } }]`. */
function responsesOf(record: TRecord): TResponse[] {
  const responses = record.responses ?? [];
  const out: TResponse[] = [];
  if (Array.isArray(responses)) {
    responses.forEach((r, i) => {
      const field = `responses[${i}]`;
      if (!isRecord(r) || !isRecord(r.values)) fail(`"${field}" must be a response with "user_id" and "values"`);
      for (const [question, v] of Object.entries(r.values)) {
        if (!isRecord(v)) fail(`"${field}.values.${question}" must be { "value": ... }`);
        out.push({ user: r.user_id, status: r.status, value: v.value, question, at: r.updated_at, field });
      }
    });
  } else if (isRecord(responses)) {
    for (const [question, list] of Object.entries(responses)) {
      if (!Array.isArray(list)) fail(`"responses.${question}" must be a list of responses`);
      list.forEach((r, i) => {
        const field = `responses.${question}[${i}]`;
        if (!isRecord(r)) fail(`"${field}" must be a response with "value" and "user_id"`);
        out.push({ user: r.user_id, status: r.status, value: r.value, question, at: r.updated_at, field });
      });
    }
  } else fail(`"responses" must be a list (Argilla 1.x) or an object by question (Argilla 2.x)`);
  return out;
}

/** A ranking value: option names best first (2.x), or `[{ value, rank }]` (1.x: rank 1 best, equal ranks tie). */
function groupsOf(value: unknown, field: string): string[][] {
  if (!Array.isArray(value)) fail(`"${field}" must be a ranking`);
  if (value.every((v) => typeof v === "string")) return value.map((v) => [v]);
  const byRank = new Map<number, string[]>();
  value.forEach((v, i) => {
    if (!isRecord(v) || typeof v.value !== "string") fail(`"${field}[${i}]" must be { "value", "rank" }`);
    if (v.rank === null || v.rank === undefined) return; // not ranked: joins the last tier
    if (!(Number.isInteger(v.rank) && (v.rank as number) >= 1))
      fail(`"${field}[${i}].rank" must be a whole number from 1 (the best) or null`);
    const rank = v.rank as number;
    byRank.set(rank, [...(byRank.get(rank) ?? []), v.value]);
  });
  return [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, names]) => names);
}

/**
 * A record: the prompt is the first of `fields.prompt`, `instruction`, `question`, `input`; every other field is a
 * candidate answer, in the record's order, and the ranking question's options name them. Each submitted response
 * (drafts and discarded ones are left out) to the one ranking question is a judgment of its `user_id`. The record's
 * `external_id` (1.x) or `id` (2.x) becomes the external id.
 */
export function argillaRow(record: TRecord): TRowItem {
  const fields = isRecord(record.fields) ? record.fields : fail(`"fields" must be the record's fields object`);
  const promptField = PROMPT_FIELDS.find((f) => fields[f] !== undefined);
  if (!promptField) fail(`"fields" must hold the prompt in one of ${PROMPT_FIELDS.map((f) => `"${f}"`).join(", ")}`);
  const content = text(fields[promptField], `fields.${promptField}`, { allowEmpty: false });
  const keys = Object.keys(fields).filter((k) => k !== promptField);
  const texts = keys.map((k) => text(fields[k], `fields.${k}`, { allowEmpty: false }));
  const rankings = responsesOf(record).filter((r) => Array.isArray(r.value));
  const questions = [...new Set(rankings.map((r) => r.question))];
  if (questions.length > 1)
    fail(`the record answers ${questions.length} ranking questions (${questions.join(", ")}); import one at a time`);
  const judgments: { ranking: TImportJudgment; field: string }[] = [];
  for (const r of rankings) {
    if (r.status !== undefined && r.status !== "submitted") continue;
    const annotator = annotatorId(r.user, `${r.field}.user_id`);
    const at = `${r.field}${r.field.startsWith("responses.") ? "" : `.values.${r.question}`}.value`;
    const tiers = tiersFromGroups(groupsOf(r.value, at), keys, at);
    const createdAt = optionalDate(r.at, `${r.field}.updated_at`);
    if (tiers)
      judgments.push({
        ranking: { from: "argilla", annotator, tiers, ...(createdAt ? { createdAt } : {}) },
        field: r.field,
      });
  }
  const id = record.external_id ?? record.id;
  if (id !== undefined && id !== null && typeof id !== "string" && typeof id !== "number")
    fail(`"${record.external_id !== undefined ? "external_id" : "id"}" must be a string or a number`);
  return {
    messages: [{ role: "user", content }],
    candidates: texts,
    candidateMetadata: keys.map((key) => ({ argilla: { field: key } })),
    ...(id !== undefined && id !== null ? { externalId: `argilla:${id}`, metadata: { argilla_record: id } } : {}),
    judgments: onePerAnnotator(judgments),
  };
}
