// Tests of the de-duplication hash: stable, sensitive to content and order, blind to everything else.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentHash } from "./content-hash";

describe("contentHash", () => {
  const base = { messages: [{ role: "user" as const, content: "Q" }], candidates: ["a", "b"] };

  it("is the sha256 hex of the canonical JSON", () => {
    const expected = createHash("sha256").update('[[["user","Q"]],["a","b"]]').digest("hex");
    expect(contentHash(base)).toBe(expected);
  });

  it("ignores extra fields but not roles, texts or candidate order", () => {
    expect(contentHash({ ...base, externalId: "x" } as typeof base)).toBe(contentHash(base));
    expect(contentHash({ ...base, candidates: ["b", "a"] })).not.toBe(contentHash(base));
    expect(contentHash({ ...base, messages: [{ role: "system", content: "Q" }] })).not.toBe(contentHash(base));
    // Without a separator-safe encoding these two would collide.
    expect(contentHash({ ...base, candidates: ["a,b"] })).not.toBe(contentHash({ ...base, candidates: ["a", "b"] }));
  });
});
