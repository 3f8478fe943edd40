// Times quality control on a synthetic project of 100k judgments (20k comparisons x 3 candidates x 5 labellers),
// written straight into the database named by DATABASE_URL (a scratch, migrated database).
//   DATABASE_URL=file:/tmp/x.db npx tsx scripts/bench/bench-quality.ts
import { createDb, setDb } from "../../server/db";
import { computeQuality } from "../../server/services/quality/compute-quality";
import { forEachConsensus } from "../../server/services/quality/consensus-rankings";

const COMPARISONS = Number(process.env.BENCH_COMPARISONS ?? 20_000);
const LABELLERS = 5;
const provider = process.env.DB_PROVIDER === "postgres" ? "postgres" : "sqlite";
const db = createDb({ provider, url: process.env.DATABASE_URL! });
setDb(db);
const tag = Date.now().toString(36);
const project = await db.project.create({
  data: {
    slug: `bench-quality-${tag}`,
    name: "Bench quality",
    candidatesPerPrompt: 3,
    overlap: LABELLERS,
    leaseMinutes: 30,
  },
});
const users = await Promise.all(
  Array.from({ length: LABELLERS }, (_, i) =>
    db.user.create({ data: { email: `bench-${tag}-${i}@bench.local`, role: "labeller", passwordHash: "x" } }),
  ),
);
const t0 = Date.now();
for (let start = 0; start < COMPARISONS; start += 1000) {
  const n = Math.min(1000, COMPARISONS - start);
  const prompts = Array.from({ length: n }, (_, i) => ({
    id: `bp${tag}${start + i}`,
    projectId: project.id,
    seq: start + i + 1,
    contentHash: `bh${tag}${start + i}`,
    messages: [{ role: "user", content: "p" }],
  }));
  await db.prompt.createMany({ data: prompts });
  await db.comparison.createMany({
    data: prompts.map((p) => ({
      id: `bc${p.id}`,
      projectId: project.id,
      promptId: p.id,
      round: 0,
      status: "open",
      promptSeq: p.seq,
      judgmentCount: LABELLERS,
    })),
  });
  const cands = prompts.flatMap((p) =>
    [0, 1, 2].map((k) => ({
      id: `bk${p.id}-${k}`,
      promptId: p.id,
      comparisonId: `bc${p.id}`,
      position: k,
      text: "a",
      source: "imported",
    })),
  );
  await db.candidate.createMany({ data: cands });
  const assignments = prompts.flatMap((p) =>
    users.map((u, slot) => ({
      id: `ba${p.id}-${slot}`,
      projectId: project.id,
      promptId: p.id,
      comparisonId: `bc${p.id}`,
      userId: u.id,
      slot,
      status: "submitted",
      shownOrder: [0, 1, 2].map((k) => `bk${p.id}-${(k + slot) % 3}`),
      guidelineVersion: 1,
      expiresAt: new Date(),
    })),
  );
  await db.assignment.createMany({ data: assignments });
  await db.judgment.createMany({
    data: assignments.map((a, i) => {
      const ids = [0, 1, 2].map((k) => `bk${a.promptId}-${k}`);
      if ((i * 7919) % 5 === 0) ids.reverse();
      return {
        projectId: project.id,
        promptId: a.promptId,
        comparisonId: a.comparisonId,
        userId: a.userId,
        assignmentId: a.id,
        tiers: (i * 31) % 4 === 0 ? [[ids[0]!], [ids[1]!, ids[2]!]] : ids.map((id) => [id]),
        flags: {},
        shownOrder: a.shownOrder,
        totalMs: 10_000 + (i % 50) * 1000,
        activeMs: 10_000 + (i % 50) * 1000,
        guidelineVersion: 1,
      };
    }),
  });
}
console.log(`wrote ${COMPARISONS * LABELLERS} judgments in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const t1 = Date.now();
const q = await computeQuality({ projectId: project.id });
console.log(
  `computeQuality: ${q.judgments} judgments in ${((Date.now() - t1) / 1000).toFixed(1)} s; alpha ${q.alpha.alpha?.toFixed(3)} over ${q.alpha.units} items; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
const t2 = Date.now();
const n = await forEachConsensus({ projectId: project.id, weighting: "equal" }, () => {});
console.log(`consensus of ${n} comparisons in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
await db.$disconnect();
