// Labelling area: signed-in people only (admins may label too).
import { redirect } from "next/navigation";
import { getPageViewer } from "@/server/auth/page-viewer";
import { TopBar } from "../_components/top-bar";

export const dynamic = "force-dynamic";

export default async function LabelLayout({ children }: { children: React.ReactNode }) {
  const viewer = await getPageViewer();
  if (!viewer) redirect("/login");
  return (
    <>
      <TopBar email={viewer.email} role={viewer.role} />
      {children}
    </>
  );
}
