// The admin's prompt browser: a filtered, keyset-paginated list of a project's prompts, and one prompt in full
// (conversation, candidates, every comparison with its judgments and skips).
//
// The page of ids is one SQL statement on the (projectId, seq) unique index: `seq > cursor ORDER BY seq LIMIT n`,
// each filter an EXISTS on an indexed foreign key (Comparison.promptId, Judgment.promptId), so a page costs the
// same on the first and the thousandth page of a 100k-prompt project. Text search matches the `content` of any
// turn of the conversation (case-insensitive; SQLite folds ASCII case only); it reads the JSON of the prompts
// it passes over, so it is the one filter that scans.
import { dbProvider, getDb, Prisma } from "../../db";
import { AppError } from "../../errors";
import type { TPromptBrowseStatus } from "../../domain";

export type TPromptBrowseFilter = {
  projectId: string;
  text?: string;
  status?: TPromptBrowseStatus;
  source?: string;
  importId?: string;
  labellerId?: string;
  /** Only prompts with a gold comparison (true) or with none (false). */
  gold?: boolean;
};

/** `%text%` for LIKE with the wildcards of the text itself escaped (ESCAPE '\'). */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whereClause(f: TPromptBrowseFilter, overlap: number, isPg: boolean): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`p."projectId" = ${f.projectId}`];
  const text = f.text?.trim();
  if (text) {
    const pattern = likePattern(text);
    parts.push(
      isPg
        ? Prisma.sql`EXISTS (SELECT 1 FROM jsonb_array_elements(p."messages") m WHERE m->>'content' ILIKE ${pattern} ESCAPE '\\')`
        : Prisma.sql`EXISTS (SELECT 1 FROM json_each(p."messages") m WHERE json_extract(m.value, '$.content') LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  if (f.status) {
    const cond = {
      pending: Prisma.sql`c."status" = 'pending'`,
      open: Prisma.sql`c."status" = 'open' AND c."judgmentCount" < ${overlap}`,
      complete: Prisma.sql`c."status" <> 'retired' AND c."judgmentCount" >= ${overlap}`,
      retired: Prisma.sql`c."status" = 'retired'`,
    }[f.status];
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "Comparison" c WHERE c."promptId" = p."id" AND ${cond})`);
  }
  if (f.source) parts.push(Prisma.sql`p."source" = ${f.source}`);
  if (f.importId) parts.push(Prisma.sql`p."importId" = ${f.importId}`);
  if (f.labellerId)
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Judgment" j WHERE j."promptId" = p."id" AND j."userId" = ${f.labellerId})`,
    );
  if (f.gold !== undefined)
    parts.push(
      Prisma.sql`${f.gold ? Prisma.empty : Prisma.sql`NOT `}EXISTS (SELECT 1 FROM "Comparison" c WHERE c."promptId" = p."id" AND c."isGold")`,
    );
  return Prisma.join(parts, " AND ");
}

export async function browsePrompts(opts: TPromptBrowseFilter & { cursor?: number; pageSize: number }) {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: opts.projectId }, select: { overlap: true } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const isPg = dbProvider(db) === "postgres";
  const where = whereClause(opts, project.overlap, isPg);
  const after = opts.cursor === undefined ? Prisma.empty : Prisma.sql` AND p."seq" > ${opts.cursor}`;
  const [page, counted] = await Promise.all([
    db.$queryRaw<{ id: string; seq: number }[]>`SELECT p."id", p."seq" FROM "Prompt" p
      WHERE ${where}${after} ORDER BY p."seq" ASC LIMIT ${opts.pageSize + 1}`,
    db.$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS n FROM "Prompt" p WHERE ${where}`,
  ]);
  const hasMore = page.length > opts.pageSize;
  const ids = page.slice(0, opts.pageSize).map((r) => r.id);
  const rows = await db.prompt.findMany({
    where: { id: { in: ids } },
    orderBy: { seq: "asc" },
    select: {
      id: true,
      seq: true,
      messages: true,
      source: true,
      externalId: true,
      generationError: true,
      import: { select: { id: true, filename: true } },
      comparisons: { select: { round: true, status: true, judgmentCount: true, isGold: true } },
      _count: { select: { judgments: true, skips: true, candidates: true } },
    },
  });
  return {
    total: Number(counted[0]?.n ?? 0),
    nextCursor: hasMore ? rows[rows.length - 1]?.seq : undefined,
    items: rows.map((p) => ({
      id: p.id,
      seq: p.seq,
      messages: p.messages,
      source: p.source,
      externalId: p.externalId,
      generationError: p.generationError,
      import: p.import,
      rounds: p.comparisons.length,
      isGold: p.comparisons.some((c) => c.isGold),
      isComplete:
        p.comparisons.length > 0 &&
        p.comparisons.every((c) => c.status === "retired" || c.judgmentCount >= project.overlap),
      candidates: p._count.candidates,
      judgments: p._count.judgments,
      skips: p._count.skips,
    })),
  };
}

/** What the browser's filters offer: the project's imports and the people who judged in it (bounded lists). */
export async function promptBrowseOptions(opts: { projectId: string }) {
  const db = getDb();
  const [imports, judges] = await Promise.all([
    db.importBatch.findMany({
      where: { projectId: opts.projectId },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { id: true, filename: true, createdAt: true, promptsAdded: true },
    }),
    db.judgment.groupBy({
      by: ["userId"],
      where: { projectId: opts.projectId },
      take: 500,
      orderBy: { userId: "asc" },
    }),
  ]);
  const labellers = await db.user.findMany({
    where: { id: { in: judges.map((j) => j.userId) } },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: { id: true, name: true, email: true },
  });
  return { imports, labellers };
}

/** One prompt in full, found by its id or by the id of one of its judgments (a judgment's permalink). */
export async function getPromptDetail(opts: { projectId: string; promptId?: string; judgmentId?: string }) {
  const db = getDb();
  let promptId = opts.promptId;
  if (!promptId && opts.judgmentId) {
    const j = await db.judgment.findFirst({
      where: { id: opts.judgmentId, projectId: opts.projectId },
      select: { promptId: true },
    });
    if (!j) throw new AppError("NOT_FOUND", `No judgment ${opts.judgmentId} in this project.`);
    promptId = j.promptId;
  }
  if (!promptId) throw new AppError("BAD_INPUT", "Give a prompt id or a judgment id.");
  const p = await db.prompt.findFirst({
    where: { id: promptId, projectId: opts.projectId },
    select: {
      id: true,
      seq: true,
      messages: true,
      source: true,
      externalId: true,
      metadata: true,
      generationError: true,
      createdAt: true,
      import: { select: { id: true, filename: true } },
      comparisons: {
        orderBy: { round: "asc" },
        select: {
          id: true,
          round: true,
          status: true,
          judgmentCount: true,
          gold: true,
          isGold: true,
          policyVersion: { select: { id: true, name: true } },
          candidates: {
            orderBy: { position: "asc" },
            select: {
              id: true,
              position: true,
              text: true,
              source: true,
              modelVersion: { select: { name: true } },
              rewardScore: true,
              rewardVersion: { select: { name: true } },
            },
          },
          judgments: {
            orderBy: { createdAt: "asc" },
            select: {
              id: true,
              tiers: true,
              noneAcceptable: true,
              flags: true,
              rationale: true,
              totalMs: true,
              activeMs: true,
              guidelineVersion: true,
              createdAt: true,
              goldResult: true,
              isGoldMiss: true,
              user: { select: { id: true, name: true, email: true } },
            },
          },
          skips: {
            orderBy: { createdAt: "asc" },
            select: {
              id: true,
              reason: true,
              note: true,
              createdAt: true,
              user: { select: { id: true, name: true, email: true } },
            },
          },
        },
      },
    },
  });
  if (!p) throw new AppError("NOT_FOUND", `No prompt ${promptId} in this project.`);
  return p;
}
