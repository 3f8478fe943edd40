// Reads a project's judgments for export, a page of comparisons at a time (in prompt order, then round), with
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
  userId: string;
  /** The labeller's User.importedFrom: set when the ranking was imported from another tool. */
  labellerImportedFrom: string | null;
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

const PAGE = 200;
const ZMessages = z.array(ZMessage);
const ZIds = z.array(z.string());
const ZParams = z.record(z.string(), z.unknown()).nullable();

export async function findExportProject(projectId: string) {
  const project = await getDb().project.findUnique({ where: { id: projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  return project;
}

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
  let cursor: string | undefined;
  for (;;) {
    const page = await db.comparison.findMany({
      where: {
        projectId: project.id,
        judgmentCount: { gte: f.onlyComplete ? project.overlap : 1 },
        ...(f.minAgreement !== undefined ? { agreement: { gte: f.minAgreement } } : {}),
        ...((f.gold ?? "exclude") === "include" ? {} : { isGold: f.gold === "only" }),
        // Comparisons without a matching judgment are left out in the query, not after it.
        ...(Object.keys(where).length ? { judgments: { some: where } } : {}),
      },
      orderBy: [{ promptSeq: "asc" }, { round: "asc" }, { id: "asc" }],
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      include: {
        prompt: true,
        policyVersion: true,
        candidates: { include: { modelVersion: true }, orderBy: { position: "asc" } },
        judgments: {
          where,
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          include: { user: { select: { importedFrom: true } } },
        },
      },
    });
    if (page.length === 0) return;
    cursor = page[page.length - 1]!.id;
    for (const cmp of page) {
      const p = cmp.prompt;
      const messages = ZMessages.parse(p.messages);
      const candidates = cmp.candidates.map((c) => ({
        id: c.id,
        position: c.position,
        text: c.text,
        source: c.source,
        modelVersion: c.modelVersion?.name ?? null,
        generationParams: ZParams.parse(c.generationParams ?? null),
      }));
      for (const j of cmp.judgments) {
        yield {
          promptId: p.id,
          externalId: p.externalId,
          comparisonId: cmp.id,
          round: cmp.round,
          policyVersion: cmp.policyVersion?.name ?? null,
          messages,
          candidates,
          judgmentId: j.id,
          rankingSource: "judgment",
          judgments: 1,
          userId: j.userId,
          labellerImportedFrom: j.user.importedFrom,
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
