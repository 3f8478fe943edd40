"use client";
// The settings of a project (name, K, overlap, lease), for creating and for editing.
import { useState } from "react";
import type { TProjectSettings } from "@/server/domain";
import { Button, Field, Input, TextArea } from "../../_components/ui";

export const DEFAULT_SETTINGS: TProjectSettings = {
  name: "",
  description: "",
  candidatesPerPrompt: 2,
  overlap: 1,
  leaseMinutes: 30,
};

export function ProjectSettingsForm({
  initial,
  submitLabel,
  isBusy,
  onSubmit,
  children,
}: {
  initial: TProjectSettings;
  submitLabel: string;
  isBusy: boolean;
  onSubmit: (s: TProjectSettings) => void;
  children?: React.ReactNode;
}) {
  const [s, setS] = useState(initial);
  const num = (key: "candidatesPerPrompt" | "overlap" | "leaseMinutes") => (e: React.ChangeEvent<HTMLInputElement>) =>
    setS({ ...s, [key]: Number(e.target.value) });
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(s);
      }}
    >
      {children}
      <Field label="Name">
        <Input name="name" required value={s.name} onChange={(e) => setS({ ...s, name: e.target.value })} />
      </Field>
      <Field label="Description">
        <TextArea
          name="description"
          rows={2}
          value={s.description}
          onChange={(e) => setS({ ...s, description: e.target.value })}
        />
      </Field>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="Candidates per prompt (K)" hint="How many answers are ranked together.">
          <Input
            name="k"
            type="number"
            min={2}
            max={16}
            value={s.candidatesPerPrompt}
            onChange={num("candidatesPerPrompt")}
          />
        </Field>
        <Field label="Labellers per prompt" hint="A prompt is complete after this many judgments.">
          <Input name="overlap" type="number" min={1} max={50} value={s.overlap} onChange={num("overlap")} />
        </Field>
        <Field label="Lease (minutes)" hint="A task returns to the queue after this long idle.">
          <Input name="lease" type="number" min={1} max={1440} value={s.leaseMinutes} onChange={num("leaseMinutes")} />
        </Field>
      </div>
      <Button type="submit" disabled={isBusy}>
        {submitLabel}
      </Button>
    </form>
  );
}
