// The accounts that hold judgments made in another tool (OASST, Label Studio, Argilla): one per source
// annotator, created disabled with an unusable password and `importedFrom` set, inside the import's
// transaction. They cannot sign in, are never offered as labellers and are shown as imported.
import { createHash } from "node:crypto";
import type { DbTx } from "../../db";
import type { TImportedFrom } from "./import-types";

/** The domain of every imported account's email: reserved (RFC 2606), so it can never receive mail. */
export const IMPORTED_EMAIL_DOMAIN = "imported.invalid";
/** Not a scrypt hash: verifyPassword refuses it for every password. */
export const UNUSABLE_PASSWORD_HASH = "!imported";

export const IMPORTED_FROM_LABELS: Record<TImportedFrom, string> = {
  oasst: "OASST",
  "label-studio": "Label Studio",
  argilla: "Argilla",
};

const digest = (annotator: string) => createHash("sha256").update(annotator, "utf8").digest("hex");

/** Stable per (tool, annotator): the annotator's id itself is hashed, since it can be an email. */
export function importedAccountEmail(from: TImportedFrom, annotator: string): string {
  return `${from}-${digest(annotator).slice(0, 16)}@${IMPORTED_EMAIL_DOMAIN}`;
}

/** "OASST" (its ranks are a consensus: one account), "Label Studio annotator 3", "Argilla annotator 1f2e3d4c". */
export function importedAccountName(from: TImportedFrom, annotator: string): string {
  if (from === "oasst") return IMPORTED_FROM_LABELS.oasst;
  const id = /^\d{1,9}$/.test(annotator) ? annotator : digest(annotator).slice(0, 8);
  return `${IMPORTED_FROM_LABELS[from]} annotator ${id}`;
}

/** The OASST tree import's one annotator: its ranks are OASST's merged ranking, not one person's. */
export const OASST_ANNOTATOR = "oasst";

const key = (from: TImportedFrom, annotator: string) => `${from}\u0000${annotator}`;

/** The user id of each (tool, annotator), creating the missing accounts in `tx`. */
export async function ensureImportedAccounts(
  tx: DbTx,
  annotators: { from: TImportedFrom; annotator: string }[],
): Promise<(from: TImportedFrom, annotator: string) => string> {
  const ids = new Map<string, string>();
  for (const a of annotators) {
    const k = key(a.from, a.annotator);
    if (ids.has(k)) continue;
    // An upsert, not find-then-create: two imports into different projects may meet the same annotator at once.
    const user = await tx.user.upsert({
      where: { email: importedAccountEmail(a.from, a.annotator) },
      update: {},
      create: {
        email: importedAccountEmail(a.from, a.annotator),
        name: importedAccountName(a.from, a.annotator),
        passwordHash: UNUSABLE_PASSWORD_HASH,
        role: "labeller",
        isDisabled: true,
        importedFrom: a.from,
      },
      select: { id: true },
    });
    ids.set(k, user.id);
  }
  return (from, annotator) => {
    const id = ids.get(key(from, annotator));
    if (id === undefined) throw new Error(`no imported account for ${from} annotator ${annotator}`);
    return id;
  };
}
