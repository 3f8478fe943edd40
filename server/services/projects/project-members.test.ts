// Project membership against the real database: a project open to all labellers (the default, so existing
// projects keep working) is labelled by anyone; a members-only one is listed, leased and readable only by its
// members and the admins, and taking access away gives the labeller's open leases back to the queue.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "../queue/lease-next";
import { findLabellerProjects } from "../queue/labeller-progress";
import { getLabellerGuidelines } from "./labeller-guidelines";
import { addProjectMember, findProjectMembers, removeProjectMember, setProjectOpenToAll } from "./project-members";

const t = useTestDb();

const listed = async (userId: string) => (await findLabellerProjects({ userId })).map((p) => p.slug);
const forbidden = { name: "AppError", code: "FORBIDDEN" };

describe("project membership", () => {
  it("leaves a project open to every labeller until an admin makes it members-only", async () => {
    const labeller = await makeUser();
    const project = await makeProject();
    expect(project.openToAllLabellers).toBe(true);
    expect(await listed(labeller.id)).toContain(project.slug);
    expect(await leaseNext({ userId: labeller.id, projectSlug: project.slug })).not.toBeNull();
    expect((await getLabellerGuidelines({ userId: labeller.id, projectSlug: project.slug })).body).toContain("Rank");
  });

  it("lets only members and admins see, lease and read the guidelines of a members-only project", async () => {
    const admin = await makeUser({ role: "admin" });
    const member = await makeUser();
    const outsider = await makeUser();
    const project = await makeProject({ prompts: 3, overlap: 3 });
    await setProjectOpenToAll({ actorId: admin.id, projectId: project.id, openToAllLabellers: false });
    await addProjectMember({ actorId: admin.id, projectId: project.id, userId: member.id });

    expect(await listed(outsider.id)).not.toContain(project.slug);
    await expect(leaseNext({ userId: outsider.id, projectSlug: project.slug })).rejects.toMatchObject({
      ...forbidden,
      message: `You are not a member of the project "Test project". Ask an admin to add you to it.`,
    });
    await expect(getLabellerGuidelines({ userId: outsider.id, projectSlug: project.slug })).rejects.toMatchObject(
      forbidden,
    );
    expect(await t.db().assignment.count({ where: { userId: outsider.id } })).toBe(0);

    expect(await listed(member.id)).toContain(project.slug);
    expect(await leaseNext({ userId: member.id, projectSlug: project.slug })).not.toBeNull();
    expect(await listed(admin.id)).toContain(project.slug);
    expect(await leaseNext({ userId: admin.id, projectSlug: project.slug })).not.toBeNull();

    const view = await findProjectMembers({ projectId: project.id });
    expect(view.openToAllLabellers).toBe(false);
    expect(view.members.map((m) => m.id)).toEqual([member.id]);
    expect(view.nonMembers.map((u) => u.id)).toContain(outsider.id);
    expect(view.nonMembers.map((u) => u.id)).not.toContain(admin.id);
    const audit = await t.db().auditLog.findMany({ where: { targetId: project.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ["project.set-open-to-all", { openToAllLabellers: false }],
      ["project.member-add", { userId: member.id, email: member.email }],
    ]);
  });

  it("gives back the open leases of a removed member, and of non-members when a project turns members-only", async () => {
    const admin = await makeUser({ role: "admin" });
    const member = await makeUser();
    const outsider = await makeUser();
    const project = await makeProject({ prompts: 3, overlap: 3 });
    await addProjectMember({ actorId: admin.id, projectId: project.id, userId: member.id });
    await leaseNext({ userId: member.id, projectSlug: project.slug });
    await leaseNext({ userId: outsider.id, projectSlug: project.slug });
    await leaseNext({ userId: admin.id, projectSlug: project.slug });

    await setProjectOpenToAll({ actorId: admin.id, projectId: project.id, openToAllLabellers: false });
    const holders = async () =>
      (await t.db().assignment.findMany({ where: { projectId: project.id, status: "active" } })).map((a) => a.userId);
    expect((await holders()).sort()).toEqual([member.id, admin.id].sort());

    await removeProjectMember({ actorId: admin.id, projectId: project.id, userId: member.id });
    expect(await holders()).toEqual([admin.id]);
    await expect(leaseNext({ userId: member.id, projectSlug: project.slug })).rejects.toMatchObject(forbidden);
    expect(await t.db().auditLog.count({ where: { targetId: project.id, action: "project.member-remove" } })).toBe(1);
  });

  it("refuses an admin as a member, a second membership, and removing someone who is not a member", async () => {
    const admin = await makeUser({ role: "admin" });
    const labeller = await makeUser();
    const project = await makeProject({ prompts: 1 });
    await expect(
      addProjectMember({ actorId: admin.id, projectId: project.id, userId: admin.id }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
    await addProjectMember({ actorId: admin.id, projectId: project.id, userId: labeller.id });
    await expect(
      addProjectMember({ actorId: admin.id, projectId: project.id, userId: labeller.id }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await removeProjectMember({ actorId: admin.id, projectId: project.id, userId: labeller.id });
    await expect(
      removeProjectMember({ actorId: admin.id, projectId: project.id, userId: labeller.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      addProjectMember({ actorId: admin.id, projectId: "no-such-project", userId: labeller.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await t.db().projectMember.count({ where: { projectId: project.id } })).toBe(0);
  });
});
