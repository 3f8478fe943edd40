// First start: a demo project with a few prompts and candidates, so a newcomer can rank at once.
import fs from "node:fs";
import path from "node:path";
import { getDb } from "../../db";
import { createProject } from "./mutate-project";
import { importPrompts } from "../import/import-prompts";

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
  const file = path.join(SEED_DIR, "demo-prompts.jsonl");
  const report = await importPrompts({
    projectId: project.id,
    actorId: opts.actorId,
    filename: "demo-prompts.jsonl",
    format: "auto",
    source: "demo",
    open: () => fs.createReadStream(file),
  });
  if (report.status !== "done") throw new Error(`demo import failed: ${JSON.stringify(report.errors)}`);
  return { created: true, slug };
}
