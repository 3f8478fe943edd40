// The import's second read must match its first: a read that fails or differs rolls everything back.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject } from "../../test/factories";
import { importPrompts } from "./import-prompts";

const t = useTestDb();
const line = (n: number) => JSON.stringify({ prompt: `p${n}`, candidates: [`a${n}`, `b${n}`] });

describe("import second pass", () => {
  it("fails and writes nothing when the file reads differently the second time", async () => {
    const project = await makeProject({ prompts: 0, candidates: 2 });
    let reads = 0;
    const full = Array.from({ length: 10 }, (_, i) => line(i)).join("\n");
    const report = importPrompts({
      projectId: project.id,
      actorId: null,
      filename: "x.jsonl",
      format: "auto",
      // The second read stops after three lines, as a failing disk or a truncated file would.
      open: () => Readable.from([Buffer.from(reads++ === 0 ? full : full.split("\n").slice(0, 3).join("\n"))]),
    });
    await expect(report).rejects.toThrow(/read differently the second time/);
    expect(await t.db().prompt.count({ where: { projectId: project.id } })).toBe(0);
    const batch = await t.db().importBatch.findFirstOrThrow({ where: { projectId: project.id } });
    expect(batch.status).toBe("failed");
  });
});
