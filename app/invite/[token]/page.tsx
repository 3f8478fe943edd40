"use client";
// Accepting an invite: choose a name and password, then land in the app signed in.
import { use, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { homeOfRole } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText, Field, Input } from "../../_components/ui";

export default function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = use(params);
  const trpc = useTRPC();
  const router = useRouter();
  const info = useQuery(trpc.auth.inviteInfo.queryOptions({ token }, { retry: false }));
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const accept = useMutation(
    trpc.auth.acceptInvite.mutationOptions({
      onSuccess: (r) => router.replace(homeOfRole(r.role)),
    }),
  );
  return (
    <main className="mx-auto mt-24 max-w-sm px-4">
      <h1 className="mb-6 text-center text-2xl font-semibold text-indigo-700">prefloop</h1>
      <Card title="Join the labelling team">
        {info.isPending && <p className="text-sm text-slate-500">Checking your invite…</p>}
        <ErrorText error={info.error} />
        {info.data && (
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              accept.mutate({ token, name, password });
            }}
          >
            <p className="text-sm text-slate-600">
              Invited as <strong>{info.data.email}</strong> ({info.data.role}).
            </p>
            <Field label="Your name">
              <Input name="name" required value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label="Password" hint="At least 10 characters.">
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
            <ErrorText error={accept.error} />
            <Button type="submit" className="w-full" disabled={accept.isPending}>
              Create account
            </Button>
          </form>
        )}
      </Card>
    </main>
  );
}
