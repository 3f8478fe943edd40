// Strength of preference in the exports, on the real database: TRL pairs carry margin = the strengths summed
// over the boundaries between the pair's tiers (null for judgments made before the project asked), the Parquet
// file agrees with the JSONL rows, the full judgments carry `strengths`, and the dataset card says what margin is.
import { beforeAll, describe, expect, it } from "vitest";
import { parquetReadObjects } from "hyparquet";
import type { TStrengths, TTiers } from "../../domain";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { exportLines, exportRows, type TExportOptions } from "./export-lines";
import { exportColumns } from "./export-columns";
import { parquetChunks } from "./parquet-stream";
import { datasetCard } from "./dataset-card";
import { strengthMargin, usesStrengthMargin, withStrengthMargin } from "./strength-margin";

const t = useTestDb();

describe("strengthMargin", () => {
  const s: TStrengths = ["much_better", "better", "slightly_better"];
  it("sums the strengths of the boundaries between the two tiers", () => {
    expect(strengthMargin(s, 0, 1)).toBe(3);
    expect(strengthMargin(s, 1, 2)).toBe(2);
    expect(strengthMargin(s, 0, 2)).toBe(5);
    expect(strengthMargin(s, 0, 3)).toBe(6);
    expect(strengthMargin(s, 2, 3)).toBe(1);
  });
  it("is null without strengths or for a pair that is not chosen above rejected", () => {
    expect(strengthMargin(null, 0, 1)).toBeNull();
    expect(strengthMargin(s, 1, 1)).toBeNull();
    expect(strengthMargin(s, 0, 4)).toBeNull();
  });
});

let projectId = "";
let ids: string[] = []; // the candidates of the judgment with strengths, by tier

async function judgeNext(userId: string, slug: string, strengths?: TStrengths) {
  const task = (await leaseNext({ userId, projectSlug: slug }))!;
  const tiers: TTiers = task.candidates.map((c) => [c.id]);
  await submitJudgment({
    userId,
    assignmentId: task.assignmentId,
    tiers,
    strengths,
    noneAcceptable: false,
    flags: {},
    rationale: "",
    totalMs: 1000,
    activeMs: 900,
  });
  return tiers.flat();
}

const rowsOf = async (o: Omit<TExportOptions, "projectId">) => {
  const out: Record<string, unknown>[] = [];
  for await (const line of exportLines(await withStrengthMargin({ projectId, salt: "s", ...o })))
    out.push(JSON.parse(line) as Record<string, unknown>);
  return out;
};

beforeAll(async () => {
  const project = await makeProject({ prompts: 2, candidates: 3 });
  projectId = project.id;
  const u = await makeUser();
  // The first prompt is judged before the project asks, the second after.
  await judgeNext(u.id, project.slug);
  await t.db().project.update({ where: { id: projectId }, data: { strengthOfPreference: true } });
  ids = await judgeNext(u.id, project.slug, ["much_better", "slightly_better"]);
});

describe("exports of a project that asks for strength of preference", () => {
  it("gives each TRL pair the strengths between its tiers as margin, null for judgments without them", async () => {
    const rows = await rowsOf({ format: "trl", trlShape: "standard" });
    expect(rows.map((r) => r.margin)).toEqual([null, null, null, 3, 4, 1]);
    const texts = await t.db().candidate.findMany({ where: { id: { in: ids } } });
    const text = (id: string) => texts.find((c) => c.id === id)!.text;
    expect(rows.slice(3).map((r) => [r.chosen, r.rejected])).toEqual([
      [text(ids[0]!), text(ids[1]!)],
      [text(ids[0]!), text(ids[2]!)],
      [text(ids[1]!), text(ids[2]!)],
    ]);
    // The tier-distance option does not change the meaning of margin in such a project.
    expect((await rowsOf({ format: "trl", withMargin: true })).map((r) => r.margin)).toEqual([
      null,
      null,
      null,
      3,
      4,
      1,
    ]);
  });

  it("writes the same rows as Parquet, margin a nullable integer column", async () => {
    const o = await withStrengthMargin({ projectId, salt: "s", format: "trl" as const, trlShape: "standard" as const });
    const columns = exportColumns("trl", o)!;
    expect(columns.find((c) => c.name === "margin")).toMatchObject({ kind: "int", nullable: true });
    const parts: Uint8Array[] = [];
    for await (const c of parquetChunks(exportRows(o), columns)) parts.push(c);
    const all = Buffer.concat(parts);
    const back = await parquetReadObjects({ file: all.buffer.slice(all.byteOffset, all.byteOffset + all.length) });
    expect(back).toEqual(await rowsOf({ format: "trl", trlShape: "standard" }));
  });

  it("carries strengths in the full judgments (null where not asked)", async () => {
    const rows = await rowsOf({ format: "judgments" });
    expect(rows.map((r) => r.strengths)).toEqual([null, ["much_better", "slightly_better"]]);
    expect(exportColumns("judgments")!.find((c) => c.name === "strengths")).toMatchObject({ nullable: true });
  });

  it("keeps the margin after the setting is turned off, since judgments have strengths", async () => {
    await t.db().project.update({ where: { id: projectId }, data: { strengthOfPreference: false } });
    try {
      expect(await usesStrengthMargin(projectId)).toBe(true);
    } finally {
      await t.db().project.update({ where: { id: projectId }, data: { strengthOfPreference: true } });
    }
  });

  it("explains margin in the dataset card", async () => {
    const project = await t.db().project.findUniqueOrThrow({ where: { id: projectId } });
    const card = await datasetCard({ project, options: await withStrengthMargin({ projectId, format: "trl" }) });
    expect(card).toContain("`margin` sums them over the tier boundaries");
    expect(card).toContain("| `margin` | int32, may be null |");
    expect(card).toContain("RewardTrainer");
  });
});

describe("exports of a project that never asked", () => {
  it("has no strength margin: TRL rows as before, tier distance when asked for", async () => {
    const project = await makeProject({ prompts: 1, candidates: 3 });
    const u = await makeUser();
    await judgeNext(u.id, project.slug);
    expect(await usesStrengthMargin(project.id)).toBe(false);
    const o = await withStrengthMargin({ projectId: project.id, format: "trl" as const });
    expect(exportColumns("trl", o)!.map((c) => c.name)).toEqual(["prompt", "chosen", "rejected"]);
    const lines: Record<string, unknown>[] = [];
    for await (const line of exportLines({ ...o, withMargin: true }))
      lines.push(JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((r) => r.margin)).toEqual([1, 2, 1]);
    const card = await datasetCard({ project, options: o });
    expect(card).not.toContain("how much better");
  });
});
