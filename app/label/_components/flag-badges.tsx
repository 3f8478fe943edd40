// Small chips showing which flags a candidate carries.
import { FLAG_KINDS, FLAG_LABELS } from "@/server/domain";
import type { TCandidateFlags } from "@/server/domain";

type TFlag = TCandidateFlags[string];

export function FlagBadges({ flag }: { flag: TFlag | undefined }) {
  if (!flag || flag.kinds.length === 0) return null;
  // Canonical order, so badges do not jump around as flags are toggled.
  const kinds = FLAG_KINDS.filter((k) => flag.kinds.includes(k));
  return (
    <span className="flex flex-wrap gap-1" aria-label={`Flagged: ${kinds.map((k) => FLAG_LABELS[k]).join(", ")}`}>
      {kinds.map((kind) => (
        <span
          key={kind}
          aria-hidden="true"
          title={kind === "other" && flag.note ? `Other: ${flag.note}` : undefined}
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${
            kind === "harmful" ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"
          }`}
        >
          {FLAG_LABELS[kind]}
        </span>
      ))}
    </span>
  );
}
