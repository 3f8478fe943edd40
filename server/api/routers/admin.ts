// The admin's procedures: projects, guidelines, prompts, imports, people, dashboard, quality control and audit log.
import { z } from "zod";
import { adminProcedure, router } from "../trpc";
import {
  ZGoldAnswer,
  ZProjectSampling,
  ZPolicyObjective,
  ZProjectSettings,
  ZProjectStatus,
  ZPromptBrowseStatus,
  ZPromptSource,
  ZRole,
  ZSlug,
} from "../../domain";
import { findProjects, getGuidelines, getProjectBySlug } from "../../services/projects/project-queries";
import {
  createProject,
  setProjectStatus,
  updateGuidelines,
  updateProject,
} from "../../services/projects/mutate-project";
import { findPrompts } from "../../services/projects/find-prompts";
import {
  addProjectMember,
  findProjectMembers,
  removeProjectMember,
  setProjectOpenToAll,
} from "../../services/projects/project-members";
import { issuePasswordReset } from "../../services/users/password-reset";
import { browsePrompts, getPromptDetail, promptBrowseOptions } from "../../services/projects/browse-prompts";
import { findUsers } from "../../services/users/find-users";
import { createInvite } from "../../services/users/create-invite";
import { revokeInvite } from "../../services/users/revoke-invite";
import { setUserDisabled, setUserRole } from "../../services/users/update-user";
import { DASHBOARD_DAYS, getProjectDashboard } from "../../services/stats/project-dashboard";
import { auditFilterOptions, findAuditEntries } from "../../services/audit/find-audit-entries";
import { findImports, getImport } from "../../services/import/import-queries";
import { getModelsOverview } from "../../services/training/models-overview";
import { getPolicyLeaderboard } from "../../services/training/policy-leaderboard";
import { requestTrainingRun, ZRoundHyperParams } from "../../services/training/request-training-run";
import { activatePolicy } from "../../services/training/training-run-state";
import { computeQuality } from "../../services/quality/compute-quality";
import { sampleConsensus } from "../../services/quality/consensus-rankings";
import { setGold } from "../../services/quality/set-gold";
import { findOpenPauses, resumeLabeller } from "../../services/quality/labeller-pause";
import { getReviewSummary } from "../../services/quality/review-queue";
import { cancelJob, findJobs, JOB_STATUSES, retryJob } from "../../jobs/job-admin";
import { JOBS, type TJobKind } from "../../jobs/contracts";
import { findWorkers } from "../../jobs/worker-registry";

const ZId = z.string().min(1).max(64);
const ZGuidelines = z.string().max(100_000);
const ZJobKind = z.enum(Object.keys(JOBS) as [TJobKind, ...TJobKind[]]);

export const adminRouter = router({
  quality: router({
    overview: adminProcedure.input(z.object({ projectId: ZId })).query(({ input }) => computeQuality(input)),
    consensus: adminProcedure
      .input(
        z.object({
          projectId: ZId,
          weighting: z.enum(["reliability", "equal"]).default("reliability"),
          take: z.number().int().min(1).max(100).default(20),
        }),
      )
      .query(({ input }) => sampleConsensus(input)),
    setGold: adminProcedure
      .input(z.object({ projectId: ZId, comparisonId: ZId, gold: ZGoldAnswer.nullable() }))
      .mutation(({ ctx, input }) => setGold({ actorId: ctx.viewer.userId, ...input })),
    pauses: adminProcedure.input(z.object({ projectId: ZId })).query(({ input }) => findOpenPauses(input)),
    resume: adminProcedure
      .input(z.object({ projectId: ZId, userId: ZId }))
      .mutation(({ ctx, input }) => resumeLabeller({ actorId: ctx.viewer.userId, ...input })),
    review: adminProcedure.input(z.object({ projectId: ZId })).query(({ input }) => getReviewSummary(input)),
  }),
  jobs: router({
    list: adminProcedure
      .input(
        z.object({
          status: z.enum(JOB_STATUSES).optional(),
          kind: ZJobKind.optional(),
          projectId: ZId.optional(),
          page: z.number().int().min(0).max(1_000_000).default(0),
          pageSize: z.number().int().min(1).max(100).default(25),
        }),
      )
      .query(({ input }) => findJobs(input)),
    retry: adminProcedure
      .input(z.object({ jobId: z.string().min(1).max(200) }))
      .mutation(({ input, ctx }) => retryJob({ ...input, actorId: ctx.viewer.userId })),
    cancel: adminProcedure
      .input(z.object({ jobId: z.string().min(1).max(200) }))
      .mutation(({ input, ctx }) => cancelJob({ ...input, actorId: ctx.viewer.userId })),
    workers: adminProcedure.query(() => findWorkers()),
  }),
  models: router({
    overview: adminProcedure.input(z.object({ projectId: ZId })).query(({ input }) => getModelsOverview(input)),
    leaderboard: adminProcedure.input(z.object({ projectId: ZId })).query(({ input }) => getPolicyLeaderboard(input)),
    train: adminProcedure
      .input(z.object({ projectId: ZId, hyperParams: ZRoundHyperParams.optional() }))
      .mutation(({ input, ctx }) => requestTrainingRun({ ...input, trigger: "admin", actorId: ctx.viewer.userId })),
    activate: adminProcedure
      .input(z.object({ projectId: ZId, versionId: ZId }))
      .mutation(({ input, ctx }) => activatePolicy({ ...input, actorId: ctx.viewer.userId })),
  }),
  projects: router({
    list: adminProcedure
      .input(z.object({ includeArchived: z.boolean().default(false) }))
      .query(({ input }) => findProjects(input)),
    get: adminProcedure.input(z.object({ slug: ZSlug })).query(({ input }) => getProjectBySlug(input)),
    create: adminProcedure
      .input(z.object({ slug: ZSlug, settings: ZProjectSettings, guidelines: ZGuidelines.default("") }))
      .mutation(({ ctx, input }) => createProject({ actorId: ctx.viewer.userId, ...input })),
    update: adminProcedure
      .input(
        z.object({
          projectId: ZId,
          settings: ZProjectSettings,
          sampling: ZProjectSampling.optional(),
          objective: ZPolicyObjective.optional(),
        }),
      )
      .mutation(({ ctx, input }) => updateProject({ actorId: ctx.viewer.userId, ...input })),
    setStatus: adminProcedure
      .input(z.object({ projectId: ZId, status: ZProjectStatus }))
      .mutation(({ ctx, input }) => setProjectStatus({ actorId: ctx.viewer.userId, ...input })),
    guidelines: adminProcedure
      .input(z.object({ projectId: ZId, version: z.number().int().min(1).max(1_000_000).optional() }))
      .query(({ input }) => getGuidelines(input)),
    updateGuidelines: adminProcedure
      .input(z.object({ projectId: ZId, body: ZGuidelines }))
      .mutation(({ ctx, input }) => updateGuidelines({ actorId: ctx.viewer.userId, ...input })),
    dashboard: adminProcedure
      .input(
        z.object({
          projectId: ZId,
          days: z.number().int().min(DASHBOARD_DAYS.min).max(DASHBOARD_DAYS.max).optional(),
        }),
      )
      .query(({ input }) => getProjectDashboard(input)),
    prompts: adminProcedure
      .input(
        z.object({
          projectId: ZId,
          page: z.number().int().min(0).max(1_000_000).default(0),
          pageSize: z.number().int().min(1).max(100).default(20),
        }),
      )
      .query(({ input }) => findPrompts(input)),
    browsePrompts: adminProcedure
      .input(
        z.object({
          projectId: ZId,
          text: z.string().max(200).optional(),
          status: ZPromptBrowseStatus.optional(),
          source: ZPromptSource.optional(),
          importId: ZId.optional(),
          labellerId: ZId.optional(),
          gold: z.boolean().optional(),
          cursor: z.number().int().min(0).optional(),
          pageSize: z.number().int().min(1).max(100).default(25),
        }),
      )
      .query(({ input }) => browsePrompts(input)),
    promptBrowseOptions: adminProcedure
      .input(z.object({ projectId: ZId }))
      .query(({ input }) => promptBrowseOptions(input)),
    promptDetail: adminProcedure
      .input(
        z
          .object({ projectId: ZId, promptId: ZId.optional(), judgmentId: ZId.optional() })
          .refine((v) => (v.promptId === undefined) !== (v.judgmentId === undefined), {
            message: "Give exactly one of promptId and judgmentId.",
          }),
      )
      .query(({ input }) => getPromptDetail(input)),
    imports: adminProcedure.input(z.object({ projectId: ZId })).query(({ input }) => findImports(input)),
    members: adminProcedure.input(z.object({ projectId: ZId })).query(({ input }) => findProjectMembers(input)),
    addMember: adminProcedure
      .input(z.object({ projectId: ZId, userId: ZId }))
      .mutation(({ ctx, input }) => addProjectMember({ actorId: ctx.viewer.userId, ...input })),
    removeMember: adminProcedure
      .input(z.object({ projectId: ZId, userId: ZId }))
      .mutation(({ ctx, input }) => removeProjectMember({ actorId: ctx.viewer.userId, ...input })),
    setOpenToAll: adminProcedure
      .input(z.object({ projectId: ZId, openToAllLabellers: z.boolean() }))
      .mutation(({ ctx, input }) => setProjectOpenToAll({ actorId: ctx.viewer.userId, ...input })),
    importStatus: adminProcedure.input(z.object({ importId: ZId })).query(({ input }) => getImport(input)),
  }),
  users: router({
    list: adminProcedure.query(() => findUsers()),
    invite: adminProcedure
      .input(
        z.object({ email: z.string().trim().toLowerCase().email("enter a valid email address").max(254), role: ZRole }),
      )
      .mutation(({ ctx, input }) => createInvite({ actorId: ctx.viewer.userId, ...input })),
    revokeInvite: adminProcedure
      .input(z.object({ inviteId: ZId }))
      .mutation(({ ctx, input }) => revokeInvite({ actorId: ctx.viewer.userId, ...input })),
    setDisabled: adminProcedure
      .input(z.object({ userId: ZId, isDisabled: z.boolean() }))
      .mutation(({ ctx, input }) => setUserDisabled({ actorId: ctx.viewer.userId, ...input })),
    passwordResetLink: adminProcedure
      .input(z.object({ userId: ZId }))
      .mutation(({ ctx, input }) => issuePasswordReset({ actorId: ctx.viewer.userId, ...input })),
    setRole: adminProcedure
      .input(z.object({ userId: ZId, role: ZRole }))
      .mutation(({ ctx, input }) => setUserRole({ actorId: ctx.viewer.userId, ...input })),
  }),
  audit: adminProcedure
    .input(
      z.object({
        cursor: ZId.optional(),
        limit: z.number().int().min(1).max(200).default(50),
        actorId: ZId.optional(),
        action: z.string().min(1).max(64).optional(),
      }),
    )
    .query(({ input }) => findAuditEntries(input)),
  auditFilters: adminProcedure.query(() => auditFilterOptions()),
});
