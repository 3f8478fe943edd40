// Export paging: prompts are read in keyset pages, so a page edge must neither drop nor repeat a judgment nor change
// the order (prompt order, then round, then judgment time). Pages of one and two prompts against the default page.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { createComparison } from "../queue/create-comparison";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { exportLines, type TExportOptions } from "./export-lines";

const t = useTestDb();
let projectId = "";
let labellers: string[] = [];

async function judgeAll(userId: string, slug: string) {
  for (;;) {
    const task = await leaseNext({ userId, projectSlug: slug });
    if (!task) return;
    const ids = task.candidates.map((c) => c.id);
    await submitJudgment({
      userId,
      assignmentId: task.assignmentId,
      tiers: ids.map((id) => [id]),
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 1000,
      activeMs: 900,
    });
  }
}

beforeAll(async () => {
  const project = await makeProject({ prompts: 6, candidates: 2, overlap: 2 });
  projectId = project.id;
  const prompts = await t.db().prompt.findMany({ where: { projectId }, orderBy: { seq: "asc" } });
  // A second round for prompts 2 and 5; prompt 4's only comparison is never judged (retired before labelling).
  for (const p of [prompts[1]!, prompts[4]!])
    await createComparison({
      promptId: p.id,
      round: 1,
      candidates: [
        { text: `Round 1 answer A to ${p.seq}`, source: "imported" },
        { text: `Round 1 answer B to ${p.seq}`, source: "imported" },
      ],
    });
  await t.db().comparison.updateMany({ where: { promptId: prompts[3]!.id }, data: { status: "retired" } });
  labellers = [(await makeUser()).id, (await makeUser()).id, (await makeUser()).id];
  await judgeAll(labellers[0]!, project.slug);
  await judgeAll(labellers[1]!, project.slug);
  // The third labeller finds every comparison complete (overlap 2).
  await judgeAll(labellers[2]!, project.slug);
});

async function lines(o: Omit<TExportOptions, "projectId" | "format">) {
  const out: { prompt_id: string; round: number; labeller: string; comparison_id: string }[] = [];
  for await (const line of exportLines({ projectId, format: "judgments", salt: "s", ...o }))
    out.push(JSON.parse(line) as (typeof out)[number]);
  return out;
}

describe("export pages", () => {
  it("gives the same rows in the same order whatever the page size", async () => {
    const stored = await t.db().judgment.findMany({
      where: { projectId },
      include: { comparison: { select: { promptSeq: true, round: true } } },
    });
    expect(stored.length).toBe(14); // 7 judged comparisons x overlap 2
    const all = await lines({});
    expect(all.length).toBe(stored.length);
    expect(new Set(all.map((r) => `${r.comparison_id}/${r.labeller}`)).size).toBe(stored.length);
    // Prompt order, then round.
    const seqOf = new Map(stored.map((j) => [j.comparisonId, j.comparison.promptSeq * 10 + j.comparison.round]));
    const keys = all.map((r) => seqOf.get(r.comparison_id)!);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(keys).toContain(21);
    expect(keys).not.toContain(40);
    for (const pageSize of [1, 2, 3]) expect(await lines({ pageSize }), `pages of ${pageSize}`).toEqual(all);
  });

  it("applies the filters across page edges", async () => {
    const complete = await lines({ onlyComplete: true });
    expect(await lines({ onlyComplete: true, pageSize: 1 })).toEqual(complete);
    const one = await lines({ labellerIds: [labellers[0]!] });
    expect(one.length).toBe(7);
    expect(await lines({ labellerIds: [labellers[0]!], pageSize: 2 })).toEqual(one);
  });
});
