// Access check for route handlers (uploads, downloads): the same rule as adminProcedure.
import type { TViewer } from "./session";
import { getPageViewer } from "./page-viewer";

export async function requireAdminForRoute(): Promise<{ viewer: TViewer } | { response: Response }> {
  const viewer = await getPageViewer();
  if (!viewer) return { response: Response.json({ error: "Sign in first." }, { status: 401 }) };
  if (viewer.role !== "admin") return { response: Response.json({ error: "Admins only." }, { status: 403 }) };
  return { viewer };
}
