// Refuses state-changing requests that a browser sent on behalf of another origin (cross-site request
// forgery), and requests whose body is not of the type the endpoint reads. SameSite=Lax alone lets a page
// on another port of the same host (same-site) post forms with the session cookie attached.
import { env } from "../env";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | null): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Origins a legitimate page of this app is served from: APP_URL's, and the one the request addresses. */
function expectedOrigins(req: Request): Set<string> {
  const origins = new Set([new URL(env().APP_URL).origin]);
  const host = req.headers.get("host");
  if (host) {
    const proto = env().TRUST_PROXY > 0 ? req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
    origins.add(`${proto || new URL(req.url).protocol.replace(/:$/, "")}://${host}`);
  }
  return origins;
}

/**
 * Why a state-changing request must be refused as cross-origin, or null when it may proceed. Browsers send
 * `Origin` on every POST and `Sec-Fetch-Site` on every request; a request with neither did not come from a
 * browser (a script or CLI holding the cookie itself), which forgery cannot produce.
 */
export function foreignOriginReason(req: Request): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin") return `cross-origin request refused (Sec-Fetch-Site: ${site})`;
  const origin = req.headers.get("origin");
  if (origin !== null && !expectedOrigins(req).has(origin)) return `cross-origin request refused (Origin: ${origin})`;
  return null;
}

/**
 * The guard for a route handler: a 403 for a cross-origin state-changing request, a 415 when the body is
 * not one of `contentTypes`, otherwise null.
 */
export function refuseForeignRequest(req: Request, opts: { contentTypes: readonly string[] }): Response | null {
  const reason = foreignOriginReason(req);
  if (reason) return Response.json({ error: reason }, { status: 403 });
  if (!SAFE_METHODS.has(req.method) && !opts.contentTypes.includes(mediaType(req.headers.get("content-type")))) {
    return Response.json(
      {
        error: `Content-Type must be ${opts.contentTypes.join(" or ")} (got "${mediaType(req.headers.get("content-type")) || "none"}")`,
      },
      { status: 415 },
    );
  }
  return null;
}
