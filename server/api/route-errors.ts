// Route handlers answer errors with the same mapping as the tRPC procedures (server/errors.ts), and never show
// an internal error's message: it is logged here instead.
import { APP_ERROR_TRANSPORT, INTERNAL_ERROR_MESSAGE } from "../errors";
import { toAppError } from "../services/db-errors";

export function errorResponse(e: unknown, where: string): Response {
  const app = toAppError(e);
  if (app) return Response.json({ error: app.message, code: app.code }, { status: APP_ERROR_TRANSPORT[app.code].http });
  console.error(`${where} failed:`, e);
  return Response.json({ error: INTERNAL_ERROR_MESSAGE }, { status: 500 });
}
