"use client";
// Who may label the project: open to every labeller, or only to its members (added and removed here).
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText, Field } from "../../_components/ui";

export function MembersPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.admin.projects.members.queryOptions({ projectId }));
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.admin.projects.members.queryKey({ projectId }) });
  const [userId, setUserId] = useState("");
  const add = useMutation(
    trpc.admin.projects.addMember.mutationOptions({
      onSuccess: () => {
        setUserId("");
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.admin.projects.removeMember.mutationOptions({ onSuccess: refresh }));
  const setOpen = useMutation(trpc.admin.projects.setOpenToAll.mutationOptions({ onSuccess: refresh }));
  if (members.error) return <ErrorText error={members.error} />;
  const m = members.data;
  if (!m) return <p className="text-slate-500">Loading…</p>;
  const who = (u: { email: string; name: string }) => (u.name ? `${u.name} (${u.email})` : u.email);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Who may label">
        <fieldset className="space-y-2 text-sm" data-testid="label-access">
          <label className="flex items-start gap-2">
            <input
              type="radio"
              name="access"
              checked={m.openToAllLabellers}
              disabled={setOpen.isPending}
              onChange={() => setOpen.mutate({ projectId, openToAllLabellers: true })}
              data-testid="access-all"
            />
            <span>Every labeller (the default for new and existing projects)</span>
          </label>
          <label className="flex items-start gap-2">
            <input
              type="radio"
              name="access"
              checked={!m.openToAllLabellers}
              disabled={setOpen.isPending}
              onChange={() => {
                if (
                  !window.confirm(
                    "Only members will see this project. Labellers who are not members lose it at once, and their open tasks go back to the queue. Continue?",
                  )
                )
                  return;
                setOpen.mutate({ projectId, openToAllLabellers: false });
              }}
              data-testid="access-members"
            />
            <span>Only the members listed here (admins can always label)</span>
          </label>
        </fieldset>
        <div className="mt-3">
          <ErrorText error={setOpen.error} />
        </div>
      </Card>
      <Card title={`Members (${m.members.length})`}>
        {m.openToAllLabellers && m.members.length > 0 && (
          <p className="mb-2 text-sm text-amber-700">
            The project is open to every labeller, so this list has no effect until you choose “Only the members”.
          </p>
        )}
        <form
          className="mb-3 flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (userId) add.mutate({ projectId, userId });
          }}
        >
          <div className="min-w-56 flex-1">
            <Field label="Add a labeller">
              <select
                className="w-full rounded-md border border-slate-300 px-2 py-2 text-sm"
                value={userId}
                onChange={(e) => setUserId(e.target.value)}
                data-testid="member-select"
              >
                <option value="">Choose…</option>
                {m.nonMembers.map((u) => (
                  <option key={u.id} value={u.id}>
                    {who(u)}
                    {u.isDisabled ? " (disabled)" : ""}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Button type="submit" disabled={!userId || add.isPending} data-testid="add-member">
            Add
          </Button>
        </form>
        <ErrorText error={add.error ?? remove.error} />
        {m.members.length === 0 ? (
          <p className="text-sm text-slate-500">No members yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="members-list">
            {m.members.map((u) => (
              <li key={u.id} className="flex items-center justify-between gap-2 py-2" data-testid={`member-${u.email}`}>
                <span className={u.isDisabled ? "text-slate-400" : ""}>
                  {who(u)} · added {u.addedAt.toLocaleDateString()}
                </span>
                <Button
                  variant="secondary"
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ projectId, userId: u.id })}
                  data-testid={`remove-member-${u.email}`}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
