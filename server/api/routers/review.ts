// The reviewer's procedures (reviewers and admins): projects with open review items, a project's review queue,
// one item with every judgment of it, and adjudication.
import { z } from "zod";
import { reviewerProcedure, router } from "../trpc";
import { ZSlug, ZTiers } from "../../domain";
import { findReviewProjects, findReviewQueue } from "../../services/quality/review-queue";
import { getReviewItem } from "../../services/quality/review-item";
import { adjudicateComparison } from "../../services/quality/adjudicate-comparison";

const ZId = z.string().min(1).max(64);
const ZCursor = z.object({ seq: z.number().int().min(0), round: z.number().int().min(0) });

export const reviewRouter = router({
  projects: reviewerProcedure.query(() => findReviewProjects()),
  queue: reviewerProcedure
    .input(
      z.object({
        projectSlug: ZSlug,
        cursor: ZCursor.optional(),
        pageSize: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ input }) => findReviewQueue(input)),
  item: reviewerProcedure
    .input(z.object({ projectSlug: ZSlug, comparisonId: ZId }))
    .query(({ input }) => getReviewItem(input)),
  adjudicate: reviewerProcedure
    .input(z.object({ projectSlug: ZSlug, comparisonId: ZId, tiers: ZTiers, note: z.string().max(10_000).default("") }))
    .mutation(({ ctx, input }) => adjudicateComparison({ ...input, reviewerId: ctx.viewer.userId })),
});
