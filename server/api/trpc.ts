// tRPC set-up: the request context (viewer from the session cookie), the error formatter that maps
// AppError to tRPC codes, and the three kinds of procedure: public, labeller (any signed-in user), admin.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { resolveSession, type TViewer } from "../auth/session";
import { isAppError, type TAppErrorCode } from "../errors";
import { readCookie } from "../auth/cookies";
import { clientAddress } from "../auth/client-address";
import { env } from "../env";

export type TContext = {
  viewer: TViewer | null;
  /** The session token from the cookie, when there is one. */
  sessionToken: string | undefined;
  ip: string;
  userAgent: string;
  /** Response headers the procedure may add to (Set-Cookie). */
  resHeaders: Headers;
};

export async function createContext(opts: { req: Request; resHeaders: Headers }): Promise<TContext> {
  const sessionToken = readCookie(opts.req.headers.get("cookie"));
  const ip = clientAddress(opts.req.headers, env().TRUST_PROXY);
  return {
    viewer: await resolveSession(sessionToken),
    sessionToken,
    ip,
    userAgent: opts.req.headers.get("user-agent") ?? "",
    resHeaders: opts.resHeaders,
  };
}

const CODE_MAP: Record<TAppErrorCode, TRPCError["code"]> = {
  BAD_INPUT: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  GONE: "PRECONDITION_FAILED",
};

const t = initTRPC.context<TContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        appCode: isAppError(cause) ? cause.code : null,
        zodIssues:
          cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null,
      },
    };
  },
});

/** Maps service errors to tRPC errors; unexpected errors stay INTERNAL_SERVER_ERROR (logged). */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (isAppError(cause)) throw new TRPCError({ code: CODE_MAP[cause.code], message: cause.message, cause });
    // Prisma's "record to update/delete not found": an id that does not exist.
    if ((cause as { code?: unknown } | undefined)?.code === "P2025")
      throw new TRPCError({ code: "NOT_FOUND", message: "No such record: it may have been deleted.", cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapErrors);

export const labellerProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.viewer) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, viewer: ctx.viewer } });
});

export const adminProcedure = labellerProcedure.use(({ ctx, next }) => {
  if (ctx.viewer.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Admins only." });
  return next({ ctx });
});
