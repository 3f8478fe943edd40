// One mapping of errors for both transports: tRPC over HTTP (the real fetch handler and procedure kinds) and the
// route handlers' errorResponse; database errors translated by the services helper; internal errors hidden.
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestDb } from "../test/test-db";
import { APP_ERROR_CODES, APP_ERROR_TRANSPORT, AppError, INTERNAL_ERROR_MESSAGE } from "../errors";
import { errorResponse } from "./route-errors";
import { createContext, publicProcedure, router } from "./trpc";

const t = useTestDb();
const SECRET = "connect ECONNREFUSED postgresql://admin:hunter2@db/prefloop";

const probeRouter = router({
  conflict: publicProcedure.query(() => {
    throw new AppError("CONFLICT", "The slug is taken.");
  }),
  defect: publicProcedure.query(() => {
    throw new Error(SECRET);
  }),
  // A real P2025 from the database that no service translated.
  missingRow: publicProcedure.query(() => t.db().project.update({ where: { id: "no-such-id" }, data: { name: "x" } })),
});

async function call(path: keyof typeof probeRouter._def.procedures) {
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}`),
    router: probeRouter,
    createContext,
  });
  const body = (await res.json()) as { error: { json: { message: string; data: { appCode: string | null } } } };
  return { status: res.status, message: body.error.json.message, appCode: body.error.json.data.appCode };
}

afterEach(() => vi.restoreAllMocks());

describe("error mapping", () => {
  it("gives each AppError code the HTTP status tRPC sends for its tRPC code", () => {
    for (const code of APP_ERROR_CODES) {
      const { trpc, http } = APP_ERROR_TRANSPORT[code];
      expect(getHTTPStatusCodeFromError(new TRPCError({ code: trpc })), code).toBe(http);
    }
  });

  it("sends an AppError over tRPC with its code, status and message", async () => {
    expect(await call("conflict")).toEqual({ status: 409, message: "The slug is taken.", appCode: "CONFLICT" });
  });

  it("translates an untranslated database error through the services helper", async () => {
    expect(await call("missingRow")).toMatchObject({ status: 404, appCode: "NOT_FOUND" });
  });

  it("never shows an internal error's message to the caller", async () => {
    const res = await call("defect");
    expect(res).toEqual({ status: 500, message: INTERNAL_ERROR_MESSAGE, appCode: null });
    expect(res.message).not.toContain("hunter2");
  });

  it("answers route handlers with the same statuses, logging internal errors instead of showing them", async () => {
    const conflict = errorResponse(new AppError("CONFLICT", "An import is already running."), "import");
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error: "An import is already running.", code: "CONFLICT" });
    expect(errorResponse(new AppError("GONE", "gone"), "import").status).toBe(412);
    expect(errorResponse(Object.assign(new Error("x"), { code: "P2002" }), "import").status).toBe(409);

    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const defect = errorResponse(new Error(SECRET), "import into p1");
    expect(defect.status).toBe(500);
    expect(await defect.json()).toEqual({ error: INTERNAL_ERROR_MESSAGE });
    expect(String(logged.mock.calls[0]?.[1])).toContain(SECRET);
  });
});
