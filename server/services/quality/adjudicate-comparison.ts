// A reviewer's ranking of a comparison (Adjudication): append-only, the latest is the adjudicated ranking. It must
// be a partition of the comparison's candidates (tiers with ties, every candidate once). Audited.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import type { TTiers } from "../../domain";
import { recordAudit } from "../audit/record-audit";
import { getProjectBySlug } from "../projects/project-queries";

export async function adjudicateComparison(opts: {
  reviewerId: string;
  projectSlug: string;
  comparisonId: string;
  tiers: TTiers;
  note: string;
}) {
  const project = await getProjectBySlug({ slug: opts.projectSlug });
  const db = getDb();
  const c = await db.comparison.findUnique({
    where: { id: opts.comparisonId },
    select: {
      id: true,
      projectId: true,
      round: true,
      judgmentCount: true,
      prompt: { select: { seq: true } },
      candidates: { orderBy: { position: "asc" }, select: { id: true } },
    },
  });
  if (!c || c.projectId !== project.id)
    throw new AppError("NOT_FOUND", `No comparison ${opts.comparisonId} in the project "${project.name}".`);
  if (c.judgmentCount === 0)
    throw new AppError("CONFLICT", `Prompt #${c.prompt.seq} has no judgments yet: there is nothing to adjudicate.`);
  const ids = c.candidates.map((x) => x.id);
  const numberOf = new Map(ids.map((id, i) => [id, i + 1]));
  assertPartition(ids, opts.tiers);
  const note = opts.note.trim();
  return db.$transaction(async (tx) => {
    const row = await tx.adjudication.create({
      data: { projectId: project.id, comparisonId: c.id, reviewerId: opts.reviewerId, tiers: opts.tiers, note },
    });
    await recordAudit(
      {
        actorId: opts.reviewerId,
        action: "comparison.adjudicate",
        targetType: "project",
        targetId: project.id,
        details: {
          comparisonId: c.id,
          promptSeq: c.prompt.seq,
          round: c.round,
          // Answers by their number (position + 1), as the reviewer saw them.
          ranking: opts.tiers.map((tier) => tier.map((id) => numberOf.get(id)!)),
          note,
        },
      },
      tx,
    );
    return { adjudicationId: row.id, createdAt: row.createdAt };
  });
}

/** Every candidate exactly once, nothing else; the message says which tier and which candidate is wrong. */
function assertPartition(candidateIds: string[], tiers: TTiers) {
  const expected = new Set(candidateIds);
  const seen = new Set<string>();
  tiers.forEach((tier, t) =>
    tier.forEach((id) => {
      if (!expected.has(id))
        throw new AppError("BAD_INPUT", `tiers[${t}]: ${id} is not a candidate of this comparison.`);
      if (seen.has(id)) throw new AppError("BAD_INPUT", `tiers[${t}]: ${id} appears twice in the ranking.`);
      seen.add(id);
    }),
  );
  const missing = candidateIds.filter((id) => !seen.has(id));
  if (missing.length > 0)
    throw new AppError(
      "BAD_INPUT",
      `The ranking leaves out ${missing.length} candidate(s): ${missing.map((id) => `answer ${candidateIds.indexOf(id) + 1}`).join(", ")}.`,
    );
}
