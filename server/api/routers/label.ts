// The labeller's procedures: projects, the next task under a lease, submit, skip, progress, guidelines.
import { z } from "zod";
import { labellerProcedure, router } from "../trpc";
import { ZCandidateFlags, ZSkipReason, ZSlug, ZStrengths, ZTiers } from "../../domain";
import { nextTaskOrPause } from "../../services/queue/next-task";
import { findGoldFeedback } from "../../services/quality/gold-feedback";
import { submitJudgment } from "../../services/queue/submit-judgment";
import { skipTask } from "../../services/queue/skip-task";
import { renewLease } from "../../services/queue/renew-lease";
import { findLabellerProjects, getLabellerProgress } from "../../services/queue/labeller-progress";
import { getProjectBySlug } from "../../services/projects/project-queries";
import { acknowledgeGuidelines } from "../../services/queue/acknowledge-guidelines";
import { getLabellerGuidelines } from "../../services/projects/labeller-guidelines";

const ZId = z.string().min(1).max(64);
const ZMs = z
  .number()
  .int()
  .min(0)
  .max(7 * 86_400_000);

export const labelRouter = router({
  projects: labellerProcedure.query(({ ctx }) => findLabellerProjects({ userId: ctx.viewer.userId })),

  next: labellerProcedure
    .input(z.object({ projectSlug: ZSlug }))
    .mutation(({ ctx, input }) => nextTaskOrPause({ userId: ctx.viewer.userId, projectSlug: input.projectSlug })),

  goldFeedback: labellerProcedure
    .input(z.object({ projectSlug: ZSlug }))
    .query(({ ctx, input }) => findGoldFeedback({ userId: ctx.viewer.userId, projectSlug: input.projectSlug })),

  heartbeat: labellerProcedure
    .input(z.object({ assignmentId: ZId }))
    .mutation(({ ctx, input }) => renewLease({ userId: ctx.viewer.userId, assignmentId: input.assignmentId })),

  submit: labellerProcedure
    .input(
      z.object({
        assignmentId: ZId,
        tiers: ZTiers,
        noneAcceptable: z.boolean(),
        flags: ZCandidateFlags,
        /** One per pair of adjacent tiers, best pair first; only (and then always) when the project asks for it. */
        strengths: ZStrengths.optional(),
        rationale: z.string().max(10_000).default(""),
        totalMs: ZMs,
        activeMs: ZMs,
      }),
    )
    .mutation(({ ctx, input }) => submitJudgment({ ...input, userId: ctx.viewer.userId })),

  skip: labellerProcedure
    .input(
      z.object({
        assignmentId: ZId,
        reason: ZSkipReason,
        note: z.string().max(2000).default(""),
        totalMs: ZMs.default(0),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await skipTask({ ...input, userId: ctx.viewer.userId });
      return { ok: true };
    }),

  progress: labellerProcedure.input(z.object({ projectSlug: ZSlug.optional() })).query(async ({ ctx, input }) => {
    const projectId = input.projectSlug ? (await getProjectBySlug({ slug: input.projectSlug })).id : undefined;
    return getLabellerProgress({ userId: ctx.viewer.userId, projectId });
  }),

  acknowledgeGuidelines: labellerProcedure
    .input(z.object({ assignmentId: ZId, version: z.number().int().min(1).max(1_000_000) }))
    .mutation(({ ctx, input }) => acknowledgeGuidelines({ ...input, userId: ctx.viewer.userId })),

  guidelines: labellerProcedure
    .input(z.object({ projectSlug: ZSlug, version: z.number().int().min(1).max(1_000_000).optional() }))
    .query(({ ctx, input }) => getLabellerGuidelines({ ...input, userId: ctx.viewer.userId })),
});
