// The columns of each tabular export format: their Parquet type and their meaning (for the dataset card).
import type { TExportFormat, TTrlShape } from "../../domain";

/** text: a UTF-8 string; json: any JSON value written as JSON text (Parquet's JSON logical type). */
export type TColumnKind = "text" | "json" | "bool" | "int" | "double";
export type TColumn = { name: string; kind: TColumnKind; nullable?: boolean; doc: string };

/** A prompt or reply is a plain string only in the standard shape; otherwise (auto may mix) JSON text. */
const textual = (shape: TTrlShape | undefined): TColumnKind => (shape === "standard" ? "text" : "json");

export function exportColumns(
  format: TExportFormat,
  o: { trlShape?: TTrlShape; withMargin?: boolean; strengthMargin?: boolean } = {},
): TColumn[] | null {
  const t = textual(o.trlShape);
  switch (format) {
    case "trl":
      return [
        { name: "prompt", kind: t, doc: "the prompt: a string, or the list of chat messages (conversational)" },
        { name: "chosen", kind: t, doc: "the preferred reply (string, or a one-message assistant list)" },
        { name: "rejected", kind: t, doc: "the reply ranked in a worse tier" },
        ...(o.strengthMargin
          ? [
              {
                name: "margin",
                kind: "int" as const,
                nullable: true,
                doc: "strength of preference summed over the tier boundaries between the two replies (much better 3, better 2, slightly better 1); null for judgments made without strengths",
              },
            ]
          : o.withMargin
            ? [{ name: "margin", kind: "int" as const, doc: "how many tiers apart the two replies were ranked" }]
            : []),
      ];
    case "hh":
      return [
        { name: "chosen", kind: "text", doc: "the whole conversation ending in the preferred reply, HH-RLHF tags" },
        { name: "rejected", kind: "text", doc: "the same conversation ending in the worse reply" },
      ];
    case "kto":
      return [
        { name: "prompt", kind: t, doc: "the prompt: a string, or the list of chat messages (conversational)" },
        { name: "completion", kind: t, doc: "one candidate reply" },
        { name: "label", kind: "bool", doc: "true: the reply was in the best tier; false: the worst tier" },
      ];
    case "arena":
      return [
        { name: "question_id", kind: "text", doc: "the prompt's id" },
        { name: "model_a", kind: "text", doc: "model version of the reply shown first" },
        { name: "model_b", kind: "text", doc: "model version of the other reply" },
        { name: "winner", kind: "text", doc: "model_a, model_b, tie, or tie (bothbad)" },
        { name: "judge", kind: "text", doc: "pseudonym of the labeller" },
        { name: "turn", kind: "int", doc: "number of user turns in the conversation" },
        { name: "conversation_a", kind: "json", doc: "the conversation ending in model_a's reply" },
        { name: "conversation_b", kind: "json", doc: "the conversation ending in model_b's reply" },
        { name: "tstamp", kind: "double", doc: "when the judgment was made, Unix seconds" },
      ];
    case "judgments":
      return [
        { name: "prompt_id", kind: "text", doc: "the prompt's id" },
        { name: "external_id", kind: "text", nullable: true, doc: "the prompt's id in the imported file" },
        { name: "comparison_id", kind: "text", doc: "the ranked candidate set (prompt and round)" },
        { name: "round", kind: "int", doc: "0 for imported candidates, then one per policy version" },
        { name: "policy_version", kind: "text", nullable: true, doc: "policy that generated the round" },
        { name: "messages", kind: "json", doc: "the prompt's chat messages" },
        { name: "candidates", kind: "json", doc: "id, text, source, model version, parameters, provenance" },
        { name: "tiers", kind: "json", doc: "candidate ids, best tier first; several ids in a tier tie" },
        { name: "none_acceptable", kind: "bool", doc: "the labeller found no candidate acceptable" },
        { name: "flags", kind: "json", doc: "per candidate id: flag kinds and a note" },
        {
          name: "strengths",
          kind: "json",
          nullable: true,
          doc: "per pair of adjacent tiers, best first: much_better, better or slightly_better; null where not asked",
        },
        { name: "rationale", kind: "text", nullable: true, doc: "the labeller's free-text reason" },
        { name: "shown_order", kind: "json", doc: "candidate ids in the order they were shown" },
        { name: "total_ms", kind: "int", doc: "time from showing to submitting" },
        { name: "active_ms", kind: "int", doc: "time the page was visible and in use" },
        { name: "guideline_version", kind: "int", doc: "guideline version the labeller saw" },
        { name: "labeller", kind: "text", doc: "pseudonym of the labeller (HMAC of the user id), or consensus" },
        { name: "created_at", kind: "text", doc: "when the judgment was made, ISO 8601" },
        {
          name: "ranking_source",
          kind: "text",
          doc: "judgment (one labeller's), consensus (reliability-weighted, per comparison) or adjudicated (a reviewer's)",
        },
      ];
    case "oasst":
      return null;
  }
}
