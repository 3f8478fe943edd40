// Shows a prompt's conversation: each turn with its speaker, markdown rendered safely.
import type { TMessage } from "@/server/domain";
import { Markdown } from "../../_components/markdown";

const SPEAKER: Record<TMessage["role"], string> = { system: "System", user: "User", assistant: "Assistant" };

export function ConversationView({ messages }: { messages: TMessage[] }) {
  return (
    <ol className="space-y-2" data-testid="conversation">
      {messages.map((m, i) => (
        <li
          key={i}
          className={`rounded-lg border p-3 ${m.role === "user" ? "border-indigo-200 bg-indigo-50" : m.role === "system" ? "border-amber-200 bg-amber-50" : "border-slate-200 bg-white"}`}
        >
          <div className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{SPEAKER[m.role]}</div>
          <Markdown text={m.content} />
        </li>
      ))}
    </ol>
  );
}
