// Streams a project's judgments as rows of one export format (objects), and as JSONL lines; each format is one
// entry of FORMAT_ROWS, so a new one (e.g. consensus rankings) is a function from a judgment to its rows.
import { randomBytes } from "node:crypto";
import type { TCandidateSource, TExportFormat, TExportSource, TKtoMiddle, TTrlShape } from "../../domain";
import { pairsFromTiers } from "../../../workers/ml/formats/tier-pairs";
import { trlRow } from "./format-trl";
import { hhRow } from "./format-hh";
import { judgmentRow } from "./format-judgment";
import { ktoRows } from "./format-kto";
import { arenaRows } from "./format-arena";
import { oasstTree } from "./format-oasst";
import { labellerPseudonym } from "./pseudonym";
import { strengthMargin } from "./strength-margin";
import { candidateText, type TExportFilters, type TSourceJudgment } from "./export-source";
import { exportRankings } from "./export-rankings";

export type TExportOptions = TExportFilters & {
  format: TExportFormat;
  /** Raw judgments (the default) or one ranking per comparison: consensus, adjudicated, or final. */
  source?: TExportSource;
  trlShape?: TTrlShape;
  /** TRL rows carry `margin` = tier distance (ignored where strengthMargin is set). */
  withMargin?: boolean;
  /**
   * TRL rows carry `margin` from strength of preference (strength-margin.ts; null for judgments without
   * strengths). Decided per project by withStrengthMargin before the export starts.
   */
  strengthMargin?: boolean;
  /** KTO: what the tiers between the best and the worst become. */
  ktoMiddle?: TKtoMiddle;
  /** Salt of the labeller pseudonyms: the same salt gives the same pseudonyms across exports. */
  salt?: string;
};

type TRow = Record<string, unknown>;
type TFormatRows = (j: TSourceJudgment, o: TExportOptions & { salt: string }) => TRow[];

/** Who made a row's ranking, as exports name people: a pseudonym, or "consensus". */
const judgeOf = (j: TSourceJudgment, salt: string) =>
  j.rankingSource === "consensus" ? "consensus" : labellerPseudonym(salt, j.userId, j.labellerImportedFrom);

const FORMAT_ROWS: Record<TExportFormat, TFormatRows> = {
  judgments: (j, o) => [
    judgmentRow({
      promptId: j.promptId,
      externalId: j.externalId,
      comparisonId: j.comparisonId,
      round: j.round,
      policyVersion: j.policyVersion,
      messages: j.messages,
      candidates: j.candidates.map((c) => {
        // One column, two meanings by source: generation parameters, or an import's provenance.
        const isImported = c.source === "imported";
        return {
          id: c.id,
          text: c.text,
          source: c.source as TCandidateSource,
          modelVersion: c.modelVersion,
          generationParams: isImported ? null : c.generationParams,
          provenance: isImported ? c.generationParams : null,
        };
      }),
      tiers: j.tiers,
      noneAcceptable: j.noneAcceptable,
      flags: j.flags,
      strengths: j.strengths,
      rationale: j.rationale || null,
      shownOrder: j.shownOrder,
      totalMs: j.totalMs,
      activeMs: j.activeMs,
      guidelineVersion: j.guidelineVersion,
      labellerId: j.userId,
      rankingSource: j.rankingSource,
      labellerImportedFrom: j.labellerImportedFrom,
      pseudonymSalt: o.salt,
      createdAt: j.createdAt,
    }),
  ],
  trl: (j, o) => {
    const tierOf = new Map(j.tiers.flatMap((tier, i) => tier.map((id) => [id, i] as const)));
    const marginOf = (chosen: string, rejected: string, tierDistance: number) => {
      if (o.strengthMargin) return { margin: strengthMargin(j.strengths, tierOf.get(chosen)!, tierOf.get(rejected)!) };
      return o.withMargin ? { margin: tierDistance } : {};
    };
    return pairsFromTiers(j.tiers).map((pair) =>
      trlRow({
        messages: j.messages,
        chosen: candidateText(j, pair.chosen),
        rejected: candidateText(j, pair.rejected),
        shape: o.trlShape ?? "auto",
        ...marginOf(pair.chosen, pair.rejected, pair.margin),
      }),
    );
  },
  hh: (j) =>
    pairsFromTiers(j.tiers).map((pair) =>
      hhRow(j.messages, candidateText(j, pair.chosen), candidateText(j, pair.rejected)),
    ),
  kto: (j, o) =>
    ktoRows({
      messages: j.messages,
      tiers: j.tiers,
      noneAcceptable: j.noneAcceptable,
      textOf: (id) => candidateText(j, id),
      shape: o.trlShape ?? "auto",
      middle: o.ktoMiddle ?? "omit",
    }),
  arena: (j, o) =>
    arenaRows({
      questionId: j.promptId,
      messages: j.messages,
      candidates: j.candidates.map((c) => ({ id: c.id, text: c.text, model: c.modelVersion })),
      tiers: j.tiers,
      flags: j.flags,
      noneAcceptable: j.noneAcceptable,
      shownOrder: j.shownOrder,
      judge: judgeOf(j, o.salt),
      createdAt: j.createdAt,
    }),
  oasst: (j, o) => {
    for (const id of j.tiers.flat()) candidateText(j, id);
    return [
      oasstTree({
        treeId: j.judgmentId,
        messages: j.messages,
        candidates: j.candidates,
        tiers: j.tiers,
        labeller: judgeOf(j, o.salt),
        createdAt: j.createdAt,
      }),
    ];
  },
};

export const exportFilename = (slug: string, format: TExportFormat, ext = "jsonl") =>
  `${slug}-${format}-${new Date().toISOString().slice(0, 10)}.${ext}`;

export async function* exportRows(opts: TExportOptions): AsyncGenerator<TRow> {
  const o = { ...opts, salt: opts.salt ?? randomBytes(16).toString("hex") };
  const rowsOf = FORMAT_ROWS[opts.format];
  for await (const j of exportRankings(opts)) yield* rowsOf(j, o);
}

export async function* exportLines(opts: TExportOptions): AsyncGenerator<string> {
  for await (const row of exportRows(opts)) yield JSON.stringify(row) + "\n";
}

export type TExportCounts = { rows: number; judgments: number; prompts: number; labellers: number };

/** One pass over the same judgments and rows as the download, counting them (for the dataset card). */
export async function exportCounts(opts: TExportOptions): Promise<TExportCounts> {
  const o = { ...opts, salt: opts.salt ?? randomBytes(16).toString("hex") };
  const rowsOf = FORMAT_ROWS[opts.format];
  const prompts = new Set<string>();
  const labellers = new Set<string>();
  let rows = 0;
  let judgments = 0;
  for await (const j of exportRankings(opts)) {
    judgments += j.judgments;
    prompts.add(j.promptId);
    for (const id of j.labellerIds ?? [j.userId]) labellers.add(id);
    rows += rowsOf(j, o).length;
  }
  return { rows, judgments, prompts: prompts.size, labellers: labellers.size };
}
