// The signed-in viewer for server components and route handlers (reads the session cookie).
import { cookies } from "next/headers";
import { resolveSession, SESSION_COOKIE, type TViewer } from "./session";

export async function getPageViewer(): Promise<TViewer | null> {
  const jar = await cookies();
  return resolveSession(jar.get(SESSION_COOKIE)?.value);
}
