// Entry: send each person where they work.
import { redirect } from "next/navigation";
import { getPageViewer } from "@/server/auth/page-viewer";
import { homeOfRole } from "@/server/domain";

export const dynamic = "force-dynamic";

export default async function Home() {
  const viewer = await getPageViewer();
  if (!viewer) redirect("/login");
  redirect(homeOfRole(viewer.role));
}
