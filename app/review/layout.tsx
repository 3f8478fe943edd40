// Review area: reviewers and admins; anyone else gets a refusal, never review data.
import { SignedInShell } from "../_components/signed-in-shell";

export const dynamic = "force-dynamic";

export default function ReviewLayout({ children }: { children: React.ReactNode }) {
  return (
    <SignedInShell>
      {(viewer) =>
        viewer.role === "reviewer" || viewer.role === "admin" ? (
          <div className="mx-auto max-w-7xl px-4 py-6">{children}</div>
        ) : (
          <main className="mx-auto mt-16 max-w-md px-4 text-center" data-testid="forbidden">
            <h1 className="text-xl font-semibold">Reviewers only</h1>
            <p className="mt-2 text-slate-600">Your account cannot open this page.</p>
          </main>
        )
      }
    </SignedInShell>
  );
}
