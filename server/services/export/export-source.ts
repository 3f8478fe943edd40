// Reads a project's judgments for export, a page of prompts at a time (in prompt order, then round), with
// the export filters applied in the query, so 100k judgments never sit in memory together. No formatting here.
import { z } from "zod";
import { getDb } from "../../db";
import { AppError } from "../../errors";
import {
  ZCandidateFlags,
  ZMessage,
  ZStrengths,
  ZTiers,
  type TCandidateFlags,
  type TMessage,
  type TStrengths,
  type TTiers,
} from "../../domain";

export type TExportFilters = {
  projectId: string;
  /** Only comparisons that reached the project's overlap. */
  onlyComplete?: boolean;
  /** Only judgments made at or after this moment. */
  from?: Date;
  /** Only judgments made up to this moment (a training run's data cut-off). */
  until?: Date;
  /** Only judgments of these labellers (user ids); undefined or empty: everyone. */
  labellerIds?: string[];
  /** Only comparisons whose agreement (Comparison.agreement, two judgments or more) is at least this. */
  minAgreement?: number;
  /**
   * Gold comparisons (admin reference answers used to check labellers): left out by default ("exclude"), kept
   * beside the others ("include"), or alone ("only").
   */
  gold?: "exclude" | "include" | "only";
  /** Prompts per page (tests: small pages cross page edges). */
  pageSize?: number;
};

export type TSourceCandidate = {
  id: string;
  position: number;
  text: string;
  source: string;
  modelVersion: string | null;
  generationParams: Record<string, unknown> | null;
};

/** One judgment with everything a format needs: its prompt, its comparison and the candidates it ranked. */
export type TSourceJudgment = {
  promptId: string;
  externalId: string | null;
  comparisonId: string;
  round: number;
  policyVersion: string | null;
  messages: TMessage[];
  /** In creation (import) order. */
  candidates: TSourceCandidate[];
  judgmentId: string;
  /** "judgment": one labeller's; otherwise one ranking per comparison (export-rankings.ts). */
  rankingSource: "judgment" | "consensus" | "adjudicated";
  /** How many judgments are behind it (1 for a judgment), and for a per-comparison ranking their labellers. */
  judgments: number;
  labellerIds?: string[];
  /** The labeller's User.importedFrom: set when the ranking was imported from another tool. */
  labellerImportedFrom: string | null;
  userId: string;
  tiers: TTiers;
  noneAcceptable: boolean;
  flags: TCandidateFlags;
  /** Strength of preference per pair of adjacent tiers; null where the project did not ask. */
  strengths: TStrengths | null;
  rationale: string;
  shownOrder: string[];
  totalMs: number;
  activeMs: number;
  guidelineVersion: number;
  createdAt: Date;
};

/** Prompts per page (fewer when the labeller filter takes query parameters). */
const PAGE = 500;
const ZMessages = z.array(ZMessage);
const ZIds = z.array(z.string());
const ZParams = z.record(z.string(), z.unknown()).nullable();

export async function findExportProject(projectId: string) {
  const project = await getDb().project.findUnique({ where: { id: projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  return project;
}

/**
 * Prompts are read in keyset pages on the `(projectId, seq)` unique index (only those with a comparison to export, an
 * `EXISTS` on the comparison's indexes), then their comparisons, candidates and judgments by prompt id (each table
 * has a `promptId` index), only the columns the formats read. A page of comparisons ordered by `promptSeq` would sort
 * all the project's comparisons for every page (no index leads with the project and `promptSeq`), and Prisma's
 * `include` asked for model versions once per page and relation even when there are none.
 */
export async function* sourceJudgments(f: TExportFilters): AsyncGenerator<TSourceJudgment> {
  const db = getDb();
  const project = await findExportProject(f.projectId);
  const createdAt = {
    ...(f.from ? { gte: f.from } : {}),
    ...(f.until ? { lte: f.until } : {}),
  };
  const where = {
    ...(f.from || f.until ? { createdAt } : {}),
    ...(f.labellerIds?.length ? { userId: { in: f.labellerIds } } : {}),
  };
  const comparisonWhere = {
    judgmentCount: { gte: f.onlyComplete ? project.overlap : 1 },
    ...(f.minAgreement !== undefined ? { agreement: { gte: f.minAgreement } } : {}),
    ...((f.gold ?? "exclude") === "include" ? {} : { isGold: f.gold === "only" }),
    // Comparisons without a matching judgment are left out in the query, not after it.
    ...(Object.keys(where).length ? { judgments: { some: where } } : {}),
  };
  // Each query binds one parameter per prompt of the page and per labeller of the filter; SQLite takes 999.
  const pageSize = f.pageSize ?? Math.max(50, PAGE - (f.labellerIds?.length ?? 0));
  const modelNames = new Map<string, string>();
  const nameOf = async (ids: (string | null)[]) => {
    const missing = [...new Set(ids.filter((id): id is string => id !== null && !modelNames.has(id)))];
    if (missing.length)
      for (const m of await db.modelVersion.findMany({
        where: { id: { in: missing } },
        select: { id: true, name: true },
      }))
        modelNames.set(m.id, m.name);
  };
  let afterSeq: number | null = null;
  for (;;) {
    const prompts: { id: string; seq: number; externalId: string | null; messages: unknown }[] =
      await db.prompt.findMany({
        where: {
          projectId: project.id,
          ...(afterSeq !== null ? { seq: { gt: afterSeq } } : {}),
          comparisons: { some: comparisonWhere },
        },
        orderBy: { seq: "asc" },
        take: pageSize,
        select: { id: true, seq: true, externalId: true, messages: true },
      });
    if (prompts.length === 0) return;
    afterSeq = prompts[prompts.length - 1]!.seq;
    const promptIds = prompts.map((p) => p.id);
    // Three independent reads (on PostgreSQL, three pooled connections at once).
    const [comparisons, candidateRows, judgmentRows] = await Promise.all([
      db.comparison.findMany({
        where: { promptId: { in: promptIds }, ...comparisonWhere },
        orderBy: [{ promptSeq: "asc" }, { round: "asc" }, { id: "asc" }],
        select: { id: true, promptId: true, round: true, policyVersionId: true },
      }),
      db.candidate.findMany({
        where: { promptId: { in: promptIds } },
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: {
          id: true,
          comparisonId: true,
          position: true,
          text: true,
          source: true,
          modelVersionId: true,
          generationParams: true,
        },
      }),
      db.judgment.findMany({
        where: { promptId: { in: promptIds }, ...where },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: {
          id: true,
          comparisonId: true,
          userId: true,
          tiers: true,
          noneAcceptable: true,
          flags: true,
          rationale: true,
          shownOrder: true,
          totalMs: true,
          activeMs: true,
          guidelineVersion: true,
          createdAt: true,
          strengths: true,
          user: { select: { importedFrom: true } },
        },
      }),
    ]);
    await nameOf([...comparisons.map((c) => c.policyVersionId), ...candidateRows.map((c) => c.modelVersionId)]);
    const group = <T extends { comparisonId: string }>(rows: T[]) => {
      const by = new Map<string, T[]>();
      for (const r of rows) {
        const list = by.get(r.comparisonId);
        if (list) list.push(r);
        else by.set(r.comparisonId, [r]);
      }
      return by;
    };
    const candidatesOf = group(candidateRows);
    const judgmentsOf = group(judgmentRows);
    const promptById = new Map(prompts.map((p) => [p.id, p]));
    for (const cmp of comparisons) {
      const p = promptById.get(cmp.promptId)!;
      const messages = ZMessages.parse(p.messages);
      const candidates = (candidatesOf.get(cmp.id) ?? []).map((c) => ({
        id: c.id,
        position: c.position,
        text: c.text,
        source: c.source,
        modelVersion: c.modelVersionId ? (modelNames.get(c.modelVersionId) ?? null) : null,
        generationParams: ZParams.parse(c.generationParams ?? null),
      }));
      const policyVersion = cmp.policyVersionId ? (modelNames.get(cmp.policyVersionId) ?? null) : null;
      for (const j of judgmentsOf.get(cmp.id) ?? []) {
        yield {
          promptId: p.id,
          externalId: p.externalId,
          comparisonId: cmp.id,
          round: cmp.round,
          policyVersion,
          messages,
          candidates,
          judgmentId: j.id,
          rankingSource: "judgment",
          judgments: 1,
          labellerImportedFrom: j.user.importedFrom,
          userId: j.userId,
          tiers: ZTiers.parse(j.tiers),
          noneAcceptable: j.noneAcceptable,
          flags: ZCandidateFlags.parse(j.flags),
          strengths: ZStrengths.nullable().parse(j.strengths ?? null),
          rationale: j.rationale,
          shownOrder: ZIds.parse(j.shownOrder),
          totalMs: j.totalMs,
          activeMs: j.activeMs,
          guidelineVersion: j.guidelineVersion,
          createdAt: j.createdAt,
        };
      }
    }
  }
}

/** The text of a ranked candidate; a judgment naming a deleted candidate cannot be exported. */
export function candidateText(j: TSourceJudgment, id: string): string {
  const c = j.candidates.find((x) => x.id === id);
  if (!c)
    throw new AppError("CONFLICT", `Prompt ${j.promptId}: a judgment ranks candidate ${id}, which no longer exists.`);
  return c.text;
}
