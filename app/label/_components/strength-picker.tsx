"use client";
// Between two adjacent tiers of the ranking: how much better the upper tier is than the lower one (a radio group).
import { STRENGTHS, STRENGTH_LABELS, type TStrength } from "@/server/domain";
import { kbdHint } from "./board-styles";

const KEYS: Record<TStrength, string> = { much_better: "m", better: "b", slightly_better: "l" };

export function StrengthPicker({
  boundary,
  upper,
  lower,
  value,
  name,
  onChange,
}: {
  /** 0-based: between rank boundary + 1 and rank boundary + 2. */
  boundary: number;
  /** Letters of the answers in the upper and the lower tier. */
  upper: string[];
  lower: string[];
  value: TStrength | null;
  /** The radio group's name, unique on the page. */
  name: string;
  onChange: (strength: TStrength) => void;
}) {
  const question = `How much better is rank ${boundary + 1} (${upper.join(", ")}) than rank ${boundary + 2} (${lower.join(", ")})?`;
  return (
    <div role="row" className="pl-11">
      <div role="gridcell">
        <fieldset
          role="radiogroup"
          aria-label={question}
          data-testid={`strength-${boundary + 1}`}
          data-strength={value ?? ""}
          className={`flex flex-wrap items-center gap-x-2 gap-y-1 rounded-lg border px-2 py-1 text-sm ${
            value ? "border-slate-200 bg-slate-50" : "border-amber-400 bg-amber-50"
          }`}
        >
          <legend className="sr-only">{question}</legend>
          <span aria-hidden="true" className="text-xs font-medium text-slate-600">
            {upper.join(", ")} over {lower.join(", ")}:
          </span>
          {STRENGTHS.map((s) => (
            <label
              key={s}
              className={`inline-flex min-h-10 cursor-pointer items-center gap-1.5 rounded-md px-2 has-checked:bg-indigo-700 has-checked:font-semibold has-checked:text-white has-focus-visible:outline-2 has-focus-visible:outline-indigo-600`}
            >
              <input
                type="radio"
                name={name}
                value={s}
                checked={value === s}
                onChange={() => onChange(s)}
                data-testid={`strength-${boundary + 1}-${s}`}
                className="size-4 accent-white"
              />
              {STRENGTH_LABELS[s]} <kbd className={kbdHint}>{KEYS[s]}</kbd>
            </label>
          ))}
          {!value && <span className="text-xs text-amber-800">Choose one</span>}
        </fieldset>
      </div>
    </div>
  );
}
