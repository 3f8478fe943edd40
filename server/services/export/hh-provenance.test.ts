// HH-RLHF provenance: which reply the source file preferred survives the import and is in the
// judgments export, so agreement with the source's labels can be measured after labelling.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { importPrompts } from "../import/import-prompts";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { exportLines } from "./export-lines";
import type { TJudgmentRow } from "./format-judgment";

const t = useTestDb();
const H = "\n\nHuman: ";
const A = "\n\nAssistant: ";

describe("HH-RLHF provenance", () => {
  it("keeps the file's chosen and rejected reply as candidate provenance in the judgments export", async () => {
    const project = await makeProject({ prompts: 0, candidates: 2, overlap: 1 });
    const admin = await makeUser({ role: "admin" });
    const labeller = await makeUser();
    const file = JSON.stringify({ chosen: `${H}Hi?${A}Hello there.`, rejected: `${H}Hi?${A}Go away.` }) + "\n";
    const report = await importPrompts({
      projectId: project.id,
      actorId: admin.id,
      filename: "hh.jsonl",
      format: "hh",
      open: () => Readable.from([file]),
    });
    expect(report).toMatchObject({ status: "done", promptsAdded: 1 });

    const task = await leaseNext({ userId: labeller.id, projectSlug: project.slug });
    expect(task).not.toBeNull();
    const cands = await t
      .db()
      .candidate.findMany({ where: { promptId: task!.promptId }, orderBy: { position: "asc" } });
    // The labeller disagrees with the file: the rejected reply first.
    await submitJudgment({
      userId: labeller.id,
      assignmentId: task!.assignmentId,
      tiers: [[cands[1]!.id], [cands[0]!.id]],
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 1000,
      activeMs: 900,
    });

    const rows: TJudgmentRow[] = [];
    for await (const line of exportLines({ projectId: project.id, format: "judgments", salt: "s" })) {
      rows.push(JSON.parse(line) as TJudgmentRow);
    }
    expect(rows).toHaveLength(1);
    const byText = new Map(rows[0]!.candidates.map((c) => [c.text, c]));
    expect(byText.get("Hello there.")).toMatchObject({ source: "imported", provenance: { hh: "chosen" } });
    expect(byText.get("Go away.")).toMatchObject({ source: "imported", provenance: { hh: "rejected" } });
    expect(rows[0]!.candidates.every((c) => c.generation_params === null)).toBe(true);
    expect(rows[0]!.tiers).toEqual([[byText.get("Go away.")!.id], [byText.get("Hello there.")!.id]]);
  });
});
