// Admin changes to projects: create, edit settings, archive/pause, and new guideline versions.
import { getDb, type Db } from "../../db";
import { AppError } from "../../errors";
import type { TPolicyObjective, TProjectSampling, TProjectSettings, TProjectStatus } from "../../domain";
import { recordAudit } from "../audit/record-audit";
import { toAppError } from "../db-errors";

type TNewProject = { actorId: string; slug: string; settings: TProjectSettings; guidelines: string };

export async function createProject(opts: TNewProject) {
  const db = getDb();
  const taken = `The slug "${opts.slug}" is taken; choose another.`;
  if (await db.project.findUnique({ where: { slug: opts.slug } })) throw new AppError("CONFLICT", taken);
  // Two admins choosing the same slug at once both pass the check above: the unique index decides.
  try {
    return await createProjectRows(db, opts);
  } catch (e) {
    throw toAppError(e, { P2002: taken }) ?? e;
  }
}

function createProjectRows(db: Db, opts: TNewProject) {
  return db.$transaction(async (tx) => {
    const project = await tx.project.create({ data: { slug: opts.slug, ...opts.settings, guidelineVersion: 1 } });
    await tx.guidelineVersion.create({
      data: { projectId: project.id, version: 1, body: opts.guidelines, createdById: opts.actorId },
    });
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "project.create",
        targetType: "project",
        targetId: project.id,
        details: { slug: opts.slug, ...opts.settings },
      },
      tx,
    );
    return project;
  });
}

export async function updateProject(opts: {
  actorId: string;
  projectId: string;
  settings: TProjectSettings;
  /** How the project's policy samples candidates; only for a project with a policy. */
  sampling?: TProjectSampling;
  /** The policy step of its training rounds; only for a project with a policy. */
  objective?: TPolicyObjective;
}) {
  const db = getDb();
  const before = await db.project.findUnique({ where: { id: opts.projectId } });
  if (!before) throw new AppError("NOT_FOUND", "No such project.");
  if (opts.sampling && !before.policyVersionId) {
    throw new AppError(
      "CONFLICT",
      "This project has no policy (its candidates are imported): there are no sampling settings to change.",
    );
  }
  if (opts.objective && !before.policyVersionId) {
    throw new AppError(
      "CONFLICT",
      "This project has no policy (its candidates are imported): there is no training objective to set.",
    );
  }
  if (opts.settings.candidatesPerPrompt < before.candidatesPerPrompt) {
    const widest = await db.candidate.groupBy({
      by: ["comparisonId"],
      where: { prompt: { projectId: before.id } },
      _count: { _all: true },
      orderBy: { _count: { comparisonId: "desc" } },
      take: 1,
    });
    const most = widest[0]?._count._all ?? 0;
    if (most > opts.settings.candidatesPerPrompt) {
      throw new AppError("CONFLICT", `Some prompts already have ${most} candidates; K cannot go below that.`);
    }
  }
  return db.$transaction(async (tx) => {
    const project = await tx.project.update({
      where: { id: before.id },
      data: {
        ...opts.settings,
        ...(opts.sampling ? { samplingParams: opts.sampling } : {}),
        ...(opts.objective ? { policyObjective: opts.objective } : {}),
      },
    });
    // Completion (judgmentCount >= overlap) is derived, so a new overlap needs no rewrite.
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "project.update",
        targetType: "project",
        targetId: project.id,
        // The settings as saved, and the values they replaced (only those that changed), for a readable log.
        details: {
          ...opts.settings,
          ...(opts.sampling ? { sampling: opts.sampling } : {}),
          ...(opts.objective && opts.objective !== before.policyObjective
            ? { objective: opts.objective, objectiveBefore: before.policyObjective }
            : {}),
          before: Object.fromEntries(
            Object.entries(opts.settings)
              .filter(([k, v]) => before[k as keyof typeof opts.settings] !== v)
              .map(([k]) => [k, before[k as keyof typeof opts.settings]]),
          ),
        },
      },
      tx,
    );
    return project;
  });
}

export async function setProjectStatus(opts: { actorId: string; projectId: string; status: TProjectStatus }) {
  const before = await getDb().project.findUnique({ where: { id: opts.projectId } });
  if (!before) throw new AppError("NOT_FOUND", "No such project.");
  return getDb().$transaction(async (tx) => {
    const project = await tx.project.update({ where: { id: opts.projectId }, data: { status: opts.status } });
    if (opts.status !== "active")
      await tx.assignment.deleteMany({ where: { projectId: project.id, status: "active" } });
    await recordAudit(
      {
        actorId: opts.actorId,
        action: `project.${opts.status}`,
        targetType: "project",
        targetId: project.id,
        details: { from: before.status },
      },
      tx,
    );
    return project;
  });
}

export async function updateGuidelines(opts: { actorId: string; projectId: string; body: string }) {
  return getDb().$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { id: opts.projectId } });
    if (!project) throw new AppError("NOT_FOUND", "No such project.");
    const current = await tx.guidelineVersion.findUnique({
      where: { projectId_version: { projectId: project.id, version: project.guidelineVersion } },
    });
    if (current?.body === opts.body) return { version: project.guidelineVersion, isNew: false };
    const version = project.guidelineVersion + 1;
    await tx.guidelineVersion.create({
      data: { projectId: project.id, version, body: opts.body, createdById: opts.actorId },
    });
    await tx.project.update({ where: { id: project.id }, data: { guidelineVersion: version } });
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "project.guidelines",
        targetType: "project",
        targetId: project.id,
        details: { version },
      },
      tx,
    );
    return { version, isNew: true };
  });
}
