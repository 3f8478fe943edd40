// Who may label a project: admins always; a labeller when the project is open to all labellers or they are
// one of its members (ProjectMember, assigned by an admin). The same rule filters the labeller's project list.
import { getDb } from "../../db";
import { AppError } from "../../errors";

type TProjectAccess = { id: string; name: string; openToAllLabellers: boolean };

export async function canLabel(project: TProjectAccess, userId: string): Promise<boolean> {
  if (project.openToAllLabellers) return true;
  const db = getDb();
  const [user, member] = await Promise.all([
    db.user.findUnique({ where: { id: userId }, select: { role: true } }),
    db.projectMember.findUnique({
      where: { projectId_userId: { projectId: project.id, userId } },
      select: { userId: true },
    }),
  ]);
  return user?.role === "admin" || member !== null;
}

export async function assertCanLabel(project: TProjectAccess, userId: string): Promise<void> {
  if (!(await canLabel(project, userId)))
    throw new AppError(
      "FORBIDDEN",
      `You are not a member of the project "${project.name}". Ask an admin to add you to it.`,
    );
}

/** The Prisma filter for the projects a user may label (status aside). */
export function labellableBy(userId: string, role: string) {
  return role === "admin" ? {} : { OR: [{ openToAllLabellers: true }, { members: { some: { userId } } }] };
}
