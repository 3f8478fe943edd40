// Account settings: any signed-in person.
import { redirect } from "next/navigation";
import { getPageViewer } from "@/server/auth/page-viewer";
import { TopBar } from "../_components/top-bar";

export const dynamic = "force-dynamic";

export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  const viewer = await getPageViewer();
  if (!viewer) redirect("/login");
  return (
    <>
      <TopBar email={viewer.email} role={viewer.role} />
      {children}
    </>
  );
}
