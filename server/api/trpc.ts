// tRPC set-up: the request context (viewer from the session cookie), the error mapping (AppError to tRPC codes
// by the table in server/errors.ts; internal errors hidden), and the four kinds of procedure: public, labeller
// (any signed-in user), reviewer (reviewers and admins), admin.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { resolveSession, type TViewer } from "../auth/session";
import { APP_ERROR_TRANSPORT, INTERNAL_ERROR_MESSAGE, isAppError } from "../errors";
import { toAppError } from "../services/db-errors";
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

const t = initTRPC.context<TContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      // An internal error's message can carry SQL, paths or secrets: callers get a generic one (it is logged).
      message: error.code === "INTERNAL_SERVER_ERROR" ? INTERNAL_ERROR_MESSAGE : shape.message,
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

/** Maps service errors (and database errors a service left untranslated) through the table in server/errors.ts. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const app = toAppError(result.error.cause);
    if (app) throw new TRPCError({ code: APP_ERROR_TRANSPORT[app.code].trpc, message: app.message, cause: app });
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

/** Reviewers and admins: the review queue and adjudication. */
export const reviewerProcedure = labellerProcedure.use(({ ctx, next }) => {
  if (ctx.viewer.role !== "reviewer" && ctx.viewer.role !== "admin")
    throw new TRPCError({ code: "FORBIDDEN", message: "Reviewers and admins only." });
  return next({ ctx });
});

export const adminProcedure = labellerProcedure.use(({ ctx, next }) => {
  if (ctx.viewer.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Admins only." });
  return next({ ctx });
});
