"use client";
// The header: product name, section links for the viewer's role, sign-out.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";

export function TopBar({ email, role }: { email: string; role: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: () => router.replace("/login") }));
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2">
        <Link href="/" className="font-semibold text-indigo-700">
          prefloop
        </Link>
        <nav className="flex gap-3 text-sm">
          <Link href="/label" className="hover:underline">
            Label
          </Link>
          {(role === "reviewer" || role === "admin") && (
            <Link href="/review" className="hover:underline">
              Review
            </Link>
          )}
          {role === "admin" && (
            <Link href="/admin" className="hover:underline">
              Projects
            </Link>
          )}
          {role === "admin" && (
            <Link href="/admin/users" className="hover:underline">
              People
            </Link>
          )}
          {role === "admin" && (
            <Link href="/admin/jobs" className="hover:underline">
              Jobs
            </Link>
          )}
          {role === "admin" && (
            <Link href="/admin/audit" className="hover:underline">
              Audit log
            </Link>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm text-slate-600">
          <Link href="/account" className="hidden hover:underline sm:inline" data-testid="viewer-email">
            {email}
          </Link>
          <button className="underline" onClick={() => signOut.mutate()}>
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}
