// Reads of projects: by id or slug (throws NOT_FOUND) and the admin's list with progress counts.
import { getDb } from "../../db";
import { AppError } from "../../errors";

export async function getProject(opts: { projectId: string }) {
  const project = await getDb().project.findUnique({ where: { id: opts.projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  return project;
}

export async function getProjectBySlug(opts: { slug: string }) {
  const project = await getDb().project.findUnique({ where: { slug: opts.slug } });
  if (!project) throw new AppError("NOT_FOUND", `No project "${opts.slug}".`);
  return project;
}

export async function getGuidelines(opts: { projectId: string; version?: number }) {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: opts.projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const version = opts.version ?? project.guidelineVersion;
  const row = await db.guidelineVersion.findUnique({
    where: { projectId_version: { projectId: project.id, version } },
  });
  return { version, body: row?.body ?? "", createdAt: row?.createdAt ?? project.createdAt };
}

export async function findProjects(opts: { includeArchived: boolean }) {
  const db = getDb();
  const projects = await db.project.findMany({
    where: opts.includeArchived ? {} : { status: { not: "archived" } },
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { prompts: true, judgments: true } } },
  });
  return Promise.all(
    projects.map(async (p) => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      description: p.description,
      status: p.status,
      candidatesPerPrompt: p.candidatesPerPrompt,
      overlap: p.overlap,
      leaseMinutes: p.leaseMinutes,
      guidelineVersion: p.guidelineVersion,
      createdAt: p.createdAt,
      prompts: p._count.prompts,
      judgments: p._count.judgments,
      completePrompts: await db.prompt.count({ where: completePromptWhere(p.id, p.overlap) }),
    })),
  );
}

/**
 * A prompt is complete when it has a comparison and each of its comparisons (not retired) reached the
 * overlap; a prompt waiting for candidates is not complete.
 */
export function completePromptWhere(projectId: string, overlap: number) {
  return {
    projectId,
    comparisons: { some: {}, none: { status: { not: "retired" }, judgmentCount: { lt: overlap } } },
  };
}
