// The KTO, arena and OASST exports and their Parquet files, on a real database: every row is checked against
// the stored judgments, the filters (date range, labellers) select the judgments they name, and the Parquet
// files read back (hyparquet, an independent reader) hold exactly the JSONL rows.
import { beforeAll, describe, expect, it } from "vitest";
import { parquetReadObjects } from "hyparquet";
import type { TExportFormat, TTiers } from "../../domain";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { exportLines, exportRows, type TExportOptions } from "./export-lines";
import { exportColumns } from "./export-columns";
import { parquetChunks } from "./parquet-stream";
import { pseudonymize } from "./pseudonym";
import { load as loadYaml } from "js-yaml";
import { datasetCard } from "./dataset-card";

const t = useTestDb();
let projectId = "";
let l1 = "";
let l2 = "";
const JAN = new Date("2025-01-10T00:00:00Z");
const FEB = new Date("2025-02-10T00:00:00Z");

/** Each labeller ranks each prompt: L1 puts position 0 first, L2 ties 0 and 1 and flags both; 2 is last. */
async function judgeAll(userId: string, slug: string, style: "l1" | "l2", at: Date) {
  for (;;) {
    const task = await leaseNext({ userId, projectSlug: slug });
    if (!task) return;
    const ids = (
      await t.db().candidate.findMany({ where: { comparisonId: task.comparisonId }, orderBy: { position: "asc" } })
    ).map((c) => c.id);
    const tiers: TTiers = style === "l1" ? [[ids[0]!], [ids[1]!], [ids[2]!]] : [[ids[0]!, ids[1]!], [ids[2]!]];
    const flags =
      style === "l2"
        ? {
            [ids[0]!]: { kinds: ["factually_wrong" as const], note: "" },
            [ids[1]!]: { kinds: ["harmful" as const], note: "" },
          }
        : {};
    await submitJudgment({
      userId,
      assignmentId: task.assignmentId,
      tiers,
      noneAcceptable: false,
      flags,
      rationale: "",
      totalMs: 1000,
      activeMs: 900,
    });
    await t.db().judgment.updateMany({ where: { userId, comparisonId: task.comparisonId }, data: { createdAt: at } });
  }
}

beforeAll(async () => {
  const project = await makeProject({ prompts: 2, candidates: 3, overlap: 2 });
  projectId = project.id;
  const m1 = await t.db().modelVersion.create({ data: { name: `m1-${project.slug}`, kind: "policy" } });
  const m2 = await t.db().modelVersion.create({ data: { name: `m2-${project.slug}`, kind: "policy" } });
  await t.db().candidate.updateMany({ where: { prompt: { projectId }, position: 0 }, data: { modelVersionId: m1.id } });
  await t.db().candidate.updateMany({ where: { prompt: { projectId }, position: 1 }, data: { modelVersionId: m2.id } });
  l1 = (await makeUser()).id;
  l2 = (await makeUser()).id;
  await judgeAll(l1, project.slug, "l1", JAN);
  await judgeAll(l2, project.slug, "l2", FEB);
});

async function jsonl(o: Omit<TExportOptions, "projectId">): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const line of exportLines({ projectId, salt: "s", ...o }))
    out.push(JSON.parse(line) as Record<string, unknown>);
  return out;
}

/** The stored judgments with their candidates' texts and models, in export order. */
async function stored(userId?: string) {
  const js = await t.db().judgment.findMany({
    where: { projectId, ...(userId ? { userId } : {}) },
    include: { comparison: { include: { candidates: { include: { modelVersion: true } } } } },
    orderBy: [{ prompt: { seq: "asc" } }, { createdAt: "asc" }],
  });
  return js.map((j) => {
    const cands = new Map(j.comparison.candidates.map((c) => [c.id, c]));
    const tiers = (j.tiers as unknown as string[][]).map((tier) => tier.map((id) => cands.get(id)!));
    return { j, tiers };
  });
}

describe("new export formats on the database", () => {
  it("KTO: best tier desirable, worst undesirable, middle omitted", async () => {
    const rows = await jsonl({ format: "kto", trlShape: "standard" });
    const want = (await stored()).flatMap(({ tiers }) => [
      ...tiers[0]!.map((c) => ({ completion: c.text, label: true })),
      ...tiers[tiers.length - 1]!.map((c) => ({ completion: c.text, label: false })),
    ]);
    expect(rows.map((r) => ({ completion: r.completion, label: r.label }))).toEqual(want);
    expect(rows).toHaveLength(2 * (2 + 3)); // per prompt: L1 gives 1 + 1 rows, L2 gives 2 + 1
    expect(rows.every((r) => typeof r.prompt === "string" && r.prompt.startsWith("Prompt "))).toBe(true);
  });

  it("arena: one battle per judgment between the two models; L2's flagged tie is tie (bothbad)", async () => {
    const rows = await jsonl({ format: "arena" });
    const want = (await stored()).map(({ j, tiers }) => {
      const shown = j.shownOrder as string[];
      const named = tiers.flat().filter((c) => c.modelVersion);
      named.sort((a, b) => shown.indexOf(a.id) - shown.indexOf(b.id));
      const [a, b] = named;
      const ta = tiers.findIndex((tier) => tier.includes(a!));
      const tb = tiers.findIndex((tier) => tier.includes(b!));
      const winner = ta < tb ? "model_a" : tb < ta ? "model_b" : "tie (bothbad)";
      return {
        model_a: a!.modelVersion!.name,
        model_b: b!.modelVersion!.name,
        winner,
        judge: pseudonymize("s", j.userId),
      };
    });
    expect(rows.map((r) => ({ model_a: r.model_a, model_b: r.model_b, winner: r.winner, judge: r.judge }))).toEqual(
      want,
    );
    const winners = (userId: string) => rows.filter((r) => r.judge === pseudonymize("s", userId)).map((r) => r.winner);
    expect(winners(l2)).toEqual(["tie (bothbad)", "tie (bothbad)"]);
    expect(winners(l1).every((w) => w === "model_a" || w === "model_b")).toBe(true);
  });

  it("OASST: one tree per judgment, the replies' ranks are the tiers", async () => {
    const trees = await jsonl({ format: "oasst" });
    const want = await stored();
    expect(trees).toHaveLength(want.length);
    trees.forEach((tree, i) => {
      const prompt = tree.prompt as { role: string; text: string; replies: { text: string; rank: number }[] };
      expect(prompt.role).toBe("prompter");
      const ranks = Object.fromEntries(prompt.replies.map((r) => [r.text, r.rank]));
      const expected = Object.fromEntries(want[i]!.tiers.flatMap((tier, k) => tier.map((c) => [c.text, k])));
      expect(ranks).toEqual(expected);
      expect(tree.message_tree_id).toBe(want[i]!.j.id);
    });
  });

  it("filters by labeller and by date range", async () => {
    const byL1 = await jsonl({ format: "oasst", labellerIds: [l1] });
    expect(byL1.map((r) => r.message_tree_id)).toEqual((await stored(l1)).map((s) => s.j.id));
    const fromMid = await jsonl({ format: "oasst", from: new Date("2025-01-20T00:00:00Z") });
    expect(fromMid.map((r) => r.message_tree_id)).toEqual((await stored(l2)).map((s) => s.j.id));
    const untilMid = await jsonl({ format: "oasst", until: new Date("2025-01-20T00:00:00Z") });
    expect(untilMid.map((r) => r.message_tree_id)).toEqual((await stored(l1)).map((s) => s.j.id));
    expect(await jsonl({ format: "oasst", from: FEB, until: JAN })).toEqual([]);
  });

  it.each(["trl", "judgments", "hh", "kto", "arena"] as TExportFormat[])(
    "Parquet of %s reads back as exactly the JSONL rows",
    async (format) => {
      const o = { format, withMargin: true };
      const rows = await jsonl(o);
      expect(rows.length).toBeGreaterThan(0);
      const parts: Uint8Array[] = [];
      const columns = exportColumns(format, o)!;
      for await (const c of parquetChunks(exportRows({ projectId, salt: "s", ...o }), columns)) parts.push(c);
      const all = Buffer.concat(parts);
      const back = await parquetReadObjects({ file: all.buffer.slice(all.byteOffset, all.byteOffset + all.length) });
      expect(back).toEqual(rows);
    },
  );

  it("writes a dataset card whose YAML header the Hub can read, with the download's counts and columns", async () => {
    const options = { projectId, format: "kto" as const, trlShape: "standard" as const, labellerIds: [l2] };
    const project = await t.db().project.findUniqueOrThrow({ where: { id: projectId } });
    const today = new Date().toISOString().slice(0, 10);
    const card = await datasetCard({ project, options, license: "cc-by-4.0" });
    const header = /^---\n([\s\S]*?)\n---\n/.exec(card);
    expect(header).not.toBeNull();
    const meta = loadYaml(header![1]!) as Record<string, unknown>;
    const rows = await jsonl(options);
    expect(rows).toHaveLength(3 * 2); // L2 only: two tied best, one worst, on each of two prompts
    expect(meta).toMatchObject({
      license: "cc-by-4.0",
      task_categories: ["text-generation"],
      size_categories: ["n<1K"],
      configs: [
        { config_name: "default", data_files: [{ split: "train", path: `${project.slug}-kto-${today}.parquet` }] },
      ],
      dataset_info: {
        features: [
          { name: "prompt", dtype: "string" },
          { name: "completion", dtype: "string" },
          { name: "label", dtype: "bool" },
        ],
        splits: [{ name: "train", num_examples: rows.length }],
      },
    });
    expect(card).toContain("- judgments: 2\n- prompts: 2\n- labellers: 1");
    expect(card).toContain("judgments of 1 chosen labeller(s)");
  });
});
