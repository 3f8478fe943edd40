// The prompt browser's filters and pages on the real database: every filter must narrow the list to exactly the
// prompts it describes (a dropped condition returns all four), pages follow one another by cursor, and a
// judgment's permalink finds its prompt.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { browsePrompts, getPromptDetail, promptBrowseOptions } from "./browse-prompts";

const t = useTestDb();

describe("prompt browser", () => {
  let projectId = "";
  let seqs: Record<number, string> = {};
  let ada = { id: "", name: "", email: "" };
  let judgmentId = "";
  let importId = "";
  let submitted: Pick<Parameters<typeof submitJudgment>[0], "tiers" | "flags"> = { tiers: [], flags: {} };

  beforeAll(async () => {
    const db = t.db();
    const project = await makeProject({ prompts: 4, candidates: 2, overlap: 1 });
    projectId = project.id;
    const prompts = await db.prompt.findMany({ where: { projectId }, orderBy: { seq: "asc" } });
    seqs = Object.fromEntries(prompts.map((p) => [p.seq, p.id]));
    // 1: judged by Ada (complete). 2: manual, about hash maps (open). 3: of an import, pending. 4: retired.
    await db.prompt.update({
      where: { id: seqs[2] },
      data: {
        source: "manual",
        messages: [
          { role: "user", content: "Hello" },
          { role: "assistant", content: "Hi, what can I do?" },
          { role: "user", content: "How do Hash Maps work? 100% honestly" },
        ],
      },
    });
    const batch = await db.importBatch.create({ data: { projectId, filename: "batch.jsonl", format: "jsonl" } });
    importId = batch.id;
    await db.prompt.update({ where: { id: seqs[3] }, data: { importId } });
    await db.comparison.updateMany({ where: { promptId: seqs[3] }, data: { status: "pending" } });
    await db.comparison.updateMany({ where: { promptId: seqs[4] }, data: { status: "retired" } });
    const user = await makeUser();
    ada = await db.user.update({ where: { id: user.id }, data: { name: "Ada" } });
    const task = await leaseNext({ userId: ada.id, projectSlug: project.slug });
    if (!task) throw new Error("no task");
    expect(task.promptId).toBe(seqs[1]);
    const ids = task.candidates.map((c) => c.id);
    submitted = { tiers: [[ids[1]!], [ids[0]!]], flags: { [ids[0]!]: { kinds: ["harmful"], note: "rude" } } };
    await submitJudgment({
      userId: ada.id,
      assignmentId: task.assignmentId,
      ...submitted,
      noneAcceptable: false,
      rationale: "B explains it",
      totalMs: 1000,
      activeMs: 900,
    });
    judgmentId = (await db.judgment.findFirstOrThrow({ where: { userId: ada.id } })).id;
  });

  const seqsOf = async (filter: Partial<Parameters<typeof browsePrompts>[0]>) => {
    const r = await browsePrompts({ projectId, pageSize: 50, ...filter });
    expect(r.total).toBe(r.items.length);
    return r.items.map((p) => p.seq);
  };

  it("lists every prompt without a filter", async () => {
    expect(await seqsOf({})).toEqual([1, 2, 3, 4]);
  });

  it("searches the text of any turn, ignoring case, with LIKE wildcards taken literally", async () => {
    expect(await seqsOf({ text: "hash maps" })).toEqual([2]);
    expect(await seqsOf({ text: "what can I do" })).toEqual([2]);
    expect(await seqsOf({ text: "100%" })).toEqual([2]);
    expect(await seqsOf({ text: "%" })).toEqual([2]);
    expect(await seqsOf({ text: "_" })).toEqual([]);
    // The JSON's keys are not text of the conversation.
    expect(await seqsOf({ text: "content" })).toEqual([]);
  });

  it("filters by the state of the prompt's comparisons", async () => {
    expect(await seqsOf({ status: "complete" })).toEqual([1]);
    expect(await seqsOf({ status: "open" })).toEqual([2]);
    expect(await seqsOf({ status: "pending" })).toEqual([3]);
    expect(await seqsOf({ status: "retired" })).toEqual([4]);
  });

  it("filters by source, import batch and the labeller who judged it", async () => {
    expect(await seqsOf({ source: "manual" })).toEqual([2]);
    expect(await seqsOf({ importId })).toEqual([3]);
    expect(await seqsOf({ labellerId: ada.id })).toEqual([1]);
    expect(await seqsOf({ labellerId: ada.id, status: "open" })).toEqual([]);
  });

  it("pages by cursor, in prompt order, with the total of the filter", async () => {
    const first = await browsePrompts({ projectId, pageSize: 3 });
    expect(first.items.map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(first.total).toBe(4);
    expect(first.nextCursor).toBe(3);
    const second = await browsePrompts({ projectId, pageSize: 3, cursor: first.nextCursor });
    expect(second.items.map((p) => p.seq)).toEqual([4]);
    expect(second.nextCursor).toBeUndefined();
    const filtered = await browsePrompts({ projectId, pageSize: 1, status: "pending" });
    expect(filtered).toMatchObject({ total: 1, nextCursor: undefined });
  });

  it("offers the project's imports and the labellers who judged in it", async () => {
    const o = await promptBrowseOptions({ projectId });
    expect(o.imports.map((i) => i.id)).toEqual([importId]);
    expect(o.labellers).toEqual([{ id: ada.id, name: "Ada", email: ada.email }]);
  });

  it("opens a prompt by a judgment's id, with the judgment's ranking, flags, rationale and labeller", async () => {
    const d = await getPromptDetail({ projectId, judgmentId });
    expect(d.id).toBe(seqs[1]);
    const [c] = d.comparisons;
    expect(c?.candidates).toHaveLength(2);
    expect(c?.judgments.map((j) => [j.id, j.rationale, j.user.name, j.tiers, j.flags])).toEqual([
      [judgmentId, "B explains it", "Ada", submitted.tiers, submitted.flags],
    ]);
    await expect(getPromptDetail({ projectId, judgmentId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const other = await makeProject({ prompts: 1 });
    await expect(getPromptDetail({ projectId: other.id, promptId: seqs[1] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
