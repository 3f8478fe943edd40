"use client";
// Changing one's password (other browsers are signed out).
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";
import { Button, Card, ErrorText, Field, Input } from "../_components/ui";

export default function AccountPage() {
  const trpc = useTRPC();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setCurrent("");
        setNext("");
      },
    }),
  );
  return (
    <main className="mx-auto max-w-md px-4 py-6">
      <Card title="Change password">
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate({ current, next });
          }}
        >
          <Field label="Current password">
            <Input
              type="password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </Field>
          <Field label="New password" hint="At least 10 characters. Your other sessions will be signed out.">
            <Input
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          </Field>
          <ErrorText error={change.error} />
          {change.isSuccess && <p className="text-sm text-green-700">Password changed.</p>}
          <Button type="submit" disabled={change.isPending}>
            Change password
          </Button>
        </form>
      </Card>
    </main>
  );
}
