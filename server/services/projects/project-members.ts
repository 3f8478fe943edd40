// Project membership (admin side): who is assigned to a project, adding and removing labellers, and whether
// the project is open to every labeller. Taking someone's access away also gives their open leases in the
// project back to the queue, so a lease never outlives the right to it.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { MEMBER_ROLES } from "../../domain";
import { recordAudit } from "../audit/record-audit";

async function getProject(projectId: string) {
  const project = await getDb().project.findUnique({ where: { id: projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No project with that id.");
  return project;
}

export async function findProjectMembers(opts: { projectId: string }) {
  const db = getDb();
  const project = await getProject(opts.projectId);
  const [members, labellers] = await Promise.all([
    db.projectMember.findMany({
      where: { projectId: project.id },
      include: { user: { select: { id: true, email: true, name: true, isDisabled: true } } },
      orderBy: { createdAt: "asc" },
    }),
    db.user.findMany({
      // Accounts of imported judgments cannot label: they are never offered.
      where: { role: { in: [...MEMBER_ROLES] }, importedFrom: null, memberships: { none: { projectId: project.id } } },
      select: { id: true, email: true, name: true, isDisabled: true },
      orderBy: { email: "asc" },
    }),
  ]);
  return {
    openToAllLabellers: project.openToAllLabellers,
    members: members.map((m) => ({ ...m.user, addedAt: m.createdAt })),
    nonMembers: labellers,
  };
}

export async function addProjectMember(opts: { actorId: string; projectId: string; userId: string }) {
  const db = getDb();
  const project = await getProject(opts.projectId);
  const user = await db.user.findUnique({ where: { id: opts.userId } });
  if (!user) throw new AppError("NOT_FOUND", "No user with that id.");
  if (user.role === "admin")
    throw new AppError("BAD_INPUT", `${user.email} is an admin; admins can label every project without membership.`);
  if (user.importedFrom)
    throw new AppError(
      "BAD_INPUT",
      `${user.name} only holds judgments imported from ${user.importedFrom}; it cannot label.`,
    );
  await db.$transaction(async (tx) => {
    const existing = await tx.projectMember.findUnique({
      where: { projectId_userId: { projectId: project.id, userId: user.id } },
    });
    if (existing) throw new AppError("CONFLICT", `${user.email} is already a member of "${project.name}".`);
    await tx.projectMember.create({ data: { projectId: project.id, userId: user.id, addedById: opts.actorId } });
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "project.member-add",
        targetType: "project",
        targetId: project.id,
        details: { userId: user.id, email: user.email },
      },
      tx,
    );
  });
  return { ok: true };
}

export async function removeProjectMember(opts: { actorId: string; projectId: string; userId: string }) {
  const db = getDb();
  const project = await getProject(opts.projectId);
  await db.$transaction(async (tx) => {
    const { count } = await tx.projectMember.deleteMany({ where: { projectId: project.id, userId: opts.userId } });
    if (count !== 1) throw new AppError("NOT_FOUND", "That user is not a member of this project.");
    if (!project.openToAllLabellers)
      await tx.assignment.deleteMany({ where: { projectId: project.id, status: "active", userId: opts.userId } });
    const user = await tx.user.findUnique({ where: { id: opts.userId }, select: { email: true } });
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "project.member-remove",
        targetType: "project",
        targetId: project.id,
        details: { userId: opts.userId, email: user?.email ?? null },
      },
      tx,
    );
  });
  return { ok: true };
}

export async function setProjectOpenToAll(opts: { actorId: string; projectId: string; openToAllLabellers: boolean }) {
  const project = await getProject(opts.projectId);
  await getDb().$transaction(async (tx) => {
    await tx.project.update({ where: { id: project.id }, data: { openToAllLabellers: opts.openToAllLabellers } });
    if (!opts.openToAllLabellers) {
      // Labellers who are neither members nor admins lose the project: their open leases go back to the queue.
      await tx.assignment.deleteMany({
        where: {
          projectId: project.id,
          status: "active",
          user: { role: { in: [...MEMBER_ROLES] }, memberships: { none: { projectId: project.id } } },
        },
      });
    }
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "project.set-open-to-all",
        targetType: "project",
        targetId: project.id,
        details: { openToAllLabellers: opts.openToAllLabellers },
      },
      tx,
    );
  });
  return { ok: true };
}
