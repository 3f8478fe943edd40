// Stable labeller pseudonyms for exports (HMAC of the user id); not reversible without the salt, not an auth token.
import { createHmac } from "node:crypto";

/** Same salt + user id → same 16-hex-character pseudonym; a new salt unlinks every earlier export. */
export function pseudonymize(salt: string, userId: string): string {
  // An empty key would make pseudonyms recomputable by anyone who knows the user ids.
  if (salt === "") throw new Error("the pseudonym salt must not be empty");
  return createHmac("sha256", salt).update(userId, "utf8").digest("hex").slice(0, 16);
}

/**
 * The labeller column of an export: the pseudonym, prefixed for an account of imported judgments
 * ("imported:label-studio:<pseudonym>"), so rankings made in another tool stay recognisable and still unlinkable.
 */
export function labellerPseudonym(salt: string, userId: string, importedFrom: string | null | undefined): string {
  const pseudonym = pseudonymize(salt, userId);
  return importedFrom ? `imported:${importedFrom}:${pseudonym}` : pseudonym;
}
