import path from "node:path";
import { defineConfig } from "prisma/config";

// Offline: the Prisma CLI would download its native schema engine. Unless a real binary is
// configured, use the project's WebAssembly-backed stand-in (prisma/tools/README.md).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "prisma/tools/schema-engine-wasm.mjs");
process.env.CHECKPOINT_DISABLE ??= "1"; // no update-check request

// DB_PROVIDER picks the schema and the migrations folder: "sqlite" (default) or "postgres".
const provider = process.env.DB_PROVIDER === "postgres" ? "postgres" : "sqlite";
const url = process.env.DATABASE_URL ?? (provider === "sqlite" ? "file:./data/prefloop.db" : undefined);

export default defineConfig({
  schema: `prisma/${provider}/schema.prisma`,
  migrations: { path: `prisma/${provider}/migrations` },
  datasource: { url },
});
