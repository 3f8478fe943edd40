// Prisma's error codes are read here and nowhere else: services turn them into AppError (with their own message
// where they know what the row is), and the transports fall back on toAppError for the generic meaning.
import { AppError, isAppError, type TAppErrorCode } from "../errors";

const PRISMA_CODES = {
  P2002: { code: "CONFLICT", message: "That value is already taken; choose another." },
  P2003: { code: "CONFLICT", message: "A record this refers to does not exist or was deleted." },
  P2025: { code: "NOT_FOUND", message: "No such record: it may have been deleted." },
  P2034: { code: "CONFLICT", message: "Another change got there first; try again." },
} as const satisfies Record<string, { code: TAppErrorCode; message: string }>;

export type TPrismaCode = keyof typeof PRISMA_CODES;

function prismaCode(e: unknown): TPrismaCode | null {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === "string" && Object.hasOwn(PRISMA_CODES, code) ? (code as TPrismaCode) : null;
}

/** A unique-constraint violation (P2002) from either database. */
export const isUniqueViolation = (e: unknown): boolean => prismaCode(e) === "P2002";

/**
 * The AppError an error stands for: itself, or a known database error with the caller's message for its code
 * (else a generic one). Null means a defect, which the transports log and report as an internal error.
 */
export function toAppError(e: unknown, messages: Partial<Record<TPrismaCode, string>> = {}): AppError | null {
  if (isAppError(e)) return e;
  const code = prismaCode(e);
  if (!code) return null;
  return new AppError(PRISMA_CODES[code].code, messages[code] ?? PRISMA_CODES[code].message);
}
