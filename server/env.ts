// The process environment, validated once with zod: a bad value fails at start-up, not mid-request.
import { z } from "zod";

const ZEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DB_PROVIDER: z.enum(["sqlite", "postgres"]).default("sqlite"),
    DATABASE_URL: z.string().optional(),
    /** Public origin used in invite links, e.g. https://labels.example.org */
    APP_URL: z.string().url().default("http://127.0.0.1:3000"),
    /** Set to "true" behind plain HTTP on a non-localhost origin only if you must (cookies lose `Secure`). */
    COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
    ADMIN_EMAIL: z.string().email().optional(),
    ADMIN_PASSWORD: z.string().min(10, "ADMIN_PASSWORD must have at least 10 characters").optional(),
    SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(8),
    LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
    /** Once an account passed its failure budget: seconds between password checks from addresses that failed. */
    LOGIN_SLOWDOWN_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** How many reverse proxies in front of the app append to X-Forwarded-For (0: trust no forwarded header). */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    /** Largest tRPC request body, in bytes. */
    TRPC_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(1024 * 1024),
  })
  .refine((e) => e.DB_PROVIDER === "sqlite" || !!e.DATABASE_URL, {
    message: "DATABASE_URL is required when DB_PROVIDER=postgres",
    path: ["DATABASE_URL"],
  });
export type TEnv = z.infer<typeof ZEnv>;

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const result = ZEnv.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: TEnv | undefined;
export const env = (): TEnv => (cached ??= parseEnv(process.env));
