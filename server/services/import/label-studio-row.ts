// One Label Studio task of its JSON export (a ranking project: the Ranker or Pairwise tag) as a prompt with
// candidates and one judgment per annotation; no I/O. Documented in fixtures/README.md.
import type { TMessage } from "../../domain";
import type { TImportJudgment, TRowItem } from "./import-types";
import { conversation, fail, isRecord, text, type TRecord } from "./fields";
import { annotatorId, onePerAnnotator, optionalDate, tiersFromGroups } from "./ranking-fields";

/** The Pairwise tag's two texts when its result does not name them: the RLHF template's fields. */
const PAIRWISE_FIELDS = ["answer1", "answer2"] as const;
/** The Ranker's column of items not sorted into a bucket. */
const UNSORTED = "_";

type TCandidates = { keys: string[]; texts: string[] };

function prompt(data: TRecord): TMessage[] {
  if (data.messages !== undefined) return conversation(data.messages, "data.messages", { allowEmpty: false });
  if (data.prompt === undefined) fail(`"data" must hold the prompt: "data.prompt" (text) or "data.messages"`);
  return [{ role: "user", content: text(data.prompt, "data.prompt", { allowEmpty: false }) }];
}

function itemCandidates(items: unknown): TCandidates {
  if (!Array.isArray(items)) fail(`"data.items" must be the Ranker's list: [{ "id", "body" }, ...]`);
  const keys: string[] = [];
  const texts = items.map((item, i) => {
    const field = `data.items[${i}]`;
    if (!isRecord(item)) fail(`"${field}" must be an object with "id" and "body"`);
    if (typeof item.id !== "string" && typeof item.id !== "number") fail(`"${field}.id" must be a string or a number`);
    const key = String(item.id);
    if (keys.includes(key)) fail(`"${field}.id" is "${key}" again; each item needs its own id`);
    keys.push(key);
    const body = item.body ?? item.text;
    return text(body, `${field}.${item.body !== undefined ? "body" : "text"}`, { allowEmpty: false });
  });
  return { keys, texts };
}

/** The Pairwise tag's `to_name` ("answer1,answer2") names the two compared texts, left first. */
function pairwiseCandidates(data: TRecord, toName: unknown): TCandidates {
  const named = typeof toName === "string" ? toName.split(",").map((s) => s.trim()) : [];
  const keys = named.length === 2 && named.every((k) => data[k] !== undefined) ? named : [...PAIRWISE_FIELDS];
  if (keys.some((k) => data[k] === undefined))
    fail(`"data" must hold "items" (a Ranker list) or "${keys[0]}" and "${keys[1]}" (the two texts of a Pairwise tag)`);
  return { keys, texts: keys.map((k) => text(data[k], `data.${k}`, { allowEmpty: false })) };
}

function rankingResults(annotation: TRecord, field: string): TRecord[] {
  const result = annotation.result ?? [];
  if (!Array.isArray(result)) fail(`"${field}.result" must be an array of results`);
  return result.filter((r): r is TRecord => isRecord(r) && (r.type === "ranker" || r.type === "pairwise"));
}

function groupsOf(result: TRecord, keys: string[], field: string): string[][] {
  const value = isRecord(result.value) ? result.value : fail(`"${field}.value" must be an object`);
  if (result.type === "pairwise") {
    if (keys.length !== 2) fail(`"${field}" is a pairwise choice, but the task has ${keys.length} candidates`);
    if (value.selected === "left") return [[keys[0]!], [keys[1]!]];
    if (value.selected === "right") return [[keys[1]!], [keys[0]!]];
    fail(`"${field}.value.selected" must be "left" or "right"`);
  }
  const ranker = value.ranker;
  const ids = (list: unknown, at: string): string[] => {
    if (!Array.isArray(list) || !list.every((x) => typeof x === "string" || typeof x === "number"))
      fail(`"${at}" must be a list of item ids`);
    return list.map(String);
  };
  // A plain List + Ranker: the items in their new order (the tag's name the one key; older versions a bare list).
  if (Array.isArray(ranker)) return ids(ranker, `${field}.value.ranker`).map((id) => [id]);
  if (!isRecord(ranker)) fail(`"${field}.value.ranker" must be the ranked ids or the buckets`);
  const names = Object.keys(ranker);
  const only = names.length === 1 ? names[0]! : null;
  if (only !== null && only === result.from_name)
    return ids(ranker[only], `${field}.value.ranker.${only}`).map((id) => [id]);
  // Buckets, in the order of the Bucket tags (best first); the unsorted column is left to the last tier.
  return names.filter((name) => name !== UNSORTED).map((name) => ids(ranker[name], `${field}.value.ranker.${name}`));
}

/**
 * A task: `data.prompt` (or `data.messages`) is the prompt; the candidates are `data.items` (the Ranker's list,
 * `{ id, body }`) or the two texts of a Pairwise tag (`data.answer1`, `data.answer2`, or the fields its result's
 * `to_name` names). Each annotation that was not cancelled is one judgment of its `completed_by` user: a Ranker
 * result orders the items (buckets are tiers of ties, in their export order; unsorted items come last), a
 * Pairwise result (`selected`: left or right) prefers one text. The task id becomes the external id.
 */
export function labelStudioRow(task: TRecord): TRowItem {
  const data = isRecord(task.data) ? task.data : fail(`"data" must be the task's data object`);
  const messages = prompt(data);
  const annotations = task.annotations ?? [];
  if (!Array.isArray(annotations)) fail(`"annotations" must be an array`);
  const kept = annotations
    .map((a, i) => ({ a: a as unknown, field: `annotations[${i}]` }))
    .filter(({ a, field }) => {
      if (!isRecord(a)) fail(`"${field}" must be an annotation object`);
      return a.was_cancelled !== true;
    }) as { a: TRecord; field: string }[];
  const results = kept.map(({ a, field }) => {
    const found = rankingResults(a, field);
    if (found.length === 0) fail(`"${field}" has no "ranker" or "pairwise" result to import`);
    if (found.length > 1) fail(`"${field}" has ${found.length} ranking results; a task can carry one ranking`);
    return found[0]!;
  });
  const pairwise = results.find((r) => r.type === "pairwise");
  const { keys, texts } =
    data.items !== undefined ? itemCandidates(data.items) : pairwiseCandidates(data, pairwise?.to_name);
  const judgments: { ranking: TImportJudgment; field: string }[] = [];
  kept.forEach(({ a, field }, i) => {
    const by = isRecord(a.completed_by) ? a.completed_by.id : a.completed_by;
    const annotator = annotatorId(by, `${field}.completed_by`);
    const tiers = tiersFromGroups(groupsOf(results[i]!, keys, `${field}.result`), keys, `${field}.result`);
    const createdAt = optionalDate(a.created_at, `${field}.created_at`);
    if (tiers)
      judgments.push({
        ranking: { from: "label-studio", annotator, tiers, ...(createdAt ? { createdAt } : {}) },
        field,
      });
  });
  const id = task.id;
  if (id !== undefined && typeof id !== "number" && typeof id !== "string") fail(`"id" must be the task's id`);
  return {
    messages,
    candidates: texts,
    candidateMetadata: keys.map((key) => ({ label_studio: { item: key } })),
    ...(id !== undefined ? { externalId: `label-studio:${id}`, metadata: { label_studio_task: id } } : {}),
    judgments: onePerAnnotator(judgments),
  };
}
