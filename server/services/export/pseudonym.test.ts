// Tests of labeller pseudonyms: HMAC value, stability per salt, refusal of an empty salt.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pseudonymize } from "./pseudonym";

describe("pseudonymize", () => {
  it("is the first 16 hex characters of HMAC-SHA256(salt, user id)", () => {
    const expected = createHmac("sha256", "salt-1").update("user-42").digest("hex").slice(0, 16);
    expect(pseudonymize("salt-1", "user-42")).toBe(expected);
    expect(pseudonymize("salt-1", "user-42")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("is stable per salt and differs across salts and users", () => {
    expect(pseudonymize("s", "u")).toBe(pseudonymize("s", "u"));
    expect(pseudonymize("s2", "u")).not.toBe(pseudonymize("s", "u"));
    expect(pseudonymize("s", "u2")).not.toBe(pseudonymize("s", "u"));
  });

  it("refuses an empty salt", () => {
    expect(() => pseudonymize("", "u")).toThrow("the pseudonym salt must not be empty");
  });
});
