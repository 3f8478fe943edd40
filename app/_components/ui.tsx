// Small shared building blocks: buttons, fields, cards, error text. Styling only, no data.
import "./zod-config";
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";
import { z } from "zod";

const VARIANTS = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-700 disabled:bg-indigo-300",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:text-slate-400",
  danger: "border border-red-300 bg-white text-red-700 hover:bg-red-50 disabled:text-red-300",
} as const;

export function Button({
  variant = "primary",
  className = "",
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof VARIANTS }) {
  return (
    <button
      className={`inline-flex min-h-10 items-center justify-center gap-1 rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 ${VARIANTS[variant]} ${className}`}
      {...rest}
    />
  );
}

export function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <label className="block space-y-1">
      <span className="text-sm font-medium text-slate-700">{label}</span>
      {children}
      {hint && <span className="block text-xs text-slate-500">{hint}</span>}
    </label>
  );
}

const INPUT =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
export const Input = (props: InputHTMLAttributes<HTMLInputElement>) => (
  <input {...props} className={`${INPUT} ${props.className ?? ""}`} />
);
export const TextArea = (props: TextareaHTMLAttributes<HTMLTextAreaElement>) => (
  <textarea {...props} className={`${INPUT} ${props.className ?? ""}`} />
);

export function Card({
  title,
  actions,
  children,
  className = "",
  "data-testid": testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  "data-testid"?: string;
}) {
  return (
    <section data-testid={testId} className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${className}`}>
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="text-base font-semibold">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

// What ErrorText reads from an error: its message, and the zod issues the tRPC error formatter adds (server/api/trpc.ts).
const ZWithMessage = z.object({ message: z.string() });
const ZWithIssues = z.object({
  data: z.object({ zodIssues: z.array(z.object({ path: z.string(), message: z.string() })) }),
});

/** Error text for a failed request; tRPC's zod issues are listed field by field. */
export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  const issues = ZWithIssues.safeParse(error).data?.data.zodIssues;
  const message = typeof error === "string" ? error : (ZWithMessage.safeParse(error).data?.message ?? "Unknown error");
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {issues?.length ? (
        <ul className="list-disc pl-4">
          {issues.map((i) => (
            <li key={i.path + i.message}>
              {i.path ? `${i.path}: ` : ""}
              {i.message}
            </li>
          ))}
        </ul>
      ) : (
        message
      )}
    </div>
  );
}
