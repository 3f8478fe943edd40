"use client";
// One project for its admin: overview, quality, review, prompts, models, import, export, guidelines, members and settings.
import { use } from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../../_trpc/client";
import { Button, Card, ErrorText } from "../../../_components/ui";
import { DashboardPanel } from "../../_components/dashboard-panel";
import { PromptsPanel } from "../../_components/prompts-panel";
import { ImportPanel } from "../../_components/import-panel";
import { ExportPanel } from "../../_components/export-panel";
import { GuidelinesEditor } from "../../_components/guidelines-editor";
import { ProjectSettingsForm } from "../../_components/project-settings-form";
import { ModelsPanel } from "../../_components/models-panel";
import { MembersPanel } from "../../_components/members-panel";
import { QualityPanel } from "../../_components/quality-panel";
import { ReviewPanel } from "../../_components/review-panel";
import { plural } from "../../../_components/plural";
import {
  DEFAULT_PROJECT_SAMPLING,
  ZPolicyObjective,
  ZProjectSampling,
  type TPolicyObjective,
  type TProjectSampling,
  type TProjectSettings,
} from "@/server/domain";

const TABS = [
  "overview",
  "quality",
  "review",
  "prompts",
  "models",
  "import",
  "export",
  "guidelines",
  "members",
  "settings",
] as const;
type TTab = (typeof TABS)[number];

export default function ProjectPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = use(params);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The tab lives in the URL (?tab=import), so a reload, the back button and a shared link keep it.
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const asked = searchParams.get("tab");
  const tab: TTab = TABS.find((t) => t === asked) ?? "overview";
  const setTab = (t: TTab) => router.replace(t === "overview" ? pathname : `${pathname}?tab=${t}`, { scroll: false });
  const project = useQuery(trpc.admin.projects.get.queryOptions({ slug }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.admin.projects.pathKey() });
  const update = useMutation(trpc.admin.projects.update.mutationOptions({ onSuccess: invalidate }));
  const setStatus = useMutation(trpc.admin.projects.setStatus.mutationOptions({ onSuccess: invalidate }));

  if (project.error) return <ErrorText error={project.error} />;
  const p = project.data;
  if (!p) return <p className="text-slate-500">Loading…</p>;
  const saveSettings = async (
    settings: TProjectSettings,
    sampling?: TProjectSampling,
    objective?: TPolicyObjective,
  ) => {
    // Asked at the moment of saving: a count loaded with the page could be stale or not there yet.
    const judgments =
      settings.candidatesPerPrompt === p.candidatesPerPrompt
        ? 0
        : (await queryClient.fetchQuery(trpc.admin.projects.dashboard.queryOptions({ projectId: p.id }))).judgments;
    // Existing judgments ranked K answers each: a new K mixes ranking sizes in one dataset.
    if (
      settings.candidatesPerPrompt !== p.candidatesPerPrompt &&
      judgments > 0 &&
      !window.confirm(
        `This project already has ${plural(judgments, "judgment")} made with K = ${p.candidatesPerPrompt}. ` +
          `With K = ${settings.candidatesPerPrompt}, prompts imported from now on may have up to ` +
          `${settings.candidatesPerPrompt} answers, so the dataset will mix ranking sizes. Change K anyway?`,
      )
    )
      return;
    update.mutate({
      projectId: p.id,
      settings,
      ...(sampling ? { sampling } : {}),
      ...(objective ? { objective } : {}),
    });
  };
  return (
    <main className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/admin" className="text-sm text-slate-500 hover:underline">
          ← Projects
        </Link>
        <h1 className="text-xl font-semibold" data-testid="project-name">
          {p.name}
        </h1>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600" data-testid="project-status">
          {p.status}
        </span>
        <Link href={`/label/${p.slug}`} className="ml-auto text-sm text-indigo-700 hover:underline">
          Label this project →
        </Link>
      </div>
      <nav className="flex flex-wrap gap-1 border-b border-slate-200" role="tablist">
        {TABS.map((t) => (
          <button
            key={t}
            role="tab"
            aria-selected={tab === t}
            onClick={() => setTab(t)}
            data-testid={`tab-${t}`}
            className={`-mb-px border-b-2 px-3 py-2 text-sm capitalize ${tab === t ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {t}
          </button>
        ))}
      </nav>
      {tab === "overview" && <DashboardPanel projectId={p.id} />}
      {tab === "quality" && <QualityPanel projectId={p.id} />}
      {tab === "review" && <ReviewPanel projectId={p.id} />}
      {tab === "prompts" && <PromptsPanel projectId={p.id} />}
      {tab === "models" && <ModelsPanel projectId={p.id} />}
      {tab === "import" && <ImportPanel projectId={p.id} />}
      {tab === "export" && <ExportPanel projectId={p.id} />}
      {tab === "guidelines" && <GuidelinesEditor projectId={p.id} />}
      {tab === "members" && <MembersPanel projectId={p.id} />}
      {tab === "settings" && (
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title="Settings">
            <ProjectSettingsForm
              key={p.updatedAt.toISOString()}
              initial={{ ...p, taskSelection: p.taskSelection === "uncertainty" ? "uncertainty" : "queue" }}
              {...(p.policyVersionId
                ? {
                    initialSampling: ZProjectSampling.safeParse(p.samplingParams).data ?? DEFAULT_PROJECT_SAMPLING,
                    initialObjective: ZPolicyObjective.safeParse(p.policyObjective).data ?? "dpo",
                  }
                : {})}
              submitLabel="Save settings"
              isBusy={update.isPending}
              onSubmit={(settings, sampling, objective) => void saveSettings(settings, sampling, objective)}
            />
            <div className="mt-3">
              <ErrorText error={update.error} />
            </div>
            {update.isSuccess && <p className="mt-2 text-sm text-green-700">Saved.</p>}
          </Card>
          <Card title="Status">
            <p className="mb-3 text-sm text-slate-600">
              Paused and archived projects hand out no tasks; archived ones are hidden from the list. Nothing is
              deleted.
            </p>
            <div className="flex flex-wrap gap-2">
              {(["active", "paused", "archived"] as const)
                .filter((s) => s !== p.status)
                .map((s) => (
                  <Button
                    key={s}
                    variant={s === "archived" ? "danger" : "secondary"}
                    disabled={setStatus.isPending}
                    onClick={() => setStatus.mutate({ projectId: p.id, status: s })}
                    data-testid={`status-${s}`}
                  >
                    {s === "active" ? "Reactivate" : s === "paused" ? "Pause" : "Archive"}
                  </Button>
                ))}
            </div>
            <div className="mt-3">
              <ErrorText error={setStatus.error} />
            </div>
          </Card>
        </div>
      )}
    </main>
  );
}
