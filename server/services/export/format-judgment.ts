// One full-judgment JSONL row (everything a labeller decided about one comparison of a prompt) from plain inputs; no database.
import type { TCandidateFlags, TCandidateSource, TMessage, TStrengths, TTiers } from "../../domain";
import { labellerPseudonym } from "./pseudonym";
import type { TJudgmentExportRow } from "../../../workers/ml/formats/judgment-row";

export type TJudgmentCandidate = {
  id: string;
  text: string;
  source: TCandidateSource;
  modelVersion: string | null;
  generationParams: Record<string, unknown> | null;
  /** Where an imported candidate came from (e.g. { hh: "chosen" }); null for model and human ones. */
  provenance: Record<string, unknown> | null;
};

export type TJudgmentInput = {
  promptId: string;
  externalId: string | null;
  /** The ranked unit: this prompt's candidate set of one round, made by one policy version (null: imported). */
  comparisonId: string;
  round: number;
  policyVersion: string | null;
  messages: TMessage[];
  candidates: TJudgmentCandidate[];
  tiers: TTiers;
  noneAcceptable: boolean;
  flags: TCandidateFlags;
  /** How much better each tier is than the next; null (or absent) where the project did not ask. */
  strengths?: TStrengths | null;
  rationale: string | null;
  shownOrder: string[];
  totalMs: number;
  activeMs: number;
  guidelineVersion: number;
  /** The real user id; only its pseudonym leaves this function. */
  labellerId: string;
  /** A consensus ranking has no labeller: its `labeller` is the word "consensus". */
  rankingSource?: "judgment" | "consensus" | "adjudicated";
  /** Set for an account of imported judgments (User.importedFrom): the pseudonym says so. */
  labellerImportedFrom?: string | null;
  pseudonymSalt: string;
  createdAt: Date;
};

/** The row's shape is the app/engine contract (workers/ml/formats/judgment-row.ts). */
export type TJudgmentRow = TJudgmentExportRow;

/** Tiers, flags and shown order refer to candidates by id; an unknown id would make the row unreadable later. */
function checkIds(input: TJudgmentInput): void {
  const known = new Set(input.candidates.map((c) => c.id));
  const used = [...input.tiers.flat(), ...Object.keys(input.flags), ...input.shownOrder];
  const unknown = used.find((id) => !known.has(id));
  if (unknown !== undefined)
    throw new Error(`judgment of prompt ${input.promptId} refers to unknown candidate "${unknown}"`);
}

export function judgmentRow(input: TJudgmentInput): TJudgmentRow {
  checkIds(input);
  return {
    prompt_id: input.promptId,
    external_id: input.externalId,
    comparison_id: input.comparisonId,
    round: input.round,
    policy_version: input.policyVersion,
    messages: input.messages.map((m) => ({ role: m.role, content: m.content })),
    candidates: input.candidates.map((c) => ({
      id: c.id,
      text: c.text,
      source: c.source,
      model_version: c.modelVersion,
      generation_params: c.generationParams,
      provenance: c.provenance,
    })),
    tiers: input.tiers.map((tier) => [...tier]),
    none_acceptable: input.noneAcceptable,
    flags: input.flags,
    strengths: input.strengths ? [...input.strengths] : null,
    rationale: input.rationale,
    shown_order: [...input.shownOrder],
    total_ms: input.totalMs,
    active_ms: input.activeMs,
    guideline_version: input.guidelineVersion,
    labeller:
      input.rankingSource === "consensus"
        ? "consensus"
        : labellerPseudonym(input.pseudonymSalt, input.labellerId, input.labellerImportedFrom),
    ranking_source: input.rankingSource ?? "judgment",
    created_at: input.createdAt.toISOString(),
  };
}
