// Streams a project's judgments as rows of one export format (objects), and as JSONL lines; each format is one
// entry of FORMAT_ROWS, so a new one (e.g. consensus rankings) is a function from a judgment to its rows.
import { randomBytes } from "node:crypto";
import type { TCandidateSource, TExportFormat, TKtoMiddle, TTrlShape } from "../../domain";
import { pairsFromTiers } from "../../../workers/ml/formats/tier-pairs";
import { trlRow } from "./format-trl";
import { hhRow } from "./format-hh";
import { judgmentRow } from "./format-judgment";
import { ktoRows } from "./format-kto";
import { arenaRows } from "./format-arena";
import { oasstTree } from "./format-oasst";
import { labellerPseudonym } from "./pseudonym";
import { candidateText, sourceJudgments, type TExportFilters, type TSourceJudgment } from "./export-source";

export type TExportOptions = TExportFilters & {
  format: TExportFormat;
  trlShape?: TTrlShape;
  withMargin?: boolean;
  /** KTO: what the tiers between the best and the worst become. */
  ktoMiddle?: TKtoMiddle;
  /** Salt of the labeller pseudonyms: the same salt gives the same pseudonyms across exports. */
  salt?: string;
};

type TRow = Record<string, unknown>;
type TFormatRows = (j: TSourceJudgment, o: TExportOptions & { salt: string }) => TRow[];

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
      rationale: j.rationale || null,
      shownOrder: j.shownOrder,
      totalMs: j.totalMs,
      activeMs: j.activeMs,
      guidelineVersion: j.guidelineVersion,
      labellerId: j.userId,
      labellerImportedFrom: j.labellerImportedFrom,
      pseudonymSalt: o.salt,
      createdAt: j.createdAt,
    }),
  ],
  trl: (j, o) =>
    pairsFromTiers(j.tiers).map((pair) =>
      trlRow({
        messages: j.messages,
        chosen: candidateText(j, pair.chosen),
        rejected: candidateText(j, pair.rejected),
        shape: o.trlShape ?? "auto",
        ...(o.withMargin ? { margin: pair.margin } : {}),
      }),
    ),
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
      judge: labellerPseudonym(o.salt, j.userId, j.labellerImportedFrom),
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
        labeller: labellerPseudonym(o.salt, j.userId, j.labellerImportedFrom),
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
  for await (const j of sourceJudgments(opts)) yield* rowsOf(j, o);
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
  for await (const j of sourceJudgments(opts)) {
    judgments++;
    prompts.add(j.promptId);
    labellers.add(j.userId);
    rows += rowsOf(j, o).length;
  }
  return { rows, judgments, prompts: prompts.size, labellers: labellers.size };
}
