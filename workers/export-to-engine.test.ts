// The app/engine contract, end to end: judgments made through the queue on the real database, exported by
// the app, parse strictly against the shared schema (workers/ml/formats) and load in the engine's dataset
// reader as the rankings the labellers gave, ties and all.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../server/test/test-db";
import { makeProject, makeUser } from "../server/test/factories";
import { leaseNext } from "../server/services/queue/lease-next";
import { submitJudgment } from "../server/services/queue/submit-judgment";
import { exportLines } from "../server/services/export/export-lines";
import { ZJudgmentExportRow } from "./ml/formats/judgment-row";
import { parseDataset } from "./ml/train/data/formats";
import { parseJsonlText } from "./ml/train/data/read-jsonl";

useTestDb();

describe("judgments export -> engine dataset", () => {
  it("round-trips: strict schema, rankings with ties, candidate texts", async () => {
    const project = await makeProject({ prompts: 3, candidates: 3, overlap: 1 });
    const u = await makeUser();
    const given: Record<string, string[][]> = {};
    for (let i = 0; i < 3; i++) {
      const task = (await leaseNext({ userId: u.id, projectSlug: project.slug }))!;
      const [a, b, c] = task.candidates.map((x) => x.text);
      // Tiers by text, so the expected ranking can be read back from the engine's rows.
      const tiers = i === 1 ? [[a!, b!], [c!]] : [[a!], [b!], [c!]];
      given[task.promptId] = tiers;
      const idOf = new Map(task.candidates.map((x) => [x.text, x.id]));
      await submitJudgment({
        userId: u.id,
        assignmentId: task.assignmentId,
        tiers: tiers.map((t) => t.map((text) => idOf.get(text)!)),
        noneAcceptable: false,
        flags: {},
        rationale: "",
        totalMs: 10,
        activeMs: 5,
      });
    }
    let text = "";
    for await (const line of exportLines({ projectId: project.id, format: "judgments" })) {
      // strict: a field the app adds without adding it to the contract fails here
      ZJudgmentExportRow.strict().parse(JSON.parse(line));
      text += line;
    }
    const dataset = parseDataset(parseJsonlText(text, "judgments.jsonl"), "judgments.jsonl");
    expect(dataset.format).toBe("judgments");
    expect(dataset.dropped).toEqual([]);
    expect(dataset.rows).toHaveLength(3);
    const rows = text
      .trim()
      .split("\n")
      .map((l) => ZJudgmentExportRow.parse(JSON.parse(l)));
    dataset.rows.forEach((row, i) => {
      if (row.kind !== "ranking") throw new Error(`row ${i} is ${row.kind}`);
      const tiers = given[rows[i]!.prompt_id]!;
      const byRank = new Map<number, string[]>();
      row.completions.forEach((c, j) => {
        const content = typeof c === "string" ? c : c.map((m) => m.content).join("");
        byRank.set(row.ranks[j]!, [...(byRank.get(row.ranks[j]!) ?? []), content]);
      });
      const ranked = [...byRank.entries()].sort((x, y) => x[0] - y[0]).map(([, texts]) => texts.sort());
      expect(ranked).toEqual(tiers.map((t) => [...t].sort()));
    });
  });
});
