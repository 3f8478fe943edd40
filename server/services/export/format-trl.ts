// One TRL preference row (standard or conversational form) from a prompt and a chosen/rejected pair; no I/O.
import type { TMessage, TTrlShape } from "../../domain";
import { renderHhTranscript } from "./format-hh";

export type TTrlRowArgs = {
  messages: TMessage[];
  chosen: string;
  rejected: string;
  shape: TTrlShape;
  /** Written when given; null where the export carries strength margins and the judgment has none. */
  margin?: number | null;
};

function isSingleUserTurn(messages: TMessage[]): boolean {
  return messages.length === 1 && messages[0]?.role === "user";
}

/**
 * Field names follow TRL's preference datasets: standard `{prompt, chosen, rejected}` as strings, conversational
 * with `prompt` as the message list and `chosen`/`rejected` as one assistant message each. "auto" picks standard
 * only for a single user turn, where nothing is lost.
 *
 * "standard" with a multi-turn prompt has no chat template to lean on, so the prompt is written as an HH-style
 * transcript ending in "\n\nAssistant:" and each reply starts with the space that follows that tag: prompt +
 * chosen is then exactly the HH transcript. A system turn cannot be written that way and throws.
 */
export function trlRow(args: TTrlRowArgs): Record<string, unknown> {
  const { messages, chosen, rejected, shape } = args;
  const standard = shape === "standard" || (shape === "auto" && isSingleUserTurn(messages));
  let row: Record<string, unknown>;
  if (standard && isSingleUserTurn(messages)) {
    row = { prompt: messages[0]?.content ?? "", chosen, rejected };
  } else if (standard) {
    // Dropping the tag's trailing space moves it to the start of each reply.
    const prompt = renderHhTranscript(messages, "").slice(0, -1);
    row = { prompt, chosen: ` ${chosen}`, rejected: ` ${rejected}` };
  } else {
    row = {
      prompt: messages.map((m) => ({ role: m.role, content: m.content })),
      chosen: [{ role: "assistant", content: chosen }],
      rejected: [{ role: "assistant", content: rejected }],
    };
  }
  if (args.margin !== undefined) row.margin = args.margin;
  return row;
}
