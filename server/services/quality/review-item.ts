// One review item for a reviewer: the conversation, the candidates (numbered by position), every judgment side
// by side under a pseudonym ("Labeller A", "B", … in the order the judgments were made, so stable per item: judgments
// are immutable and new ones get the next letter), the gold answer if any, and the adjudications, latest first.
// No labeller's identity leaves the server.
import { z } from "zod";
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { ZCandidateFlags, ZGoldAnswer, ZGoldResult, ZMessage, ZStrengths, ZTiers } from "../../domain";
import { getProjectBySlug } from "../projects/project-queries";
import { reviewReasons } from "./review-queue";

/** A..Z, then AA, AB, … */
export function pseudonymLetter(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : pseudonymLetter(Math.floor(index / 26) - 1) + letter;
}

export async function getReviewItem(opts: { projectSlug: string; comparisonId: string }) {
  const project = await getProjectBySlug({ slug: opts.projectSlug });
  const db = getDb();
  const c = await db.comparison.findUnique({
    where: { id: opts.comparisonId },
    include: {
      prompt: { select: { messages: true, seq: true, externalId: true } },
      candidates: { orderBy: { position: "asc" }, select: { id: true, text: true, position: true } },
      judgments: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: {
          id: true,
          tiers: true,
          noneAcceptable: true,
          flags: true,
          rationale: true,
          shownOrder: true,
          totalMs: true,
          activeMs: true,
          strengths: true,
          goldResult: true,
          isGoldMiss: true,
          createdAt: true,
        },
      },
      adjudications: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: {
          id: true,
          tiers: true,
          note: true,
          createdAt: true,
          reviewer: { select: { name: true, email: true } },
        },
      },
    },
  });
  if (!c || c.projectId !== project.id)
    throw new AppError("NOT_FOUND", `No comparison ${opts.comparisonId} in the project "${project.name}".`);
  const gold = c.gold === null ? null : (ZGoldAnswer.safeParse(c.gold).data ?? null);
  const hasGoldMiss = c.judgments.some((j) => j.isGoldMiss);
  return {
    project: { id: project.id, slug: project.slug, name: project.name, threshold: project.reviewBelowAgreement },
    comparisonId: c.id,
    promptSeq: c.prompt.seq,
    externalId: c.prompt.externalId,
    round: c.round,
    agreement: c.agreement,
    messages: z.array(ZMessage).parse(c.prompt.messages),
    candidates: c.candidates.map((x) => ({ id: x.id, number: x.position + 1, text: x.text })),
    judgments: c.judgments.map((j, i) => ({
      id: j.id,
      labeller: `Labeller ${pseudonymLetter(i)}`,
      tiers: ZTiers.parse(j.tiers),
      noneAcceptable: j.noneAcceptable,
      flags: ZCandidateFlags.safeParse(j.flags).data ?? {},
      rationale: j.rationale,
      shownOrder: z.array(z.string()).parse(j.shownOrder),
      totalMs: j.totalMs,
      activeMs: j.activeMs,
      strengths: j.strengths === null ? null : (ZStrengths.safeParse(j.strengths).data ?? null),
      goldResult: j.goldResult === null ? null : (ZGoldResult.safeParse(j.goldResult).data ?? null),
      isGoldMiss: j.isGoldMiss,
      createdAt: j.createdAt,
    })),
    gold,
    adjudications: c.adjudications.map((a) => ({
      id: a.id,
      tiers: ZTiers.parse(a.tiers),
      note: a.note,
      createdAt: a.createdAt,
      reviewer: a.reviewer.name || a.reviewer.email,
    })),
    reasons: reviewReasons(c.agreement, hasGoldMiss, project.reviewBelowAgreement),
    isOpen:
      c.adjudications.length === 0 && reviewReasons(c.agreement, hasGoldMiss, project.reviewBelowAgreement).length > 0,
  };
}
