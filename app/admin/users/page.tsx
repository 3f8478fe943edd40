"use client";
// People: invite labellers and admins, disable accounts, change roles, issue password reset links, see each
// person's work.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ROLES, type TRole } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText, Field, Input } from "../../_components/ui";
import { CopyButton } from "../_components/copy-button";

const fmtMs = (ms: number | null) =>
  ms === null ? "–" : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`;

export default function UsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.users.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<TRole>("labeller");
  const invite = useMutation(
    trpc.admin.users.invite.mutationOptions({
      onSuccess: () => {
        setEmail("");
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.admin.users.revokeInvite.mutationOptions({ onSuccess: refresh }));
  const setDisabled = useMutation(trpc.admin.users.setDisabled.mutationOptions({ onSuccess: refresh }));
  const setUserRole = useMutation(trpc.admin.users.setRole.mutationOptions({ onSuccess: refresh }));
  const resetLink = useMutation(trpc.admin.users.passwordResetLink.mutationOptions());
  return (
    <main className="space-y-4">
      <h1 className="text-xl font-semibold">People</h1>
      <Card title="Invite someone">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            invite.mutate({ email, role });
          }}
        >
          <div className="min-w-64 flex-1">
            <Field label="Email">
              <Input
                type="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                data-testid="invite-email"
              />
            </Field>
          </div>
          <Field label="Role">
            <select
              className="rounded-md border border-slate-300 px-2 py-2 text-sm"
              value={role}
              onChange={(e) => setRole(e.target.value as TRole)}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </Field>
          <Button type="submit" disabled={invite.isPending} data-testid="send-invite">
            Create invite link
          </Button>
        </form>
        <div className="mt-3">
          <ErrorText error={invite.error} />
        </div>
        {invite.data && (
          <div className="mt-3 rounded-md border border-green-200 bg-green-50 p-3 text-sm">
            <p>
              Send this link to <strong>{invite.data.email}</strong> (valid for 7 days, shown once):
            </p>
            <div className="mt-1 flex flex-wrap items-center gap-2">
              <code className="block min-w-0 flex-1 break-all" data-testid="invite-link">
                {invite.data.url}
              </code>
              <CopyButton text={invite.data.url} label="Copy link" data-testid="copy-invite-link" />
            </div>
            <p className="mt-2 text-slate-600" data-testid="invite-replaces">
              A new invite for the same address replaces this one: the earlier link stops working.
            </p>
          </div>
        )}
      </Card>
      <ErrorText error={list.error ?? setDisabled.error ?? setUserRole.error ?? revoke.error ?? resetLink.error} />
      {resetLink.data && (
        <Card title="Password reset link">
          <div className="text-sm" data-testid="reset-link-box">
            <p>
              Give this link to <strong>{resetLink.data.email}</strong> (shown once; it works once, until{" "}
              {resetLink.data.expiresAt.toLocaleString()}). Using it signs the account out everywhere.
            </p>
            <div className="mt-1 flex flex-wrap items-center gap-2">
              <code className="block min-w-0 flex-1 break-all" data-testid="reset-link">
                {resetLink.data.url}
              </code>
              <CopyButton text={resetLink.data.url} label="Copy link" data-testid="copy-reset-link" />
            </div>
            <p className="mt-2 text-slate-600">A newer link for the same account replaces this one.</p>
          </div>
        </Card>
      )}
      {list.data && list.data.invites.length > 0 && (
        <Card title="Open invites">
          <ul className="divide-y divide-slate-100 text-sm">
            {list.data.invites.map((i) => (
              <li key={i.id} className="flex items-center justify-between gap-2 py-2">
                <span>
                  {i.email} · {i.role} · expires {i.expiresAt.toLocaleDateString()}
                </span>
                <Button variant="secondary" onClick={() => revoke.mutate({ inviteId: i.id })}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="Accounts">
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="users-table">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1">Email</th>
                <th>Name</th>
                <th>Role</th>
                <th>Judgments</th>
                <th>Skips</th>
                <th>Median time</th>
                <th>Last sign-in</th>
                <th />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.data?.users.map((u) => (
                <tr key={u.id} className={u.isDisabled ? "text-slate-400" : ""} data-testid={`user-${u.email}`}>
                  <td className="py-2">
                    {u.email}
                    {u.importedFrom && (
                      <span
                        className="ml-2 rounded bg-slate-100 px-1 text-xs text-slate-600"
                        title={`${u.name}: judgments imported from ${u.importedFrom}; cannot sign in`}
                      >
                        imported
                      </span>
                    )}
                  </td>
                  <td>{u.name}</td>
                  <td>
                    <select
                      aria-label={`Role of ${u.email}`}
                      className="rounded border border-slate-200 px-1 py-1"
                      value={u.role}
                      onChange={(e) => setUserRole.mutate({ userId: u.id, role: e.target.value as TRole })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{u.judgments}</td>
                  <td>{u.skips}</td>
                  <td>{fmtMs(u.medianMs)}</td>
                  <td>{u.lastLoginAt ? u.lastLoginAt.toLocaleString() : "never"}</td>
                  <td className="space-x-2 whitespace-nowrap text-right">
                    <Button
                      variant="secondary"
                      disabled={u.isDisabled || resetLink.isPending}
                      onClick={() => resetLink.mutate({ userId: u.id })}
                      data-testid={`reset-password-${u.email}`}
                    >
                      Reset password
                    </Button>
                    <Button
                      variant={u.isDisabled ? "secondary" : "danger"}
                      onClick={() => {
                        // Disabling signs the person out everywhere and frees their open tasks.
                        if (
                          !u.isDisabled &&
                          !window.confirm(
                            `Disable ${u.email}? They are signed out at once and cannot sign in until an admin enables the account again. Their judgments are kept.`,
                          )
                        )
                          return;
                        setDisabled.mutate({ userId: u.id, isDisabled: !u.isDisabled });
                      }}
                      data-testid={`toggle-disabled-${u.email}`}
                    >
                      {u.isDisabled ? "Enable" : "Disable"}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </main>
  );
}
