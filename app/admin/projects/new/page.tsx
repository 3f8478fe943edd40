"use client";
// Creating a project: slug, settings and first guidelines.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../../../_trpc/client";
import { Card, ErrorText, Field, Input } from "../../../_components/ui";
import { DEFAULT_SETTINGS, ProjectSettingsForm } from "../../_components/project-settings-form";

export default function NewProjectPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const [slug, setSlug] = useState("");
  const create = useMutation(
    trpc.admin.projects.create.mutationOptions({ onSuccess: (p) => router.push(`/admin/projects/${p.slug}`) }),
  );
  return (
    <main className="max-w-2xl">
      <Card title="New project">
        <ProjectSettingsForm
          initial={DEFAULT_SETTINGS}
          submitLabel="Create project"
          isBusy={create.isPending}
          onSubmit={(settings) => create.mutate({ slug, settings, guidelines: "" })}
        >
          <Field label="Slug" hint="Lower-case letters, digits and hyphens; used in links.">
            <Input
              name="slug"
              required
              value={slug}
              onChange={(e) => setSlug(e.target.value)}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
            />
          </Field>
        </ProjectSettingsForm>
        <div className="mt-3">
          <ErrorText error={create.error} />
        </div>
      </Card>
    </main>
  );
}
