// Applies the committed migration files straight through the database driver (tests only): fast,
// and it proves the committed SQL itself builds the schema.
import fs from "node:fs";
import path from "node:path";

export type TProvider = "sqlite" | "postgres";
const ROOT = path.resolve(import.meta.dirname, "../..");

export function migrationSql(provider: TProvider): string[] {
  const dir = path.join(ROOT, "prisma", provider, "migrations");
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
}

export const testProvider = (): TProvider => (process.env.TEST_DB_PROVIDER === "postgres" ? "postgres" : "sqlite");
export const testPgAdminUrl = (): string => process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
