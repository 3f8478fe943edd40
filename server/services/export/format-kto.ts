// TRL unpaired preference rows for KTO ({prompt, completion, label}) from one ranking; no I/O.
import type { TKtoMiddle, TMessage, TTiers, TTrlShape } from "../../domain";
import { trlRow } from "./format-trl";

export type TKtoArgs = {
  messages: TMessage[];
  tiers: TTiers;
  noneAcceptable: boolean;
  textOf: (id: string) => string;
  shape: TTrlShape;
  middle: TKtoMiddle;
};

/**
 * How a ranking becomes desirable / undesirable completions:
 * - the best tier is desirable (`label: true`), the worst tier undesirable (`label: false`);
 * - tiers in between follow `middle`: omitted (default), or all desirable, or all undesirable;
 * - a ranking with a single tier (everything tied) says nothing about quality and gives no rows;
 * - "none acceptable" makes every candidate undesirable, whatever its tier.
 * Prompt and completion take the same shape as the TRL pairs (standard strings or conversational messages).
 */
export function ktoRows(a: TKtoArgs): Record<string, unknown>[] {
  const label = (tier: number): boolean | null => {
    if (a.noneAcceptable) return false;
    if (a.tiers.length < 2) return null;
    if (tier === 0) return true;
    if (tier === a.tiers.length - 1) return false;
    return a.middle === "omit" ? null : a.middle === "desirable";
  };
  const rows: Record<string, unknown>[] = [];
  a.tiers.forEach((tier, t) => {
    const l = label(t);
    if (l === null) return;
    for (const id of tier) {
      const text = a.textOf(id);
      // The TRL pair shape is reused so the prompt is written exactly as in the DPO export.
      const pair = trlRow({ messages: a.messages, chosen: text, rejected: text, shape: a.shape });
      rows.push({ prompt: pair.prompt, completion: pair.chosen, label: l });
    }
  });
  return rows;
}
