// importPrompts against the real database: all-or-nothing and partial modes, duplicates (external ids and content
// hashes, within a file and across imports), the K limit and candidate counts, seq numbering, ImportBatch reports.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { AppError } from "../../errors";
import type { TImportFormat } from "../../domain";
import { importPrompts, type TImportReport } from "./import-prompts";

const t = useTestDb();

const jsonl = (...rows: unknown[]) =>
  rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

async function run(
  projectId: string,
  text: string,
  opts: { isAllOrNothing?: boolean; actorId?: string | null; filename?: string; format?: TImportFormat } = {},
): Promise<TImportReport> {
  return importPrompts({
    projectId,
    actorId: opts.actorId ?? null,
    filename: opts.filename ?? "prompts.jsonl",
    format: opts.format ?? "jsonl",
    open: () => Readable.from([Buffer.from(text, "utf8")]),
    ...(opts.isAllOrNothing !== undefined ? { isAllOrNothing: opts.isAllOrNothing } : {}),
  });
}

/** The project's prompts in seq order, with what an import writes. */
async function promptsOf(projectId: string) {
  const rows = await t.db().prompt.findMany({
    where: { projectId },
    orderBy: { seq: "asc" },
    include: { candidates: { orderBy: { position: "asc" } } },
  });
  return rows.map((p) => ({
    seq: p.seq,
    messages: p.messages,
    externalId: p.externalId,
    metadata: p.metadata,
    importId: p.importId,
    source: p.source,
    candidates: p.candidates.map((c) => [c.position, c.text, c.source]),
  }));
}

const newProject = (k = 2) => makeProject({ prompts: 0, candidates: k });

const GOOD_AND_BAD = jsonl(
  { prompt: "First question", candidates: ["a1", "b1"], id: "q1" },
  { prompt: "" },
  { prompt: "Third question", candidates: ["a3", "b3"], metadata: { topic: "x" } },
);
const EMPTY_PROMPT = { line: 2, message: '"prompt" must not be empty' };

describe("importPrompts: all-or-nothing and partial", () => {
  it("imports nothing from a file with one bad line, and reports its line number and reason", async () => {
    const project = await newProject();
    const admin = await makeUser({ role: "admin" });
    const report = await run(project.id, GOOD_AND_BAD, { actorId: admin.id });
    const { importId, ...counts } = report;
    expect(importId).toMatch(/\S/);
    expect(counts).toEqual({
      status: "failed",
      linesRead: 3,
      promptsAdded: 0,
      duplicates: 0,
      errorCount: 1,
      errors: [EMPTY_PROMPT],
    });
    expect(await t.db().prompt.count({ where: { projectId: project.id } })).toBe(0);
    expect(await t.db().candidate.count({ where: { prompt: { projectId: project.id } } })).toBe(0);
    const batch = await t.db().importBatch.findUniqueOrThrow({ where: { id: report.importId } });
    expect(batch).toMatchObject({
      projectId: project.id,
      createdById: admin.id,
      filename: "prompts.jsonl",
      format: "jsonl",
      status: "failed",
      linesRead: 3,
      promptsAdded: 0,
      duplicates: 0,
      errorCount: 1,
      errors: [EMPTY_PROMPT],
    });
    expect(batch.finishedAt).toBeInstanceOf(Date);
    const audit = await t.db().auditLog.findMany({ where: { action: "project.import", targetId: project.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin.id,
      targetType: "project",
      details: {
        importId: report.importId,
        filename: "prompts.jsonl",
        status: "failed",
        promptsAdded: 0,
        duplicates: 0,
        errorCount: 1,
      },
    });
  });

  it("all-or-nothing is the default and reports every bad line, in order", async () => {
    const project = await newProject();
    const text = jsonl(
      { prompt: "typo", candidate: ["a", "b"] },
      "{not json",
      { prompt: "fine", candidates: ["x", "y"] },
      [1, 2],
      {
        messages: [
          { role: "user", content: "Q" },
          { role: "assistant", content: "A" },
        ],
      },
    );
    const report = await run(project.id, text);
    expect(report.status).toBe("failed");
    expect(report.errorCount).toBe(4);
    expect(report.errors.map((e) => e.line)).toEqual([1, 2, 4, 5]);
    expect(report.errors[0]).toEqual({ line: 1, message: 'unknown key "candidate" (did you mean "candidates"?)' });
    expect(report.errors[1]!.message).toMatch(/^invalid JSON \(/);
    expect(report.errors[2]).toEqual({ line: 4, message: "each line must be a JSON object" });
    expect(report.errors[3]).toEqual({
      line: 5,
      message: `the last turn of "messages" must be the user's, not the assistant's`,
    });
    expect(await t.db().prompt.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("reports at most 200 issues but counts them all", async () => {
    const project = await newProject();
    const rows = Array.from({ length: 250 }, (_, i) => ({ prompt: `p${i}`, candidates: ["only one"] }));
    const report = await run(project.id, jsonl(...rows));
    expect(report).toMatchObject({ status: "failed", linesRead: 250, errorCount: 250, promptsAdded: 0 });
    expect(report.errors).toHaveLength(200);
    expect(report.errors.at(-1)!.line).toBe(200);
    const batch = await t.db().importBatch.findUniqueOrThrow({ where: { id: report.importId } });
    expect(batch.errorCount).toBe(250);
    expect(batch.errors).toHaveLength(200);
  });

  it("partial mode imports the good lines and reports the bad ones", async () => {
    const project = await newProject();
    const report = await run(project.id, GOOD_AND_BAD, { isAllOrNothing: false });
    const { importId, ...counts } = report;
    expect(importId).toMatch(/\S/);
    expect(counts).toEqual({
      status: "done",
      linesRead: 3,
      promptsAdded: 2,
      duplicates: 0,
      errorCount: 1,
      errors: [EMPTY_PROMPT],
    });
    expect(await promptsOf(project.id)).toEqual([
      {
        seq: 1,
        messages: [{ role: "user", content: "First question" }],
        externalId: "q1",
        metadata: null,
        importId: report.importId,
        source: "import",
        candidates: [
          [0, "a1", "imported"],
          [1, "b1", "imported"],
        ],
      },
      {
        seq: 2,
        messages: [{ role: "user", content: "Third question" }],
        externalId: null,
        metadata: { topic: "x" },
        importId: report.importId,
        source: "import",
        candidates: [
          [0, "a3", "imported"],
          [1, "b3", "imported"],
        ],
      },
    ]);
    const batch = await t.db().importBatch.findUniqueOrThrow({ where: { id: report.importId } });
    expect(batch).toMatchObject({
      status: "done",
      linesRead: 3,
      promptsAdded: 2,
      duplicates: 0,
      errorCount: 1,
      errors: [EMPTY_PROMPT],
    });
  });

  it("a file with only bad lines in partial mode is done with nothing added", async () => {
    const project = await newProject();
    const report = await run(project.id, jsonl({ prompt: "" }, { prompt: "x", candidates: ["one"] }), {
      isAllOrNothing: false,
    });
    expect(report).toMatchObject({ status: "done", linesRead: 2, promptsAdded: 0, duplicates: 0, errorCount: 2 });
    expect(await t.db().prompt.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("refuses an unknown project with NOT_FOUND and records no batch", async () => {
    const before = await t.db().importBatch.count();
    const err = await run("no-such-project", jsonl({ prompt: "x" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("NOT_FOUND");
    expect(await t.db().importBatch.count()).toBe(before);
  });
});

describe("importPrompts: candidates and K", () => {
  it("reports 3 candidates in a K=2 project as an issue naming K", async () => {
    const project = await newProject(2);
    const report = await run(
      project.id,
      jsonl({ prompt: "ok", candidates: ["a", "b"] }, { prompt: "too many", candidates: ["a", "b", "c"] }),
    );
    expect(report).toMatchObject({ status: "failed", promptsAdded: 0, errorCount: 1 });
    expect(report.errors).toEqual([
      { line: 2, message: "has 3 candidates but the project ranks at most 2 (K); raise K or trim the file" },
    ]);
    expect(await t.db().prompt.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("accepts up to K candidates: 3 in a K=3 project", async () => {
    const project = await newProject(3);
    const report = await run(
      project.id,
      jsonl({ prompt: "three", candidates: ["a", "b", "c"] }, { prompt: "two", candidates: ["a", "b"] }),
    );
    expect(report).toMatchObject({ status: "done", promptsAdded: 2, errorCount: 0 });
    expect((await promptsOf(project.id)).map((p) => p.candidates.length)).toEqual([3, 2]);
  });

  it("reports a prompt with 1 candidate as an issue", async () => {
    const project = await newProject();
    const report = await run(project.id, jsonl({ prompt: "lonely", candidates: ["only"] }));
    expect(report.errors).toEqual([
      { line: 1, message: "has 1 candidate: give at least 2 to rank, or none to have them generated" },
    ]);
    expect(report.status).toBe("failed");
  });

  it("imports a prompt with 0 candidates (to be generated later)", async () => {
    const project = await newProject();
    const report = await run(project.id, jsonl({ prompt: "generate for me" }, { prompt: "me too", candidates: [] }));
    expect(report).toMatchObject({ status: "done", promptsAdded: 2, errorCount: 0 });
    expect((await promptsOf(project.id)).map((p) => [p.seq, p.candidates])).toEqual([
      [1, []],
      [2, []],
    ]);
  });
});

describe("importPrompts: duplicates and numbering", () => {
  it("skips duplicates within one file (same external id and content, or same content) and reports a reused id", async () => {
    const project = await newProject();
    const text = jsonl(
      { prompt: "A", candidates: ["1", "2"], id: "e1" },
      { prompt: "A different prompt, same id", candidates: ["1", "2"], id: "e1" },
      { prompt: "B", candidates: ["1", "2"] },
      { prompt: "B", candidates: ["1", "2"] },
      { prompt: "B", candidates: ["1", "2"], id: "e2" },
      { prompt: "B", candidates: ["2", "1"] },
      { prompt: "A", candidates: ["1", "2"], id: 7 },
      { prompt: "C", id: 7 },
      { prompt: "D", id: "7" },
    );
    expect(await run(project.id, text)).toMatchObject({ status: "failed", promptsAdded: 0, errorCount: 2 });
    const report = await run(project.id, text, { isAllOrNothing: false });
    // Kept: lines 1 (A, e1), 3 (B), 6 (B with candidates swapped: order is content), 8 (C, id 7).
    expect(report).toMatchObject({ status: "done", linesRead: 9, promptsAdded: 4, duplicates: 3, errorCount: 2 });
    expect(report.errors).toEqual([
      { line: 2, message: 'id "e1" was already used on line 1 for a different prompt; give each prompt its own id' },
      { line: 9, message: 'id "7" was already used on line 8 for a different prompt; give each prompt its own id' },
    ]);
    expect(
      (await promptsOf(project.id)).map((p) => [
        p.seq,
        (p.messages as { content: string }[])[0]!.content,
        p.externalId,
        p.candidates.map((c) => c[1]),
      ]),
    ).toEqual([
      [1, "A", "e1", ["1", "2"]],
      [2, "B", null, ["1", "2"]],
      [3, "B", null, ["2", "1"]],
      [4, "C", "7", []],
    ]);
  });

  it("re-importing the same file adds nothing and counts every line as a duplicate", async () => {
    const project = await newProject();
    const text = jsonl({ prompt: "one", id: "x1" }, { prompt: "two", candidates: ["a", "b"] }, { prompt: "three" });
    expect(await run(project.id, text)).toMatchObject({ status: "done", promptsAdded: 3, duplicates: 0 });
    expect(await run(project.id, text)).toMatchObject({
      status: "done",
      linesRead: 3,
      promptsAdded: 0,
      duplicates: 3,
      errorCount: 0,
    });
    expect(await t.db().prompt.count({ where: { projectId: project.id } })).toBe(3);
  });

  it("across imports, a known external id or a known content hash is a duplicate; anything else is new", async () => {
    const project = await newProject();
    await run(project.id, jsonl({ prompt: "kept", id: "x1" }, { prompt: "hashed", candidates: ["a", "b"] }));
    const report = await run(
      project.id,
      jsonl(
        { prompt: "new text, old id", id: "x1" },
        { prompt: "hashed", candidates: ["a", "b"], id: "fresh-id" },
        { prompt: "hashed", candidates: ["a", "b"], metadata: { other: true } },
        { prompt: "hashed", candidates: ["b", "a"] },
        { prompt: "kept" },
      ),
    );
    // Line 5 has the same turns as "kept" and no candidates, so the same hash: a duplicate even without the id.
    expect(report).toMatchObject({ status: "done", linesRead: 5, promptsAdded: 1, duplicates: 4, errorCount: 0 });
    const prompts = await promptsOf(project.id);
    expect(
      prompts.map((p) => [
        p.seq,
        (p.messages as { content: string }[])[0]!.content,
        p.externalId,
        p.importId === report.importId,
      ]),
    ).toEqual([
      [1, "kept", "x1", false],
      [2, "hashed", null, false],
      [3, "hashed", null, true],
    ]);
    expect(prompts[2]!.candidates.map((c) => c[1])).toEqual(["b", "a"]);
  });

  it("duplicates are per project: the same file imports fully into another project", async () => {
    const [p1, p2] = [await newProject(), await newProject()];
    const text = jsonl({ prompt: "shared", id: "s1" }, { prompt: "shared 2", candidates: ["a", "b"] });
    expect(await run(p1.id, text)).toMatchObject({ promptsAdded: 2, duplicates: 0 });
    expect(await run(p2.id, text)).toMatchObject({ promptsAdded: 2, duplicates: 0 });
  });

  it("continues seq numbers across imports and after existing prompts", async () => {
    const project = await makeProject({ prompts: 3, candidates: 2 });
    const first = await run(project.id, jsonl({ prompt: "four" }, { prompt: "five" }));
    const second = await run(project.id, jsonl({ prompt: "four" }, { prompt: "six" }, { prompt: "seven" }));
    expect(second).toMatchObject({ promptsAdded: 2, duplicates: 1 });
    const prompts = await promptsOf(project.id);
    expect(prompts.map((p) => [p.seq, (p.messages as { content: string }[])[0]!.content])).toEqual([
      [1, "Prompt 1"],
      [2, "Prompt 2"],
      [3, "Prompt 3"],
      [4, "four"],
      [5, "five"],
      [6, "six"],
      [7, "seven"],
    ]);
    expect(prompts.map((p) => p.importId)).toEqual([
      null,
      null,
      null,
      first.importId,
      first.importId,
      second.importId,
      second.importId,
    ]);
  });

  it("a failed all-or-nothing import leaves no gap in the numbering", async () => {
    const project = await newProject();
    await run(project.id, jsonl({ prompt: "one" }));
    expect((await run(project.id, jsonl({ prompt: "two" }, { prompt: "" }))).status).toBe("failed");
    await run(project.id, jsonl({ prompt: "two" }));
    expect((await promptsOf(project.id)).map((p) => p.seq)).toEqual([1, 2]);
  });

  it("writes more than one batch of 500 in order, deduplicating across batch boundaries", async () => {
    const project = await newProject();
    const rows = Array.from({ length: 1203 }, (_, i) => ({ prompt: `q${i}`, id: `id-${i}` }));
    // Repeats (by id, by id with new text, by content) of rows written in the first 500-row batch.
    rows.push({ prompt: "q3", id: "id-3" }, { prompt: "renamed", id: "id-10" }, { prompt: "q20", id: "other" });
    const report = await run(project.id, jsonl(...rows), { isAllOrNothing: false });
    expect(report).toMatchObject({ status: "done", linesRead: 1206, promptsAdded: 1203, duplicates: 2, errorCount: 1 });
    expect(report.errors[0]?.line).toBe(1205);
    expect(report.errors[0]?.message).toContain('id "id-10" was already used on line 11');
    const seqs = await t.db().prompt.findMany({
      where: { projectId: project.id },
      orderBy: { seq: "asc" },
      select: { seq: true, externalId: true },
    });
    expect(seqs).toHaveLength(1203);
    expect(seqs.every((p, i) => p.seq === i + 1 && p.externalId === `id-${i}`)).toBe(true);
  });
});

describe("importPrompts: ImportBatch rows", () => {
  it("records each import with its creator, file, status and counts", async () => {
    const project = await newProject();
    const admin = await makeUser({ role: "admin" });
    const a = await run(project.id, jsonl({ prompt: "one" }, { prompt: "two" }), {
      actorId: admin.id,
      filename: "a.jsonl",
    });
    const b = await run(project.id, jsonl({ prompt: "one" }, { prompt: "" }), { filename: "b.jsonl", format: "auto" });
    const c = await run(project.id, jsonl({ prompt: "one" }, { prompt: "" }, { prompt: "three" }), {
      filename: "c.jsonl",
      isAllOrNothing: false,
    });
    const all = await t.db().importBatch.findMany({ where: { projectId: project.id } });
    expect(all).toHaveLength(3);
    const rows = [a, b, c].map((r) => all.find((row) => row.id === r.importId)!);
    expect(
      rows.map((r) => ({
        createdById: r.createdById,
        filename: r.filename,
        format: r.format,
        status: r.status,
        linesRead: r.linesRead,
        promptsAdded: r.promptsAdded,
        duplicates: r.duplicates,
        errorCount: r.errorCount,
        errors: r.errors,
        finished: r.finishedAt !== null,
      })),
    ).toEqual([
      {
        createdById: admin.id,
        filename: "a.jsonl",
        format: "jsonl",
        status: "done",
        linesRead: 2,
        promptsAdded: 2,
        duplicates: 0,
        errorCount: 0,
        errors: [],
        finished: true,
      },
      {
        createdById: null,
        filename: "b.jsonl",
        format: "auto",
        status: "failed",
        linesRead: 2,
        promptsAdded: 0,
        duplicates: 0,
        errorCount: 1,
        errors: [EMPTY_PROMPT],
        finished: true,
      },
      {
        createdById: null,
        filename: "c.jsonl",
        format: "jsonl",
        status: "done",
        linesRead: 3,
        promptsAdded: 1,
        duplicates: 1,
        errorCount: 1,
        errors: [EMPTY_PROMPT],
        finished: true,
      },
    ]);
  });
});
