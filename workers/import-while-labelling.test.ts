// An import runs in a worker process while labellers sign in, lease and submit through the services
// in this process (as the web server would). Every labeller call succeeds; the import fails in its
// write pass (its file changes under it) and removes only its own rows: the sessions, login attempts,
// leases and judgments made meanwhile all persist. Meant for SQLite (one writer at a time), run on both.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { useTestDb } from "../server/test/test-db";
import { makeProject, makeUser } from "../server/test/factories";
import { enqueueImport } from "../server/services/import/import-job";
import { signIn } from "../server/services/auth/sign-in";
import { leaseNext } from "../server/services/queue/lease-next";
import { submitJudgment } from "../server/services/queue/submit-judgment";
import { spawnWorker, waitFor } from "./test-support/worker-process";

const t = useTestDb();
const ROWS = 40_000;
const LABELLERS = 6;
const children: ReturnType<typeof spawnWorker>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

describe("labelling during an import", () => {
  it("labellers all succeed, and a failing import removes only its own rows", async () => {
    const labelled = await makeProject({ prompts: 400, candidates: 2, overlap: 1 });
    const target = await makeProject({ prompts: 0, candidates: 2 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-upload-"));
    const file = path.join(dir, "upload");
    fs.writeFileSync(
      file,
      Array.from({ length: ROWS }, (_, i) => JSON.stringify({ prompt: `imported ${i}`, candidates: ["a", "b"] })).join(
        "\n",
      ) + "\n",
    );
    const users = await Promise.all(Array.from({ length: LABELLERS }, () => makeUser()));
    const { importId, jobId } = await enqueueImport({
      projectId: target.id,
      actorId: null,
      filename: "big.jsonl",
      format: "jsonl",
      isAllOrNothing: true,
      file,
      ownsFile: true,
    });
    children.push(spawnWorker({ provider: t.provider, url: t.url() }));
    await waitFor("the write pass", async () => {
      const b = await t.db().importBatch.findUniqueOrThrow({ where: { id: importId } });
      return b.phase === "writing" && b.promptsAdded > 0;
    });
    // The second read now sees one line more than the first: the write pass fails at its end.
    fs.appendFileSync(file, JSON.stringify({ prompt: "appended", candidates: ["a", "b"] }) + "\n");

    // An open lease taken during the import, left open on purpose.
    const leaser = await makeUser();
    const open = await leaseNext({ userId: leaser.id, projectSlug: labelled.slug });
    expect(open).not.toBeNull();

    const errors: unknown[] = [];
    let signIns = 0;
    let submits = 0;
    let isImporting = true;
    const labeller = async (u: (typeof users)[number]) => {
      while (isImporting) {
        try {
          await signIn({ email: u.email, password: u.password, ip: "127.0.0.1", userAgent: "test" });
          signIns++;
          const task = await leaseNext({ userId: u.id, projectSlug: labelled.slug });
          if (!task) return;
          await submitJudgment({
            userId: u.id,
            assignmentId: task.assignmentId,
            tiers: task.candidates.map((c) => [c.id]),
            noneAcceptable: false,
            flags: {},
            rationale: "",
            totalMs: 1000,
            activeMs: 900,
          });
          submits++;
        } catch (e) {
          errors.push(e);
        }
      }
    };
    const watcher = waitFor(
      "the import to end",
      async () => {
        const b = await t.db().importBatch.findUniqueOrThrow({ where: { id: importId } });
        return (b.status === "done" || b.status === "failed") && b;
      },
      120_000,
    ).finally(() => (isImporting = false));
    await Promise.all([...users.map(labeller), watcher]);
    const batch = await watcher;

    expect(errors).toEqual([]);
    expect(submits).toBeGreaterThan(0);
    expect(batch.status).toBe("failed");
    expect(JSON.stringify(batch.errors)).toMatch(/read differently the second time/);
    expect(await t.db().prompt.count({ where: { projectId: target.id } })).toBe(0);
    expect(await t.db().judgment.count({ where: { prompt: { projectId: labelled.id } } })).toBe(submits);
    expect(await t.db().session.count({ where: { userId: { in: users.map((u) => u.id) } } })).toBe(signIns);
    expect(await t.db().loginAttempt.count({ where: { email: { in: users.map((u) => u.email) } } })).toBe(signIns);
    expect(open && (await t.db().assignment.findUnique({ where: { id: open.assignmentId } }))?.status).toBe("active");
    // The job ends once the spool is deleted.
    await waitFor(
      "the job to end",
      async () => (await t.db().job.findUniqueOrThrow({ where: { id: jobId } })).status === "done",
    );
    expect(fs.existsSync(dir)).toBe(false);
  }, 180_000);
});
