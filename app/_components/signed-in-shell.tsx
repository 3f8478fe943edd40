// Server-side frame for pages that need a signed-in person: redirects to /login, else the top bar.
import { redirect } from "next/navigation";
import { getPageViewer } from "@/server/auth/page-viewer";
import type { TViewer } from "@/server/auth/session";
import { TopBar } from "./top-bar";

export async function SignedInShell({ children }: { children: (viewer: TViewer) => React.ReactNode }) {
  const viewer = await getPageViewer();
  if (!viewer) redirect("/login");
  return (
    <>
      <TopBar email={viewer.email} role={viewer.role} />
      {children(viewer)}
    </>
  );
}
