// Streams a project's judgments as JSONL lines in one of the export formats, a page of comparisons
// at a time (in prompt order, then round), so 100k judgments never sit in memory together.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getDb } from "../../db";
import { AppError } from "../../errors";
import {
  ZCandidateFlags,
  ZMessage,
  ZTiers,
  type TCandidateSource,
  type TExportFormat,
  type TTrlShape,
} from "../../domain";
import { pairsFromTiers } from "../../../workers/ml/formats/tier-pairs";
import { trlRow } from "./format-trl";
import { hhRow } from "./format-hh";
import { judgmentRow } from "./format-judgment";

export type TExportOptions = {
  projectId: string;
  format: TExportFormat;
  trlShape?: TTrlShape;
  withMargin?: boolean;
  /** Salt of the labeller pseudonyms: the same salt gives the same pseudonyms across exports. */
  salt?: string;
  /** Only comparisons that reached the project's overlap. */
  onlyComplete?: boolean;
  /** Only judgments made up to this moment (a training run's data cut-off). */
  until?: Date;
};

const PAGE = 200;
const ZMessages = z.array(ZMessage);
const ZIds = z.array(z.string());
const ZParams = z.record(z.string(), z.unknown()).nullable();

export const exportFilename = (slug: string, format: TExportFormat) =>
  `${slug}-${format}-${new Date().toISOString().slice(0, 10)}.jsonl`;

export async function* exportLines(opts: TExportOptions): AsyncGenerator<string> {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: opts.projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const salt = opts.salt ?? randomBytes(16).toString("hex");
  let cursor: string | undefined;
  for (;;) {
    const page = await db.comparison.findMany({
      where: { projectId: project.id, judgmentCount: { gte: opts.onlyComplete ? project.overlap : 1 } },
      orderBy: [{ promptSeq: "asc" }, { round: "asc" }, { id: "asc" }],
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      include: {
        prompt: true,
        policyVersion: true,
        candidates: { include: { modelVersion: true } },
        judgments: {
          where: opts.until ? { createdAt: { lte: opts.until } } : {},
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        },
      },
    });
    if (page.length === 0) return;
    cursor = page[page.length - 1]!.id;
    for (const cmp of page) {
      const p = cmp.prompt;
      const messages = ZMessages.parse(p.messages);
      const text = new Map(cmp.candidates.map((c) => [c.id, c.text]));
      const textOf = (id: string) => {
        const t = text.get(id);
        if (t === undefined)
          throw new AppError("CONFLICT", `Prompt ${p.id}: a judgment ranks candidate ${id}, which no longer exists.`);
        return t;
      };
      for (const j of cmp.judgments) {
        const tiers = ZTiers.parse(j.tiers);
        if (opts.format === "judgments") {
          const row = judgmentRow({
            promptId: p.id,
            externalId: p.externalId,
            comparisonId: cmp.id,
            round: cmp.round,
            policyVersion: cmp.policyVersion?.name ?? null,
            messages,
            candidates: [...cmp.candidates]
              .sort((a, b) => a.position - b.position)
              .map((c) => {
                // One column, two meanings by source: generation parameters, or an import's provenance.
                const params = ZParams.parse(c.generationParams ?? null);
                const isImported = c.source === "imported";
                return {
                  id: c.id,
                  text: c.text,
                  source: c.source as TCandidateSource,
                  modelVersion: c.modelVersion?.name ?? null,
                  generationParams: isImported ? null : params,
                  provenance: isImported ? params : null,
                };
              }),
            tiers,
            noneAcceptable: j.noneAcceptable,
            flags: ZCandidateFlags.parse(j.flags),
            rationale: j.rationale || null,
            shownOrder: ZIds.parse(j.shownOrder),
            totalMs: j.totalMs,
            activeMs: j.activeMs,
            guidelineVersion: j.guidelineVersion,
            labellerId: j.userId,
            pseudonymSalt: salt,
            createdAt: j.createdAt,
          });
          yield JSON.stringify(row) + "\n";
          continue;
        }
        for (const pair of pairsFromTiers(tiers)) {
          const chosen = textOf(pair.chosen);
          const rejected = textOf(pair.rejected);
          const row =
            opts.format === "hh"
              ? hhRow(messages, chosen, rejected)
              : trlRow({
                  messages,
                  chosen,
                  rejected,
                  shape: opts.trlShape ?? "auto",
                  ...(opts.withMargin ? { margin: pair.margin } : {}),
                });
          yield JSON.stringify(row) + "\n";
        }
      }
    }
  }
}
