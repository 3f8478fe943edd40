// The built-in policy (the model the project trains itself, workers/house/model) as a registered model
// version, so a project can use it as its active policy. `path` names it as "builtin:house": the worker
// resolves built-in names to their directory; trained versions store their own directory.
import { getDb } from "../../db";

export const BUILTIN_POLICY = { name: "house-sft", path: "builtin:house" } as const;

export async function ensureBuiltinPolicy(): Promise<{ id: string; name: string }> {
  const db = getDb();
  const found = await db.modelVersion.findUnique({ where: { name: BUILTIN_POLICY.name } });
  if (found) return found;
  try {
    return await db.modelVersion.create({
      data: {
        name: BUILTIN_POLICY.name,
        kind: "policy",
        path: BUILTIN_POLICY.path,
        metadata: { description: "The built-in assistant: pre-trained and fine-tuned (SFT) by the project itself." },
      },
    });
  } catch {
    // A racing start created it first.
    return db.modelVersion.findUniqueOrThrow({ where: { name: BUILTIN_POLICY.name } });
  }
}
