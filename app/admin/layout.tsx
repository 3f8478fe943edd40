// Admin area: admins only; anyone else gets a refusal, never admin data.
import { redirect } from "next/navigation";
import { getPageViewer } from "@/server/auth/page-viewer";
import { TopBar } from "../_components/top-bar";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const viewer = await getPageViewer();
  if (!viewer) redirect("/login");
  return (
    <>
      <TopBar email={viewer.email} role={viewer.role} />
      {viewer.role === "admin" ? (
        <div className="mx-auto max-w-7xl px-4 py-6">{children}</div>
      ) : (
        <main className="mx-auto mt-16 max-w-md px-4 text-center" data-testid="forbidden">
          <h1 className="text-xl font-semibold">Admins only</h1>
          <p className="mt-2 text-slate-600">Your account cannot open this page.</p>
        </main>
      )}
    </>
  );
}
