// The tRPC endpoint.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { refuseForeignRequest } from "@/server/auth/request-guard";
import { capRequestBody } from "@/server/api/body-cap";
import { env } from "@/server/env";

const handler = async (req: Request) => {
  // Queries come as GET; every POST (a mutation or a batch) must be JSON from this app's own pages.
  const refused = refuseForeignRequest(req, { contentTypes: ["application/json"] });
  if (refused) return refused;
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: capRequestBody(req, env().TRPC_MAX_BODY_BYTES),
    router: appRouter,
    createContext: ({ req, resHeaders }) => createContext({ req, resHeaders }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path}:`, error.cause ?? error);
    },
  });
  // Answers are per user: no shared or browser cache may keep them.
  response.headers.set("Cache-Control", "no-store");
  return response;
};

export { handler as GET, handler as POST };
