// OASST message trees (oasst1/oasst2 ".trees.jsonl" lines) split into prompts with ranked candidates; no I/O.
import type { TMessage } from "../../domain";
import type { TRowItem } from "./import-types";
import { fail, isRecord, text, type TRecord } from "./fields";
import { OASST_ANNOTATOR } from "./imported-accounts";

const ROLES = { prompter: "user", assistant: "assistant" } as const;

/** A line is an OASST tree when its `prompt` is a message node (an object with a role), not a string. */
export function isOasstTree(obj: TRecord): boolean {
  return isRecord(obj.prompt) && (obj.prompt.role !== undefined || obj.prompt.replies !== undefined);
}

type TNode = { id: string; role: "user" | "assistant"; text: string; rank: number | null; replies: TNode[] };

function node(value: unknown, field: string, depth: number): TNode {
  if (depth > 64) fail(`"${field}" is nested more than 64 messages deep`);
  if (!isRecord(value)) fail(`"${field}" must be a message object`);
  const role = ROLES[value.role as keyof typeof ROLES];
  if (!role) fail(`"${field}.role" must be "prompter" or "assistant"`);
  const id = value.message_id;
  if (typeof id !== "string" || id === "") fail(`"${field}.message_id" must be a non-empty string`);
  const rank = value.rank ?? null;
  if (rank !== null && !(Number.isInteger(rank) && (rank as number) >= 0))
    fail(`"${field}.rank" must be a whole number from 0 (the most preferred) or null`);
  const replies = value.replies ?? [];
  if (!Array.isArray(replies)) fail(`"${field}.replies" must be an array of messages`);
  return {
    id,
    role,
    text: text(value.text, `${field}.text`, { allowEmpty: false }),
    rank: rank as number | null,
    replies: replies.map((r, i) => node(r, `${field}.replies[${i}]`, depth + 1)),
  };
}

/**
 * Every prompter message with at least two assistant replies becomes one prompt: the thread from the root down
 * to it is the conversation, its assistant replies are the candidates, best rank first (unranked replies after).
 * Each candidate keeps its source rank and message id as provenance ({ oasst: { rank, message_id } }), as the HH
 * import keeps "chosen"/"rejected", so agreement with OASST's ranking can be measured after labelling. The
 * ranks also become one judgment of the imported labeller "OASST" (one account for every tree: OASST's ranks
 * are already its annotators' merged ranking, not one person's): equal ranks tie, unranked replies share the
 * last tier; with fewer than two tiers there is nothing to record. The prompter message's id is the prompt's
 * external id. A tree with no such message is an error.
 */
export function oasstRows(obj: TRecord): TRowItem[] {
  if (obj.message_tree_id !== undefined && typeof obj.message_tree_id !== "string")
    fail(`"message_tree_id" must be a string`);
  const root = node(obj.prompt, "prompt", 0);
  if (root.role !== "user") fail(`"prompt.role" must be "prompter": a tree starts with the prompter's message`);
  const items: TRowItem[] = [];
  const walk = (n: TNode, path: TMessage[], field: string) => {
    const thread = [...path, { role: n.role, content: n.text }];
    n.replies.forEach((r, i) => {
      if (r.role === n.role) fail(`"${field}.replies[${i}].role" must alternate with its parent's ("${n.role}")`);
    });
    if (n.role === "user" && n.replies.length >= 2) {
      const order = n.replies
        .map((r, i) => ({ r, i }))
        .sort((a, b) => (a.r.rank ?? Infinity) - (b.r.rank ?? Infinity) || a.i - b.i);
      items.push({
        messages: thread,
        candidates: order.map(({ r }) => r.text),
        candidateMetadata: order.map(({ r }) => ({ oasst: { rank: r.rank, message_id: r.id } })),
        externalId: n.id,
        ...oasstJudgment(order.map(({ r }) => r.rank)),
        ...(typeof obj.message_tree_id === "string" ? { metadata: { oasst_tree: obj.message_tree_id } } : {}),
      });
    }
    n.replies.forEach((r, i) => walk(r, thread, `${field}.replies[${i}]`));
  };
  walk(root, [], "prompt");
  if (items.length === 0) fail(`the tree has no prompter message with two or more assistant replies to rank`);
  return items;
}

/** Tiers of candidate positions from ranks already sorted best first (null, unranked, last). */
function oasstJudgment(ranks: (number | null)[]): Pick<TRowItem, "judgments"> {
  const tiers: number[][] = [];
  ranks.forEach((rank, position) => {
    if (position > 0 && rank === ranks[position - 1]) tiers[tiers.length - 1]!.push(position);
    else tiers.push([position]);
  });
  if (tiers.length < 2) return {};
  return { judgments: [{ from: "oasst", annotator: OASST_ANNOTATOR, tiers }] };
}
