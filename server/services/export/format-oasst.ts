// OASST-style message trees (oasst1/oasst2 ".trees.jsonl"): a prompter root with ranked assistant replies; no I/O.
import type { TMessage, TTiers } from "../../domain";

export type TOasstNode = {
  message_id: string;
  parent_id: string | null;
  text: string;
  role: "prompter" | "assistant";
  /** Only on replies of a node with several ranked replies: 0 is the most preferred. */
  rank?: number;
  replies: TOasstNode[];
};

export type TOasstArgs = {
  treeId: string;
  messages: TMessage[];
  candidates: { id: string; text: string }[];
  tiers: TTiers;
  labeller: string;
  createdAt: Date;
};

/**
 * One tree per judgment. The conversation before the reply becomes a chain of nodes (user turns are "prompter",
 * assistant turns "assistant", each the only reply of the one before; a system turn has no OASST role and is
 * written as the tree's `system` field). The candidates hang below the last user turn with `rank` = their
 * tier's index, so tied candidates share a rank (OASST's own ranks are a consensus without ties). Candidates
 * the labeller did not rank have no rank. Message ids are the candidate ids, or `<tree>:<turn>` for turns.
 */
export function oasstTree(a: TOasstArgs): Record<string, unknown> {
  const system = a.messages.filter((m) => m.role === "system").map((m) => m.content);
  const turns = a.messages.filter((m) => m.role !== "system");
  const rank = new Map<string, number>();
  a.tiers.forEach((tier, t) => tier.forEach((id) => rank.set(id, t)));
  let root: TOasstNode | null = null;
  let parent: TOasstNode | null = null;
  turns.forEach((m, i) => {
    const node: TOasstNode = {
      message_id: `${a.treeId}:${i}`,
      parent_id: parent?.message_id ?? null,
      text: m.content,
      role: m.role === "user" ? "prompter" : "assistant",
      replies: [],
    };
    if (parent) parent.replies.push(node);
    else root = node;
    parent = node;
  });
  if (!root || !parent) throw new Error(`prompt ${a.treeId} has no user turn to write as an OASST prompt`);
  const last: TOasstNode = parent;
  last.replies = [...a.candidates]
    .sort((x, y) => (rank.get(x.id) ?? Infinity) - (rank.get(y.id) ?? Infinity))
    .map((c) => ({
      message_id: c.id,
      parent_id: last.message_id,
      text: c.text,
      role: "assistant" as const,
      ...(rank.has(c.id) ? { rank: rank.get(c.id)! } : {}),
      replies: [],
    }));
  return {
    message_tree_id: a.treeId,
    tree_state: "ready_for_export",
    ...(system.length ? { system: system.join("\n\n") } : {}),
    labeller: a.labeller,
    created_at: a.createdAt.toISOString(),
    prompt: root,
  };
}
