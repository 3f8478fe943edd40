import { describe, expect, it } from "vitest";
import { describeAudit, type TAuditNames } from "./describe-audit";

const names: TAuditNames = {
  users: new Map([["u1", { name: "Ada", email: "ada@example.test" }]]),
  projects: new Map([["p1", { name: "Chat", slug: "chat" }]]),
  invites: new Map(),
  versions: new Map(),
};

describe("describeAudit for memberships, reset links, jobs and sampling", () => {
  it("names the member added or removed and who may label", () => {
    const add = describeAudit(
      { action: "project.member-add", targetType: "project", targetId: "p1", details: { email: "bo@example.test" } },
      names,
    );
    expect(add).toEqual({
      summary: "Added a member",
      target: { label: "Chat (chat)", href: "/admin/projects/chat" },
      changes: ["bo@example.test"],
    });
    const open = describeAudit(
      {
        action: "project.set-open-to-all",
        targetType: "project",
        targetId: "p1",
        details: { openToAllLabellers: false },
      },
      names,
    );
    expect(open.changes).toEqual(["members only"]);
  });

  it("links a retried job to the jobs page with its kind and last error", () => {
    const d = describeAudit(
      {
        action: "job.retry",
        targetType: "job",
        targetId: "j9",
        details: { kind: "generate.candidates", error: "boom" },
      },
      names,
    );
    expect(d.summary).toBe("Retried a failed job");
    expect(d.target).toEqual({ label: "job j9", href: "/admin/jobs" });
    expect(d.changes).toEqual(['generate.candidates, after: "boom"']);
  });

  it("lists the sampling settings saved with a project update", () => {
    const d = describeAudit(
      {
        action: "project.update",
        targetType: "project",
        targetId: "p1",
        details: { overlap: 2, sampling: { temperature: 0.7, topK: 40 }, before: { overlap: 3 } },
      },
      names,
    );
    expect(d.changes).toEqual(["overlap 3 → 2", "sampling temperature 0.7, topK 40"]);
  });

  it("describes a reset link by the account it was issued for", () => {
    const d = describeAudit(
      {
        action: "user.password-reset-link",
        targetType: "user",
        targetId: "u1",
        details: { email: "ada@example.test" },
      },
      names,
    );
    expect(d.summary).toBe("Issued a password reset link");
    expect(d.target.label).toBe("Ada <ada@example.test>");
  });
});

describe("describeAudit for what leaves the server", () => {
  it("names a downloaded model version and its size", () => {
    const d = describeAudit(
      {
        action: "model.download",
        targetType: "modelVersion",
        targetId: "v1",
        details: { name: "chat-round-2", files: 4, bytes: 12_000 },
      },
      { ...names, versions: new Map([["v1", "chat-round-2"]]) },
    );
    expect(d).toEqual({
      summary: "Downloaded a model version",
      target: { label: "chat-round-2" },
      changes: ["4 files, 12000 bytes"],
    });
    // A version deleted since keeps the name recorded with the download.
    const gone = describeAudit(
      { action: "model.download", targetType: "modelVersion", targetId: "v2", details: { name: "old" } },
      names,
    );
    expect(gone.target.label).toBe("old");
  });

  it("names an export's format and file", () => {
    const d = describeAudit(
      { action: "project.export", targetType: "project", targetId: "p1", details: { format: "trl", file: "parquet" } },
      names,
    );
    expect(d.summary).toBe("Exported a dataset");
    expect(d.changes).toEqual(["format trl", "as parquet"]);
  });
});
