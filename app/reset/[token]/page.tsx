"use client";
// Setting a new password with a reset link an admin issued: one use; it signs out every other session.
import { use, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { homeOfRole } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText, Field, Input } from "../../_components/ui";

export default function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = use(params);
  const trpc = useTRPC();
  const router = useRouter();
  const info = useQuery(trpc.auth.passwordResetInfo.queryOptions({ token }, { retry: false }));
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: (r) => router.replace(homeOfRole(r.role)),
    }),
  );
  return (
    <main className="mx-auto mt-24 max-w-sm px-4">
      <h1 className="mb-6 text-center text-2xl font-semibold text-indigo-700">prefloop</h1>
      <Card title="Choose a new password">
        {info.isPending && <p className="text-sm text-slate-500">Checking your link…</p>}
        <ErrorText error={info.error} />
        {info.data && (
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              setMismatch(password !== repeat);
              if (password === repeat) reset.mutate({ token, password });
            }}
          >
            <p className="text-sm text-slate-600">
              For <strong>{info.data.email}</strong>. Every browser signed in to this account is signed out.
            </p>
            <Field label="New password" hint="At least 10 characters.">
              <Input
                type="password"
                name="password"
                autoComplete="new-password"
                required
                minLength={10}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
            <Field label="Repeat the new password">
              <Input
                type="password"
                name="repeat"
                autoComplete="new-password"
                required
                value={repeat}
                onChange={(e) => setRepeat(e.target.value)}
              />
            </Field>
            {mismatch && (
              <p role="alert" className="text-sm text-red-700">
                The two passwords differ.
              </p>
            )}
            <ErrorText error={reset.error} />
            <Button type="submit" className="w-full" disabled={reset.isPending}>
              Set password and sign in
            </Button>
          </form>
        )}
      </Card>
    </main>
  );
}
