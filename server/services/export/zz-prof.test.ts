import fs from "node:fs";
import { it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { hhHarmlessTestFile } from "../../test/shared-data";
import { importPrompts } from "../import/import-prompts";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
const t = useTestDb();
it("prof", async () => {
  const project = await makeProject({ prompts: 0, candidates: 2, overlap: 1 });
  const u = await makeUser();
  await importPrompts({ projectId: project.id, actorId: null, filename: "x.gz", format: "hh", open: () => fs.createReadStream(hhHarmlessTestFile()) });
  let lt = 0, st = 0;
  for (let i = 0; i < 2312; i++) {
    const a = performance.now();
    const task = (await leaseNext({ userId: u.id, projectSlug: project.slug }))!;
    const b = performance.now();
    const ids = task.candidates.map((c) => c.id);
    await submitJudgment({ userId: u.id, assignmentId: task.assignmentId, tiers: [ids], noneAcceptable: false, flags: {}, rationale: "", totalMs: 1, activeMs: 1 });
    const c = performance.now();
    lt += b - a; st += c - b;
    if (i % 400 === 0 || i === 2311) { console.log(t.provider, i, "lease avg", (lt / (i % 400 === 0 && i ? 400 : 1)).toFixed(1), "submit", (st/(i%400===0&&i?400:1)).toFixed(1)); lt = 0; st = 0; }
  }
}, 300_000);
