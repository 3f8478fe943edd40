// Test data builders over the real database: users, projects with prompts and candidates.
import { getDb } from "../db";
import { hashPassword } from "../auth/password";
import type { TRole } from "../domain";
import { createComparison } from "../services/queue/create-comparison";

let counter = 0;
const next = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function makeUser(opts: { role?: TRole; email?: string; password?: string; isDisabled?: boolean } = {}) {
  const password = opts.password ?? "correct horse battery";
  const user = await getDb().user.create({
    data: {
      email: opts.email ?? `u${next()}@test.local`,
      role: opts.role ?? "labeller",
      passwordHash: await hashPassword(password),
      isDisabled: opts.isDisabled ?? false,
    },
  });
  return { ...user, password };
}

export async function makeProject(
  opts: { prompts?: number; candidates?: number; overlap?: number; leaseMinutes?: number; slug?: string } = {},
) {
  const db = getDb();
  const k = opts.candidates ?? 3;
  const project = await db.project.create({
    data: {
      slug: opts.slug ?? `p-${next()}`,
      name: "Test project",
      candidatesPerPrompt: k,
      overlap: opts.overlap ?? 1,
      leaseMinutes: opts.leaseMinutes ?? 30,
    },
  });
  await db.guidelineVersion.create({ data: { projectId: project.id, version: 1, body: "# Rank by helpfulness" } });
  for (let i = 0; i < (opts.prompts ?? 3); i++) {
    const prompt = await db.prompt.create({
      data: {
        projectId: project.id,
        seq: i + 1,
        contentHash: `h${next()}`,
        messages: [{ role: "user", content: `Prompt ${i + 1}` }],
      },
    });
    await createComparison({
      promptId: prompt.id,
      round: 0,
      candidates: Array.from({ length: k }, (_, j) => ({
        text: `Answer ${j + 1} to prompt ${i + 1}`,
        source: "imported" as const,
      })),
    });
  }
  return project;
}
