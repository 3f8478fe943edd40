// The audit log in words, on the real database: each kind of action the services write today is done through its
// service (or, for the import, training and policy actions, recorded as those services record them) and read back
// through findAuditEntries: actor by name and email, target by name, changes as "old → new"; the actor and
// action filters narrow the log, and pages follow one another.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeUser } from "../../test/factories";
import { createProject, setProjectStatus, updateGuidelines, updateProject } from "../projects/mutate-project";
import { createInvite } from "../users/create-invite";
import { revokeInvite } from "../users/revoke-invite";
import { setUserDisabled, setUserRole } from "../users/update-user";
import { recordAudit } from "./record-audit";
import { AUDIT_ACTIONS } from "./describe-audit";
import { auditFilterOptions, findAuditEntries } from "./find-audit-entries";

const t = useTestDb();
const settings = { name: "Helpfulness", description: "", candidatesPerPrompt: 3, overlap: 3, leaseMinutes: 30 };

describe("the audit log in words", () => {
  let admin = { id: "", email: "" };
  let other = { id: "", email: "" };
  let lee = { id: "", email: "" };
  let projectId = "";
  const seen = new Map<string, { summary: string; target: string; changes: string[]; actor: string | null }>();

  beforeAll(async () => {
    const db = t.db();
    admin = await db.user.update({
      where: { id: (await makeUser({ role: "admin" })).id },
      data: { name: "Ann Admin" },
    });
    other = await makeUser({ role: "admin" });
    lee = await db.user.update({ where: { id: (await makeUser()).id }, data: { name: "Lee" } });
    const project = await createProject({ actorId: admin.id, slug: "helpful", settings, guidelines: "# Rank" });
    projectId = project.id;
    await updateProject({ actorId: admin.id, projectId, settings: { ...settings, overlap: 2, leaseMinutes: 45 } });
    await setProjectStatus({ actorId: admin.id, projectId, status: "paused" });
    await setProjectStatus({ actorId: admin.id, projectId, status: "active" });
    await setProjectStatus({ actorId: admin.id, projectId, status: "archived" });
    await updateGuidelines({ actorId: admin.id, projectId, body: "# Rank by helpfulness" });
    const invite = await createInvite({ actorId: admin.id, email: "new@test.local", role: "labeller" });
    await revokeInvite({ actorId: admin.id, inviteId: invite.id });
    await setUserDisabled({ actorId: admin.id, userId: lee.id, isDisabled: true });
    await setUserDisabled({ actorId: admin.id, userId: lee.id, isDisabled: false });
    await setUserRole({ actorId: other.id, userId: lee.id, role: "admin" });
    // As import-prompts.ts, request-training-run.ts, training-run-state.ts and ensure-admin.ts write them.
    const [v1, v2] = await Promise.all(
      ["policy-a", "policy-b"].map((name) => db.modelVersion.create({ data: { name, kind: "policy" } })),
    );
    await recordAudit({
      actorId: admin.id,
      action: "project.import",
      targetType: "project",
      targetId: projectId,
      details: { importId: "i1", filename: "hh.jsonl", status: "done", promptsAdded: 5, duplicates: 1, errorCount: 0 },
    });
    await recordAudit({
      actorId: admin.id,
      action: "project.train",
      targetType: "project",
      targetId: projectId,
      details: { runId: "r1", number: 2 },
    });
    await recordAudit({
      actorId: admin.id,
      action: "project.policy",
      targetType: "project",
      targetId: projectId,
      details: { from: v1!.id, to: v2!.id },
    });
    await recordAudit({ actorId: null, action: "user.bootstrap-admin", targetType: "user", targetId: admin.id });
    // As project-members.ts, password-reset.ts and server/jobs/job-admin.ts write them.
    const rows: [string, string, string, Record<string, unknown>, string | null][] = [
      ["project.member-add", "project", projectId, { userId: lee.id, email: lee.email }, admin.id],
      ["project.member-remove", "project", projectId, { userId: lee.id, email: lee.email }, admin.id],
      ["project.set-open-to-all", "project", projectId, { openToAllLabellers: false }, admin.id],
      ["user.password-reset-link", "user", lee.id, { email: lee.email }, admin.id],
      ["user.password-reset", "user", lee.id, { resetId: "r1" }, lee.id],
      ["job.retry", "job", "j1", { kind: "generate.candidates", attempts: 3, error: "out of memory" }, admin.id],
      ["job.cancel", "job", "j2", { kind: "train.round" }, admin.id],
      // As set-gold.ts and labeller-pause.ts write them.
      [
        "comparison.gold-set",
        "project",
        projectId,
        {
          comparisonId: "c1",
          promptSeq: 4,
          round: 0,
          gold: { best: "k1", note: "" },
          wasGold: false,
          rescored: 2,
          misses: 1,
        },
        admin.id,
      ],
      [
        "comparison.gold-clear",
        "project",
        projectId,
        { comparisonId: "c1", promptSeq: 4, round: 0, wasGold: true, rescored: 0 },
        admin.id,
      ],
      [
        "labeller.resume",
        "project",
        projectId,
        { userId: lee.id, email: lee.email, pauseId: "p1", reason: "…" },
        admin.id,
      ],
      // As adjudicate-comparison.ts, the export route and the model download route write them.
      [
        "comparison.adjudicate",
        "project",
        projectId,
        { comparisonId: "c1", promptSeq: 4, round: 0, ranking: [["2"], ["1", "3"]], note: "2 is right" },
        admin.id,
      ],
      ["project.export", "project", projectId, { format: "trl", file: "parquet", source: "final" }, admin.id],
      ["model.download", "modelVersion", "v-gone", { name: "helpful-round-2", files: 4, bytes: 1200 }, admin.id],
    ];
    for (const [action, targetType, targetId, details, actorId] of rows)
      await recordAudit({ actorId, action, targetType, targetId, details });
    // A row of an older version: project.update without the values it replaced.
    await recordAudit({
      actorId: admin.id,
      action: "project.update",
      targetType: "project",
      targetId: projectId,
      details: { ...settings, overlap: 5 },
    });
    const all = await findAuditEntries({ limit: 100 });
    for (const r of [...all.items].reverse())
      seen.set(seen.has(r.action) ? `${r.action}#2` : r.action, {
        summary: r.summary,
        target: r.target.label,
        changes: r.changes,
        actor: r.actor ? `${r.actor.name}|${r.actor.email}` : null,
      });
  });

  it("names the actor, the target and the changes of each action", () => {
    const ann = `Ann Admin|${admin.email}`;
    const project = "Helpfulness (helpful)";
    expect(Object.fromEntries(seen)).toEqual({
      "project.create": {
        summary: "Created project",
        target: project,
        actor: ann,
        changes: ['name "Helpfulness"', "candidates per prompt (K) 3", "overlap 3", "lease minutes 30", "slug helpful"],
      },
      "project.update": {
        summary: "Changed project settings",
        target: project,
        actor: ann,
        changes: ["overlap 3 → 2", "lease minutes 30 → 45"],
      },
      "project.paused": {
        summary: "Changed project status",
        target: project,
        actor: ann,
        changes: ["status active → paused"],
      },
      "project.active": {
        summary: "Changed project status",
        target: project,
        actor: ann,
        changes: ["status paused → active"],
      },
      "project.archived": {
        summary: "Changed project status",
        target: project,
        actor: ann,
        changes: ["status active → archived"],
      },
      "project.guidelines": { summary: "Edited guidelines", target: project, actor: ann, changes: ["now version 2"] },
      "invite.create": {
        summary: "Invited",
        target: "invite for new@test.local",
        actor: ann,
        changes: ["as labeller"],
      },
      "invite.revoke": { summary: "Revoked invite", target: "invite for new@test.local", actor: ann, changes: [] },
      "user.disable": { summary: "Disabled account", target: `Lee <${lee.email}>`, actor: ann, changes: [] },
      "user.enable": { summary: "Enabled account", target: `Lee <${lee.email}>`, actor: ann, changes: [] },
      "user.set-role": {
        summary: "Changed role",
        target: `Lee <${lee.email}>`,
        actor: `|${other.email}`,
        changes: ["role labeller → admin"],
      },
      "project.import": {
        summary: "Imported prompts",
        target: project,
        actor: ann,
        changes: ["file hh.jsonl", "done: 5 prompts added, 1 duplicates, 0 lines rejected"],
      },
      "project.train": { summary: "Started a training round", target: project, actor: ann, changes: ["round 2"] },
      "project.policy": {
        summary: "Changed the active policy",
        target: project,
        actor: ann,
        changes: ["policy policy-a → policy-b"],
      },
      "user.bootstrap-admin": {
        summary: "Created the first admin account",
        target: `Ann Admin <${admin.email}>`,
        actor: null,
        changes: [],
      },
      "project.member-add": { summary: "Added a member", target: project, actor: ann, changes: [lee.email] },
      "project.member-remove": { summary: "Removed a member", target: project, actor: ann, changes: [lee.email] },
      "project.set-open-to-all": {
        summary: "Changed who may label",
        target: project,
        actor: ann,
        changes: ["members only"],
      },
      "user.password-reset-link": {
        summary: "Issued a password reset link",
        target: `Lee <${lee.email}>`,
        actor: ann,
        changes: [],
      },
      "user.password-reset": {
        summary: "Reset their password",
        target: `Lee <${lee.email}>`,
        actor: `Lee|${lee.email}`,
        changes: [],
      },
      "job.retry": {
        summary: "Retried a failed job",
        target: "job j1",
        actor: ann,
        changes: ['generate.candidates, after: "out of memory"'],
      },
      "job.cancel": { summary: "Cancelled a queued job", target: "job j2", actor: ann, changes: ["train.round"] },
      "comparison.gold-set": {
        summary: "Marked a comparison as gold",
        target: project,
        actor: ann,
        changes: ["prompt #4, round 0", "2 judgments re-scored"],
      },
      "comparison.gold-clear": {
        summary: "Cleared a gold comparison",
        target: project,
        actor: ann,
        changes: ["prompt #4, round 0"],
      },
      "labeller.resume": { summary: "Resumed a paused labeller", target: project, actor: ann, changes: [lee.email] },
      "comparison.adjudicate": {
        summary: "Adjudicated a comparison",
        target: project,
        actor: ann,
        changes: ["prompt #4, round 0", "ranking 2 > 1 = 3", 'note "2 is right"'],
      },
      "project.export": {
        summary: "Exported a dataset",
        target: project,
        actor: ann,
        changes: ["format trl", "as parquet"],
      },
      "model.download": {
        summary: "Downloaded a model version",
        target: "helpful-round-2",
        actor: ann,
        changes: ["4 files, 1200 bytes"],
      },
      "project.update#2": {
        summary: "Changed project settings",
        target: project,
        actor: ann,
        changes: [
          'name → "Helpfulness"',
          "description → (none)",
          "candidates per prompt (K) → 3",
          "overlap → 5",
          "lease minutes → 30",
        ],
      },
    });
    // Every action the log knows is covered above.
    expect([...seen.keys()].filter((k) => !k.includes("#")).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it("filters by actor and by action, and pages by cursor", async () => {
    const byOther = await findAuditEntries({ limit: 50, actorId: other.id });
    expect(byOther.items.map((r) => r.action)).toEqual(["user.set-role"]);
    const statuses = await findAuditEntries({ limit: 50, action: "project.paused" });
    expect(statuses.items.map((r) => r.changes)).toEqual([["status active → paused"]]);
    const pages = [await findAuditEntries({ limit: 10 })];
    while (pages.at(-1)!.nextCursor !== undefined)
      pages.push(await findAuditEntries({ limit: 10, cursor: pages.at(-1)!.nextCursor }));
    expect(pages.map((p) => p.items.length)).toEqual([10, 10, seen.size - 20]);
    expect(new Set(pages.flatMap((p) => p.items.map((r) => r.id))).size).toBe(seen.size);
    const options = await auditFilterOptions();
    expect(options.actors.map((a) => a.id).sort()).toEqual([admin.id, other.id, lee.id].sort());
  });
});
