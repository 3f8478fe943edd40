// Derives prisma/postgres/schema.prisma from the canonical prisma/sqlite/schema.prisma: only the
// datasource provider and the generated client's folder differ, the models are shared.
// `--check` exits 1 when the derived file is stale (run by the test command).
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const source = path.join(root, "prisma/sqlite/schema.prisma");
const target = path.join(root, "prisma/postgres/schema.prisma");

export function derivePostgresSchema(sqliteSchema) {
  const withProvider = sqliteSchema.replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"');
  const withOutput = withProvider.replace(
    /output\s*=\s*"\.\.\/\.\.\/generated\/sqlite"/,
    'output   = "../../generated/postgres"',
  );
  if (withProvider === sqliteSchema || withOutput === withProvider) {
    throw new Error(`${source}: expected provider = "sqlite" and output = "../../generated/sqlite" in it`);
  }
  return "// GENERATED from prisma/sqlite/schema.prisma by prisma/tools/sync-schemas.mjs: do not edit.\n" + withOutput;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename;
if (isMain) {
  const expected = derivePostgresSchema(fs.readFileSync(source, "utf8"));
  const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  if (process.argv.includes("--check")) {
    if (current !== expected) {
      console.error(
        `${path.relative(root, target)} is out of date: run \`node prisma/tools/sync-schemas.mjs\` and create the PostgreSQL migration.`,
      );
      process.exit(1);
    }
    console.log("prisma/postgres/schema.prisma is in sync");
  } else if (current !== expected) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, expected);
    console.log(`wrote ${path.relative(root, target)}`);
  }
}
