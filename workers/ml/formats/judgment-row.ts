// The app's full-judgments export row: written by server/services/export/format-judgment.ts, read by the
// engine's dataset loader (train/data/formats.ts) as a ranking. One schema for both sides, so a change to the
// export cannot leave the trainer reading a stale copy.
import { z } from "zod";

const ZJsonObject = z.record(z.string(), z.unknown());

export const ZExportMessage = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });

export const ZExportCandidate = z.object({
  id: z.string().min(1),
  text: z.string(),
  source: z.enum(["model", "imported", "human"]),
  model_version: z.string().nullable(),
  generation_params: ZJsonObject.nullable(),
  /** Where an imported candidate came from (e.g. { hh: "chosen" }); null for model and human ones. */
  provenance: ZJsonObject.nullable(),
});

/** Candidate ids, best tier first; ids in one tier are tied. */
export const ZExportTiers = z
  .array(z.array(z.string().min(1)).min(1, "a tier cannot be empty"))
  .min(1, "a judgment needs a ranking");

export const ZJudgmentExportRow = z.object({
  prompt_id: z.string(),
  external_id: z.string().nullable(),
  /** The ranked unit: the prompt's candidate set of one round, made by one policy version (null: imported). */
  comparison_id: z.string(),
  round: z.number().int().min(0),
  policy_version: z.string().nullable(),
  messages: z.array(ZExportMessage).min(1),
  candidates: z.array(ZExportCandidate).min(1, "a judgment needs candidates"),
  tiers: ZExportTiers,
  none_acceptable: z.boolean(),
  flags: z.record(z.string(), z.object({ kinds: z.array(z.string()), note: z.string().optional() })),
  /** Strength of preference per pair of adjacent tiers (STRENGTHS in server/domain.ts); null where not asked. */
  strengths: z
    .array(z.enum(["much_better", "better", "slightly_better"]))
    .nullable()
    .default(null),
  rationale: z.string().nullable(),
  shown_order: z.array(z.string()),
  total_ms: z.number().int().min(0),
  active_ms: z.number().int().min(0),
  guideline_version: z.number().int().min(1),
  /** A pseudonym, stable per export salt; never the user id ("consensus" for a consensus ranking). */
  labeller: z.string(),
  /** What the row is: one labeller's judgment, or a comparison's consensus or adjudicated ranking. Files written
   *  before the column existed hold judgments. */
  ranking_source: z.enum(["judgment", "consensus", "adjudicated"]).default("judgment"),
  created_at: z.string(),
});
export type TJudgmentExportRow = z.infer<typeof ZJudgmentExportRow>;
