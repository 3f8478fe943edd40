// The TRL `margin` from strength of preference: for a pair (chosen in tier i, rejected in tier j > i) the sum of
// STRENGTH_MARGINS over the boundaries i .. j-1 between them. TRL's RewardTrainer subtracts a row's margin from
// the reward gap (loss = -log sigmoid(r_chosen - r_rejected - margin)), so a "much better" pair must be
// separated by more. Whether an export carries it is decided once, before its first row, so that every row
// (and the Parquet schema) of one file agrees.
import { getDb } from "../../db";
import { STRENGTH_MARGINS, type TStrengths } from "../../domain";
import { findExportProject } from "./export-source";

/** The margin of a pair ranked in tiers `chosenTier` < `rejectedTier`; null for a judgment without strengths. */
export function strengthMargin(strengths: TStrengths | null, chosenTier: number, rejectedTier: number): number | null {
  if (!strengths || chosenTier < 0 || rejectedTier <= chosenTier || rejectedTier > strengths.length) return null;
  let sum = 0;
  for (let b = chosenTier; b < rejectedTier; b++) sum += STRENGTH_MARGINS[strengths[b]!];
  return sum;
}

/**
 * Whether a project's exports carry the strength margin: it asks for strength of preference now, or any of its
 * judgments has strengths (it asked before). Judgments without strengths then export a null margin.
 */
export async function usesStrengthMargin(projectId: string): Promise<boolean> {
  const project = await findExportProject(projectId);
  if (project.strengthOfPreference) return true;
  const rows = await getDb().$queryRaw<unknown[]>`
    SELECT 1 AS "one" FROM "Judgment" WHERE "projectId" = ${project.id} AND "strengths" IS NOT NULL LIMIT 1`;
  return rows.length > 0;
}

/** The export's options with the margin decision made (see usesStrengthMargin); call before columns or rows. */
export async function withStrengthMargin<T extends { projectId: string }>(
  opts: T,
): Promise<T & { strengthMargin: boolean }> {
  return { ...opts, strengthMargin: await usesStrengthMargin(opts.projectId) };
}
