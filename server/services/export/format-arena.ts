// Arena-style battles (model_a, model_b, winner) from one ranking of candidates that name their model; no I/O.
import type { TCandidateFlags, TMessage, TTiers } from "../../domain";

export const ARENA_WINNERS = ["model_a", "model_b", "tie", "tie (bothbad)"] as const;
export type TArenaWinner = (typeof ARENA_WINNERS)[number];

export type TArenaCandidate = { id: string; text: string; model: string | null };

export type TArenaArgs = {
  questionId: string;
  messages: TMessage[];
  candidates: TArenaCandidate[];
  tiers: TTiers;
  flags: TCandidateFlags;
  noneAcceptable: boolean;
  shownOrder: string[];
  judge: string;
  createdAt: Date;
};

/**
 * One battle per pair of ranked candidates made by two different models (a candidate without a model version,
 * e.g. an imported or human-written one, takes part in none). `model_a` is the one shown first to the labeller.
 * The winner is the model in the better tier; a pair in the same tier is a "tie", or "tie (bothbad)" when both
 * candidates carry a flag or the labeller said none was acceptable.
 */
export function arenaRows(a: TArenaArgs): Record<string, unknown>[] {
  const tierOf = new Map<string, number>();
  a.tiers.forEach((tier, t) => tier.forEach((id) => tierOf.set(id, t)));
  const shown = new Map(a.shownOrder.map((id, i) => [id, i]));
  const ranked = a.candidates
    .filter((c) => c.model !== null && tierOf.has(c.id))
    .sort((x, y) => (shown.get(x.id) ?? Infinity) - (shown.get(y.id) ?? Infinity));
  const bad = (id: string) => a.noneAcceptable || (a.flags[id]?.kinds.length ?? 0) > 0;
  const conversation = (reply: string) => [
    ...a.messages.map((m) => ({ role: m.role, content: m.content })),
    { role: "assistant", content: reply },
  ];
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < ranked.length; i++) {
    for (let k = i + 1; k < ranked.length; k++) {
      const x = ranked[i]!;
      const y = ranked[k]!;
      if (x.model === y.model) continue;
      const tx = tierOf.get(x.id)!;
      const ty = tierOf.get(y.id)!;
      let winner: TArenaWinner;
      if (tx < ty) winner = "model_a";
      else if (ty < tx) winner = "model_b";
      else winner = bad(x.id) && bad(y.id) ? "tie (bothbad)" : "tie";
      rows.push({
        question_id: a.questionId,
        model_a: x.model,
        model_b: y.model,
        winner,
        judge: a.judge,
        turn: a.messages.filter((m) => m.role === "user").length,
        conversation_a: conversation(x.text),
        conversation_b: conversation(y.text),
        tstamp: a.createdAt.getTime() / 1000,
      });
    }
  }
  return rows;
}
