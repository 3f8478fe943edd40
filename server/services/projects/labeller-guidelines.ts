// A project's guidelines as a labeller may read them: only for a project they can label (an active one),
// so paused and archived projects stay unreadable to anyone outside the admins, even by guessing a slug, and a
// members-only project to labellers who are not its members.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { getGuidelines } from "./project-queries";
import { assertCanLabel } from "./assert-can-label";

export async function getLabellerGuidelines(opts: { userId: string; projectSlug: string; version?: number }) {
  const project = await getDb().project.findUnique({ where: { slug: opts.projectSlug } });
  // The same answer for a project that is not open as for one that does not exist.
  if (!project || project.status !== "active") throw new AppError("NOT_FOUND", `No project "${opts.projectSlug}".`);
  await assertCanLabel(project, opts.userId);
  return { projectName: project.name, ...(await getGuidelines({ projectId: project.id, version: opts.version })) };
}
