// First start: two demo projects, so a newcomer can rank at once: "demo" with a few prompts and
// hand-written candidates, and "built-in-model", whose candidates the worker generates from the
// built-in policy (the loop: rank its answers, train, rank the improved policy's answers).
import fs from "node:fs";
import path from "node:path";
import { getDb } from "../../db";
import { createProject } from "./mutate-project";
import { importPrompts } from "../import/import-prompts";
import { ensureBuiltinPolicy } from "../models/builtin-policy";

const SEED_DIR = path.resolve(import.meta.dirname, "../../../prisma/seed");

export async function seedDemoProject(opts: { actorId: string }): Promise<{ created: boolean; slug: string }> {
  const slug = "demo";
  const db = getDb();
  if ((await db.project.count()) > 0) return { created: false, slug };
  const project = await createProject({
    actorId: opts.actorId,
    slug,
    settings: {
      name: "Demo: rank assistant answers",
      description: "A few example prompts to try the ranking flow.",
      candidatesPerPrompt: 3,
      overlap: 2,
      leaseMinutes: 30,
    },
    guidelines: fs.readFileSync(path.join(SEED_DIR, "demo-guidelines.md"), "utf8"),
  });
  await importSeed(project.id, opts.actorId, "demo-prompts.jsonl");

  const policy = await ensureBuiltinPolicy();
  const house = await createProject({
    actorId: opts.actorId,
    slug: "built-in-model",
    settings: {
      name: "Demo: improve the built-in model",
      description: "Rank the built-in assistant's answers; each round of rankings trains its next version.",
      candidatesPerPrompt: 3,
      overlap: 1,
      leaseMinutes: 30,
    },
    guidelines: fs.readFileSync(path.join(SEED_DIR, "house-guidelines.md"), "utf8"),
  });
  // Every 20 new judgments the worker trains a round (DPO) and, when it is better, promotes it.
  await db.project.update({ where: { id: house.id }, data: { policyVersionId: policy.id, trainEvery: 20 } });
  await importSeed(house.id, opts.actorId, "house-prompts.jsonl");
  return { created: true, slug };
}

async function importSeed(projectId: string, actorId: string, name: string): Promise<void> {
  const file = path.join(SEED_DIR, name);
  const report = await importPrompts({
    projectId,
    actorId,
    filename: name,
    format: "auto",
    source: "demo",
    open: () => fs.createReadStream(file),
  });
  if (report.status !== "done") throw new Error(`seed import ${name} failed: ${JSON.stringify(report.errors)}`);
}
