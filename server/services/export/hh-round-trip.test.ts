// The real-data round trip: the HH-RLHF harmless-base test split imported through importPrompts, every prompt
// judged preferring the file's "chosen" reply (the first ones through leaseNext + submitJudgment, the rest written
// with createMany), then exported: "hh" gives back the original file, "trl" and "judgments" have the right rows,
// shapes and pseudonyms.
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { hhHarmlessTestFile } from "../../test/shared-data";
import { importPrompts, type TImportReport } from "../import/import-prompts";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { exportLines, type TExportOptions } from "./export-lines";
import { pseudonymize } from "./pseudonym";
import type { TJudgmentRow } from "./format-judgment";

const t = useTestDb();

type THhLine = { chosen: string; rejected: string };
type TMsg = { role: string; content: string };

const FILE = hhHarmlessTestFile();
const LINES = 2312;
/** Prompts judged through leaseNext + submitJudgment; the rest are written with createMany (see below). */
const VIA_QUEUE = 120;

function readOriginal(): THhLine[] {
  const text = gunzipSync(fs.readFileSync(FILE)).toString("utf8");
  const lines = text.split("\n");
  // One trailing newline, no blank lines inside.
  expect(lines.pop()).toBe("");
  return lines.map((l) => JSON.parse(l) as THhLine);
}

async function exportAll(opts: Omit<TExportOptions, "projectId">): Promise<unknown[]> {
  const rows: unknown[] = [];
  for await (const line of exportLines({ projectId: state.projectId, ...opts })) {
    // One JSON value per line, newline-terminated, no raw newline inside.
    expect(line.endsWith("\n")).toBe(true);
    expect(line.indexOf("\n")).toBe(line.length - 1);
    rows.push(JSON.parse(line));
  }
  return rows;
}

/** Writes a conversation and a final reply back as an HH transcript, independently of the app's formatter. */
function transcript(messages: TMsg[], reply: string): string {
  const tag = (role: string) => (role === "user" ? "Human" : role === "assistant" ? "Assistant" : `?${role}`);
  return messages.map((m) => `\n\n${tag(m.role)}: ${m.content}`).join("") + `\n\nAssistant: ${reply}`;
}

const state = {
  projectId: "",
  slug: "",
  labellers: [] as { id: string }[],
  firstImport: undefined as TImportReport | undefined,
};
let original: THhLine[] = [];

const importFile = (actorId: string) =>
  importPrompts({
    projectId: state.projectId,
    actorId,
    filename: "harmless-base-test.jsonl.gz",
    format: "hh",
    open: () => fs.createReadStream(FILE),
  });

beforeAll(async () => {
  original = readOriginal();
  const project = await makeProject({ prompts: 0, candidates: 2, overlap: 1 });
  state.projectId = project.id;
  state.slug = project.slug;
  const admin = await makeUser({ role: "admin" });
  state.labellers = [await makeUser(), await makeUser()];
  state.firstImport = await importFile(admin.id);
}, 120_000);

describe("HH-RLHF harmless-base test split: import, label, export", () => {
  it("imports every line of the real file, and a re-import adds nothing", async () => {
    expect(original).toHaveLength(LINES);
    expect(state.firstImport).toMatchObject({
      status: "done",
      linesRead: LINES,
      promptsAdded: LINES,
      duplicates: 0,
      errorCount: 0,
      errors: [],
    });
    const admin = await makeUser({ role: "admin" });
    const again = await importFile(admin.id);
    expect(again).toMatchObject({
      status: "done",
      linesRead: LINES,
      promptsAdded: 0,
      duplicates: LINES,
      errorCount: 0,
      errors: [],
    });
    expect(await t.db().prompt.count({ where: { projectId: state.projectId } })).toBe(LINES);
    expect(await t.db().candidate.count({ where: { prompt: { projectId: state.projectId } } })).toBe(2 * LINES);
    const seqs = await t
      .db()
      .prompt.findMany({ where: { projectId: state.projectId }, orderBy: { seq: "asc" }, select: { seq: true } });
    expect(seqs.map((s) => s.seq)).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
  });

  it("judges every prompt, preferring the file's chosen reply: the first ones through the lease queue", async () => {
    const db = t.db();
    const prompts = await db.prompt.findMany({
      where: { projectId: state.projectId },
      orderBy: { seq: "asc" },
      select: { id: true },
    });
    expect(prompts).toHaveLength(LINES);
    // Candidates in a query of their own: a nested relation select over 2,312 prompts exceeds the 999 bind values
    // Prisma allows on SQLite (P2029).
    const cands = await db.candidate.findMany({
      where: { prompt: { projectId: state.projectId } },
      select: { id: true, promptId: true, comparisonId: true, position: true },
    });
    const byPrompt = new Map<string, string[]>();
    const comparisonOf = new Map<string, string>();
    for (const c of cands) {
      comparisonOf.set(c.promptId, c.comparisonId);
      const list = byPrompt.get(c.promptId) ?? [];
      list[c.position] = c.id;
      byPrompt.set(c.promptId, list);
    }
    const ids = (i: number): [string, string] => {
      const [chosen, rejected, ...more] = byPrompt.get(prompts[i]!.id) ?? [];
      if (!chosen || !rejected || more.length) throw new Error(`prompt ${i + 1} does not have exactly 2 candidates`);
      return [chosen, rejected];
    };
    const labellerOf = (i: number) => state.labellers[i % 2]!.id;

    // Through the real services: two labellers take turns (so the judgments export has two pseudonyms), and the
    // queue hands out prompts in import order.
    for (let i = 0; i < VIA_QUEUE; i++) {
      const task = await leaseNext({ userId: labellerOf(i), projectSlug: state.slug });
      expect(task?.promptId).toBe(prompts[i]!.id);
      const [chosen, rejected] = ids(i);
      expect(new Set(task!.candidates.map((c) => c.id))).toEqual(new Set([chosen, rejected]));
      await submitJudgment({
        userId: labellerOf(i),
        assignmentId: task!.assignmentId,
        tiers: [[chosen], [rejected]],
        noneAcceptable: false,
        flags: {},
        rationale: "",
        totalMs: 1000,
        activeMs: 800,
      });
    }

    // The rest is written directly with createMany, as submitJudgment writes it: leasing and submitting all 2,312
    // through the services takes about 50 s on SQLite and about 2 minutes on PostgreSQL, and the queue itself is
    // covered by server/services/queue/queue.test.ts. The export cannot tell these rows from the ones above.
    const now = new Date();
    const rest = prompts.slice(VIA_QUEUE).map((p, k) => {
      const i = VIA_QUEUE + k;
      const order = ids(i);
      return {
        prompt: p,
        comparisonId: comparisonOf.get(p.id)!,
        assignmentId: randomUUID(),
        userId: labellerOf(i),
        order,
      };
    });
    for (let from = 0; from < rest.length; from += 500) {
      const chunk = rest.slice(from, from + 500);
      await db.assignment.createMany({
        data: chunk.map((r) => ({
          id: r.assignmentId,
          projectId: state.projectId,
          promptId: r.prompt.id,
          comparisonId: r.comparisonId,
          userId: r.userId,
          slot: 0,
          status: "submitted",
          shownOrder: r.order,
          guidelineVersion: 1,
          leasedAt: now,
          expiresAt: now,
          finishedAt: now,
        })),
      });
      await db.judgment.createMany({
        data: chunk.map((r) => ({
          projectId: state.projectId,
          promptId: r.prompt.id,
          comparisonId: r.comparisonId,
          userId: r.userId,
          assignmentId: r.assignmentId,
          tiers: [[r.order[0]], [r.order[1]]],
          noneAcceptable: false,
          flags: {},
          rationale: "",
          shownOrder: r.order,
          totalMs: 1000,
          activeMs: 800,
          guidelineVersion: 1,
          createdAt: now,
        })),
      });
      await db.comparison.updateMany({
        where: { id: { in: chunk.map((r) => r.comparisonId) } },
        data: { judgmentCount: { increment: 1 } },
      });
    }

    for (const l of state.labellers) expect(await leaseNext({ userId: l.id, projectSlug: state.slug })).toBeNull();
    expect(await db.judgment.count({ where: { projectId: state.projectId } })).toBe(LINES);
    expect(await db.comparison.count({ where: { projectId: state.projectId, judgmentCount: { lt: 1 } } })).toBe(0);
    expect(await db.judgment.count({ where: { userId: state.labellers[0]!.id } })).toBe(LINES / 2);
  }, 120_000);

  it('exports "hh" equal to the original file, line for line', async () => {
    const rows = (await exportAll({ format: "hh" })) as THhLine[];
    expect(rows).toHaveLength(LINES);
    // The first differing line, if any, makes a readable failure before the whole-file comparison.
    const firstDiff = rows.findIndex(
      (r, i) => r.chosen !== original[i]!.chosen || r.rejected !== original[i]!.rejected,
    );
    expect(firstDiff).toBe(-1);
    expect(rows).toStrictEqual(original);
  });

  it('exports "trl" (shape auto): standard rows for one user turn, conversational rows otherwise', async () => {
    const rows = (await exportAll({ format: "trl", trlShape: "auto" })) as Record<string, unknown>[];
    expect(rows).toHaveLength(LINES);
    let standard = 0;
    let conversational = 0;
    rows.forEach((row, i) => {
      const source = original[i]!;
      expect(Object.keys(row).sort()).toEqual(["chosen", "prompt", "rejected"]);
      if (typeof row.prompt === "string") {
        standard++;
        expect(typeof row.chosen).toBe("string");
        expect(typeof row.rejected).toBe("string");
        expect(transcript([{ role: "user", content: row.prompt }], row.chosen as string)).toBe(source.chosen);
        expect(transcript([{ role: "user", content: row.prompt }], row.rejected as string)).toBe(source.rejected);
      } else {
        conversational++;
        const prompt = row.prompt as TMsg[];
        // auto keeps the standard form for a single user turn, so every conversational prompt has several turns.
        expect(prompt.length).toBeGreaterThan(1);
        // Real transcripts do not always alternate speakers, so only the roles and the last turn are checked here.
        expect(prompt.every((m) => m.role === "user" || m.role === "assistant")).toBe(true);
        expect(prompt.at(-1)!.role).toBe("user");
        const chosen = row.chosen as TMsg[];
        const rejected = row.rejected as TMsg[];
        expect(chosen).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(chosen[0]!.role).toBe("assistant");
        expect(rejected[0]!.role).toBe("assistant");
        expect(transcript(prompt, chosen[0]!.content)).toBe(source.chosen);
        expect(transcript(prompt, rejected[0]!.content)).toBe(source.rejected);
      }
    });
    // Counted from the file itself: 662 lines whose chosen transcript has exactly one Human and one Assistant tag.
    const singleTurn = original.filter(
      (l) => l.chosen.split("\n\nHuman: ").length === 2 && l.chosen.split("\n\nAssistant: ").length === 2,
    ).length;
    expect(singleTurn).toBe(662);
    expect(standard).toBe(singleTurn);
    expect(conversational).toBe(LINES - singleTurn);
  });

  it('exports "judgments" with pseudonymous labeller ids: stable per salt, different across salts, never the user id', async () => {
    const [a, b] = state.labellers as [{ id: string }, { id: string }];
    const first = (await exportAll({ format: "judgments", salt: "salt-one" })) as TJudgmentRow[];
    const second = (await exportAll({ format: "judgments", salt: "salt-one" })) as TJudgmentRow[];
    const other = (await exportAll({ format: "judgments", salt: "salt-two" })) as TJudgmentRow[];
    for (const rows of [first, second, other]) expect(rows).toHaveLength(LINES);

    const one = { [a.id]: pseudonymize("salt-one", a.id), [b.id]: pseudonymize("salt-one", b.id) };
    const two = { [a.id]: pseudonymize("salt-two", a.id), [b.id]: pseudonymize("salt-two", b.id) };
    expect(new Set([...Object.values(one), ...Object.values(two)]).size).toBe(4);
    expect(Object.values(one).every((p) => /^[0-9a-f]{16}$/.test(p))).toBe(true);

    // Labellers alternated from the first prompt on, and prompts export in import order.
    const expectedUser = (i: number) => (i % 2 === 0 ? a.id : b.id);
    expect(first.map((r) => r.labeller)).toEqual(first.map((_, i) => one[expectedUser(i)]));
    expect(second.map((r) => r.labeller)).toEqual(first.map((r) => r.labeller));
    expect(other.map((r) => r.labeller)).toEqual(first.map((_, i) => two[expectedUser(i)]));

    // Without a salt each export draws its own: the two exports cannot be linked.
    const unsalted1 = (await exportAll({ format: "judgments" })) as TJudgmentRow[];
    const unsalted2 = (await exportAll({ format: "judgments" })) as TJudgmentRow[];
    expect(unsalted1[0]!.labeller).not.toBe(unsalted2[0]!.labeller);
    expect(unsalted1[0]!.labeller).not.toBe(one[a.id]);

    for (const rows of [first, other, unsalted1]) {
      const text = JSON.stringify(rows);
      expect(text.includes(a.id)).toBe(false);
      expect(text.includes(b.id)).toBe(false);
    }

    // The rows themselves: the chosen (position 0) candidate ranked first, texts as in the file.
    first.forEach((row, i) => {
      expect(row.candidates).toHaveLength(2);
      expect(row.tiers).toEqual([[row.candidates[0]!.id], [row.candidates[1]!.id]]);
      expect(transcript(row.messages, row.candidates[0]!.text)).toBe(original[i]!.chosen);
      expect(transcript(row.messages, row.candidates[1]!.text)).toBe(original[i]!.rejected);
      expect(row).toMatchObject({
        external_id: null,
        none_acceptable: false,
        flags: {},
        rationale: null,
        guideline_version: 1,
      });
      expect(new Set(row.shown_order)).toEqual(new Set(row.candidates.map((c) => c.id)));
    });
  });
});
