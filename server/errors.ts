// Transport-neutral errors thrown by services, and the one table that says what each code becomes on the
// wire: the tRPC code (server/api/trpc.ts) and the HTTP status of route handlers (server/api/route-errors.ts).
import type { TRPCError } from "@trpc/server";

export const APP_ERROR_TRANSPORT = {
  BAD_INPUT: { trpc: "BAD_REQUEST", http: 400 },
  UNAUTHENTICATED: { trpc: "UNAUTHORIZED", http: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404 },
  CONFLICT: { trpc: "CONFLICT", http: 409 },
  RATE_LIMITED: { trpc: "TOO_MANY_REQUESTS", http: 429 },
  // A lease or invite that ended: tRPC has no GONE, and both transports must agree on the status.
  GONE: { trpc: "PRECONDITION_FAILED", http: 412 },
} as const satisfies Record<string, { trpc: TRPCError["code"]; http: number }>;

export type TAppErrorCode = keyof typeof APP_ERROR_TRANSPORT;
export const APP_ERROR_CODES = Object.keys(APP_ERROR_TRANSPORT) as TAppErrorCode[];

/** What labellers and admins see for anything that is not an AppError; the real error goes to the server log. */
export const INTERNAL_ERROR_MESSAGE =
  "Something went wrong on the server. It was logged; try again, and tell an admin if it keeps happening.";

export class AppError extends Error {
  readonly code: TAppErrorCode;
  readonly details?: unknown;

  constructor(code: TAppErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
