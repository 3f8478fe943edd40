// Imported judgments on the real database: Label Studio, Argilla and OASST files (hand-written, in the published
// formats) become prompts, candidates and judgments of imported accounts, counted on their comparisons; re-imports
// add nothing; a failed import leaves no judgment behind; the accounts cannot sign in or be offered as labellers;
// exports and the quality figures mark them as imported.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { isAppError } from "../../errors";
import type { TImportFormat } from "../../domain";
import { importPrompts } from "./import-prompts";
import { importedAccountEmail } from "./imported-accounts";
import { signIn } from "../auth/sign-in";
import { findProjectMembers, addProjectMember } from "../projects/project-members";
import { createInvite } from "../users/create-invite";
import { setUserDisabled } from "../users/update-user";
import { exportRows } from "../export/export-lines";
import { computeQuality } from "../quality/compute-quality";
import { leaseNext } from "../queue/lease-next";

const t = useTestDb();
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const USER_A = "0c1d2e3f-4a5b-4c6d-8e7f-901234567890";

function run(projectId: string, text: string, format: TImportFormat, open?: () => Readable) {
  return importPrompts({
    projectId,
    actorId: null,
    filename: `file.${format}.json`,
    format,
    open: open ?? (() => Readable.from([Buffer.from(text, "utf8")])),
  });
}

/** Each comparison's judgments as [prompt external id, judgmentCount, [account name, tiers as candidate texts]]. */
async function judgmentsOf(projectId: string) {
  const comparisons = await t.db().comparison.findMany({
    where: { projectId },
    orderBy: { promptSeq: "asc" },
    include: {
      prompt: true,
      candidates: { orderBy: { position: "asc" } },
      judgments: { include: { user: true, assignment: true }, orderBy: { user: { name: "asc" } } },
    },
  });
  return comparisons.map((c) => {
    const textOf = (id: string) => c.candidates.find((x) => x.id === id)!.text;
    return [
      c.prompt.externalId,
      c.status,
      c.judgmentCount,
      c.judgments.map((j) => [j.user.name, (j.tiers as string[][]).map((tier) => tier.map(textOf))]),
    ];
  });
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: unknown) => {
      if (isAppError(e)) return `${e.code}: ${e.message}`;
      throw e;
    },
  );

describe("imported judgments: Label Studio", () => {
  it("writes prompts, candidates, imported accounts, submitted assignments and judgments, counted", async () => {
    const project = await makeProject({ prompts: 0, candidates: 3, overlap: 2 });
    const report = await run(project.id, fixture("label-studio-ranking.json"), "label-studio");
    expect(report).toMatchObject({ status: "done", promptsAdded: 3, duplicates: 0, errorCount: 0 });
    expect(await judgmentsOf(project.id)).toEqual([
      [
        "label-studio:101",
        "open",
        2,
        [
          [
            "Label Studio annotator 3",
            [
              ["Put the stems in a glass of water at room temperature."],
              ["Keep it in the freezer in a sealed bag."],
              ["Basil cannot be kept."],
            ],
          ],
          [
            "Label Studio annotator 7",
            [
              ["Keep it in the freezer in a sealed bag."],
              ["Put the stems in a glass of water at room temperature.", "Basil cannot be kept."],
            ],
          ],
        ],
      ],
      [
        "label-studio:102",
        "open",
        2,
        [
          ["Label Studio annotator 3", [["Fresh bread, warm hearts: welcome in!"], ["Hello."]]],
          ["Label Studio annotator 7", [["Hello."], ["Fresh bread, warm hearts: welcome in!"]]],
        ],
      ],
      ["label-studio:103", "open", 0, []],
    ]);
    const accounts = await t.db().user.findMany({ where: { importedFrom: { not: null } }, orderBy: { name: "asc" } });
    expect(accounts.map((u) => [u.email, u.name, u.importedFrom, u.isDisabled, u.role])).toEqual([
      [importedAccountEmail("label-studio", "3"), "Label Studio annotator 3", "label-studio", true, "labeller"],
      [importedAccountEmail("label-studio", "7"), "Label Studio annotator 7", "label-studio", true, "labeller"],
    ]);
    const judgment = await t.db().judgment.findFirstOrThrow({
      where: {
        projectId: project.id,
        user: { name: "Label Studio annotator 3" },
        prompt: { externalId: "label-studio:101" },
      },
      include: { assignment: true, comparison: { include: { candidates: { orderBy: { position: "asc" } } } } },
    });
    const inImportOrder = judgment.comparison.candidates.map((c) => c.id);
    expect(judgment.shownOrder).toEqual(inImportOrder);
    expect(judgment.createdAt).toEqual(new Date("2025-03-01T10:00:00Z"));
    expect(judgment.assignment).toMatchObject({ status: "submitted", slot: 0, shownOrder: inImportOrder });

    // Counted toward the overlap (2): the two ranked tasks are complete, the third goes to the project's labellers.
    const labeller = await makeUser();
    const task = await leaseNext({ userId: labeller.id, projectSlug: project.slug });
    expect(task?.promptId).toBe(
      (await t.db().prompt.findFirstOrThrow({ where: { externalId: "label-studio:103" } })).id,
    );

    // A re-import adds nothing: no prompt, no judgment, no account.
    const again = await run(project.id, fixture("label-studio-ranking.json"), "label-studio");
    expect(again).toMatchObject({ status: "done", promptsAdded: 0, duplicates: 3 });
    expect(await t.db().judgment.count({ where: { projectId: project.id } })).toBe(4);
    expect(await t.db().user.count({ where: { importedFrom: { not: null } } })).toBe(2);
  });

  it("refuses a file with a malformed task and writes nothing, with the task's number and line", async () => {
    const project = await makeProject({ prompts: 0, candidates: 3 });
    const tasks = JSON.parse(fixture("label-studio-ranking.json")) as Record<string, unknown>[];
    tasks[1] = { ...tasks[1], annotations: [{ completed_by: 3, result: [{ type: "pairwise", value: {} }] }] };
    const report = await run(project.id, JSON.stringify(tasks, null, 1), "label-studio");
    expect(report.status).toBe("failed");
    expect(report.errors).toEqual([
      { line: 87, message: 'task 2: "annotations[0].result.value.selected" must be "left" or "right"' },
    ]);
    expect(await t.db().prompt.count({ where: { projectId: project.id } })).toBe(0);
    expect(await t.db().judgment.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("a failed write pass removes the imported judgments and assignments with their prompts", async () => {
    const project = await makeProject({ prompts: 0, candidates: 3 });
    const full = fixture("label-studio-ranking.json");
    const tasks = JSON.parse(full) as unknown[];
    let reads = 0;
    // The second read (the write pass) sees only the first two tasks, as a truncated file would.
    const open = () =>
      Readable.from([Buffer.from(reads++ === 0 ? full : JSON.stringify(tasks.slice(0, 2), null, 2), "utf8")]);
    await expect(run(project.id, "", "label-studio", open)).rejects.toThrow(/read differently the second time/);
    expect(await t.db().prompt.count({ where: { projectId: project.id } })).toBe(0);
    expect(await t.db().judgment.count({ where: { projectId: project.id } })).toBe(0);
    expect(await t.db().assignment.count({ where: { projectId: project.id } })).toBe(0);
  });
});

describe("imported judgments: Argilla and OASST", () => {
  it("Argilla 1.x and 2.x: one account per response user, shared across files and projects", async () => {
    const p1 = await makeProject({ prompts: 0, candidates: 3 });
    const p2 = await makeProject({ prompts: 0, candidates: 3 });
    expect(await run(p1.id, fixture("argilla-v1-ranking.json"), "argilla")).toMatchObject({
      status: "done",
      promptsAdded: 2,
    });
    expect(await run(p2.id, fixture("argilla-v2-ranking.json"), "argilla")).toMatchObject({
      status: "done",
      promptsAdded: 2,
    });
    expect(await judgmentsOf(p1.id)).toEqual([
      [
        "argilla:q-1",
        "open",
        1,
        [
          [
            "Argilla annotator " + importedAccountEmail("argilla", USER_A).slice(8, 16),
            [
              // Tied replies keep the order of the response.
              ["About 212 degrees Fahrenheit, which is 100 degrees Celsius.", "100 degrees Celsius."],
              ["50 degrees Celsius."],
            ],
          ],
        ],
      ],
      ["argilla:q-2", "open", 0, []],
    ]);
    expect((await judgmentsOf(p2.id)).map(([id, , count]) => [id, count])).toEqual([
      ["argilla:rec-1", 1],
      ["argilla:rec-2", 2],
    ]);
    const accounts = await t
      .db()
      .user.findMany({ where: { importedFrom: "argilla" }, include: { _count: { select: { judgments: true } } } });
    expect(accounts.map((a) => a._count.judgments).sort()).toEqual([1, 3]);
  });

  it("OASST: the ranks become one judgment of the imported labeller OASST; unranked replies none", async () => {
    const project = await makeProject({ prompts: 0, candidates: 3 });
    expect(await run(project.id, fixture("oasst-trees.jsonl"), "oasst")).toMatchObject({
      status: "done",
      promptsAdded: 3,
    });
    expect(await judgmentsOf(project.id)).toEqual([
      [
        "m1",
        "open",
        1,
        [
          [
            "OASST",
            [
              ["Lower it into simmering water, cook 9 minutes, then cool it in ice water."],
              ["Put it in boiling water for nine minutes."],
              ["Eggs cannot be boiled."],
            ],
          ],
        ],
      ],
      ["m5", "open", 1, [["OASST", [["Six minutes."], ["Twenty minutes."]]]]],
      ["n1", "open", 0, []],
    ]);
    expect(await t.db().user.count({ where: { importedFrom: "oasst" } })).toBe(1);
  });

  it("candidates only: the rankings are left out, the provenance stays", async () => {
    const project = await makeProject({ prompts: 0, candidates: 3 });
    const report = await importPrompts({
      projectId: project.id,
      actorId: null,
      filename: "trees.jsonl",
      format: "oasst",
      open: () => Readable.from([Buffer.from(fixture("oasst-trees.jsonl"), "utf8")]),
      withoutRankings: true,
    });
    expect(report).toMatchObject({ status: "done", promptsAdded: 3 });
    expect((await judgmentsOf(project.id)).map(([id, , count, js]) => [id, count, js])).toEqual([
      ["m1", 0, []],
      ["m5", 0, []],
      ["n1", 0, []],
    ]);
    const candidate = await t
      .db()
      .candidate.findFirstOrThrow({ where: { prompt: { projectId: project.id }, text: "Six minutes." } });
    expect(candidate.generationParams).toEqual({ oasst: { rank: 0, message_id: "m6" } });
    expect(await t.db().assignment.count({ where: { projectId: project.id } })).toBe(0);
  });
});

describe("imported accounts", () => {
  it("cannot sign in, be enabled, be added to a project or be invited, and are never offered as labellers", async () => {
    const project = await makeProject({ prompts: 0, candidates: 3 });
    await run(project.id, fixture("label-studio-ranking.json"), "label-studio");
    const account = await t.db().user.findFirstOrThrow({ where: { importedFrom: "label-studio" } });
    const admin = await makeUser({ role: "admin" });
    expect(
      await code(signIn({ email: account.email, password: "anything at all", ip: "192.0.2.50", userAgent: "t" })),
    ).toBe("UNAUTHENTICATED: This account only holds judgments imported from label-studio; it cannot sign in.");
    expect(await code(setUserDisabled({ actorId: admin.id, userId: account.id, isDisabled: false }))).toBe(
      `CONFLICT: ${account.name} only holds judgments imported from label-studio; it cannot be enabled.`,
    );
    expect(await code(addProjectMember({ actorId: admin.id, projectId: project.id, userId: account.id }))).toBe(
      `BAD_INPUT: ${account.name} only holds judgments imported from label-studio; it cannot label.`,
    );
    expect(
      await code(createInvite({ actorId: admin.id, email: "someone@imported.invalid", role: "labeller" })),
    ).toMatch(/^BAD_INPUT: Addresses at imported.invalid belong to imported judgments/);
    const labeller = await makeUser();
    const members = await findProjectMembers({ projectId: project.id });
    expect(members.nonMembers.map((u) => u.id)).toContain(labeller.id);
    expect(members.nonMembers.filter((u) => u.email.endsWith("@imported.invalid"))).toEqual([]);
  });

  it("exports mark them as imported (pseudonymous) and the quality figures leave their timing and order out", async () => {
    const project = await makeProject({ prompts: 0, candidates: 3, overlap: 2 });
    await run(project.id, fixture("label-studio-ranking.json"), "label-studio");
    const rows = [];
    for await (const row of exportRows({ projectId: project.id, format: "judgments", salt: "s" })) rows.push(row);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.labeller).toMatch(/^imported:label-studio:[0-9a-f]{16}$/);
    const arena = [];
    for await (const row of exportRows({ projectId: project.id, format: "arena", salt: "s" })) arena.push(row);
    for (const row of arena) expect(row.judge).toMatch(/^imported:label-studio:[0-9a-f]{16}$/);
    const quality = await computeQuality({ projectId: project.id });
    expect(
      quality.labellers.map((l) => [l.name, l.importedFrom, l.judgments, l.medianActiveMs, l.tooFastShare]),
    ).toEqual(
      expect.arrayContaining([
        ["Label Studio annotator 3", "label-studio", 2, null, 0],
        ["Label Studio annotator 7", "label-studio", 2, null, 0],
      ]),
    );
  });
});
