// Turns a stored audit row into words: what was done, to whom or what (by name, not record id) and what changed
// ("overlap 3 → 2", "status active → paused"). Pure: the names are looked up by the caller, one query per kind
// of record for a whole page (find-audit-entries.ts).

export type TAuditNames = {
  users: Map<string, { name: string; email: string }>;
  projects: Map<string, { name: string; slug: string }>;
  invites: Map<string, { email: string }>;
  versions: Map<string, string>;
};
export type TAuditRow = { action: string; targetType: string; targetId: string; details: unknown };
export type TAuditDescription = {
  summary: string;
  target: { label: string; href?: string };
  changes: string[];
};

const SETTING_LABELS: Record<string, string> = {
  name: "name",
  description: "description",
  candidatesPerPrompt: "candidates per prompt (K)",
  overlap: "overlap",
  leaseMinutes: "lease minutes",
  strengthOfPreference: "strength of preference",
  goldRate: "gold rate",
  goldPauseBelow: "pause below gold score",
  goldMinJudgments: "gold checks before a pause",
  goldFeedback: "gold feedback",
  reviewBelowAgreement: "review below agreement",
  suggestOrder: "suggested order",
  taskSelection: "task selection",
  headToHeadShare: "head-to-head share",
};
const SUMMARIES: Record<string, string> = {
  "project.create": "Created project",
  "project.update": "Changed project settings",
  "project.active": "Changed project status",
  "project.paused": "Changed project status",
  "project.archived": "Changed project status",
  "project.guidelines": "Edited guidelines",
  "project.train": "Started a training round",
  "project.policy": "Changed the active policy",
  "project.import": "Imported prompts",
  "project.export": "Exported a dataset",
  "model.download": "Downloaded a model version",
  "user.bootstrap-admin": "Created the first admin account",
  "user.disable": "Disabled account",
  "user.enable": "Enabled account",
  "user.set-role": "Changed role",
  "invite.create": "Invited",
  "invite.revoke": "Revoked invite",
  "project.member-add": "Added a member",
  "project.member-remove": "Removed a member",
  "project.set-open-to-all": "Changed who may label",
  "user.password-reset-link": "Issued a password reset link",
  "user.password-reset": "Reset their password",
  "job.retry": "Retried a failed job",
  "job.cancel": "Cancelled a queued job",
  "comparison.gold-set": "Marked a comparison as gold",
  "comparison.gold-clear": "Cleared a gold comparison",
  "labeller.resume": "Resumed a paused labeller",
  "comparison.adjudicate": "Adjudicated a comparison",
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** A stored value as a short phrase: strings quoted when they are text, long ones cut. */
function show(v: unknown): string {
  if (v === undefined || v === null || v === "") return "(none)";
  if (typeof v === "string") return v.length > 60 ? `"${v.slice(0, 57)}…"` : `"${v}"`;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}
const change = (label: string, from: string | undefined, to: string) =>
  from === undefined ? `${label} → ${to}` : `${label} ${from} → ${to}`;

function targetOf(row: TAuditRow, details: Record<string, unknown>, names: TAuditNames): TAuditDescription["target"] {
  if (row.targetType === "project") {
    const p = names.projects.get(row.targetId);
    return p ? { label: `${p.name} (${p.slug})`, href: `/admin/projects/${p.slug}` } : { label: `a deleted project` };
  }
  if (row.targetType === "user") {
    const u = names.users.get(row.targetId);
    return u
      ? { label: u.name ? `${u.name} <${u.email}>` : u.email, href: "/admin/users" }
      : { label: "a deleted user" };
  }
  if (row.targetType === "invite") {
    const email = names.invites.get(row.targetId)?.email ?? (typeof details.email === "string" ? details.email : null);
    return { label: email ? `invite for ${email}` : "an invite", href: "/admin/users" };
  }
  if (row.targetType === "modelVersion")
    return {
      label: names.versions.get(row.targetId) ?? (typeof details.name === "string" ? details.name : "a model version"),
    };
  if (row.targetType === "job") return { label: `job ${row.targetId}`, href: "/admin/jobs" };
  return { label: `${row.targetType} ${row.targetId}` };
}

function changesOf(row: TAuditRow, d: Record<string, unknown>, names: TAuditNames): string[] {
  const versionName = (id: unknown) =>
    typeof id === "string" ? (names.versions.get(id) ?? "a deleted version") : "none";
  switch (row.action) {
    case "project.create":
      return Object.keys(SETTING_LABELS)
        .filter((k) => k in d && d[k] !== "")
        .map((k) => `${SETTING_LABELS[k]} ${show(d[k])}`)
        .concat(typeof d.slug === "string" ? [`slug ${d.slug}`] : []);
    case "project.update": {
      // Rows written before `before` was recorded show only the new values.
      const before = isRecord(d.before) ? d.before : undefined;
      const keys = Object.keys(SETTING_LABELS).filter((k) => k in d && (before ? k in before : true));
      const sampling = isRecord(d.sampling)
        ? [
            `sampling ${Object.entries(d.sampling)
              .map(([k, v]) => `${k} ${show(v)}`)
              .join(", ")}`,
          ]
        : [];
      return keys
        .map((k) => change(SETTING_LABELS[k]!, before ? show(before[k]) : undefined, show(d[k])))
        .concat(sampling);
    }
    case "project.member-add":
    case "project.member-remove":
      return typeof d.email === "string" ? [d.email] : [];
    case "user.password-reset":
    case "user.password-reset-link":
      return [];
    case "project.set-open-to-all":
      return [d.openToAllLabellers === true ? "every labeller" : "members only"];
    case "job.retry":
    case "job.cancel":
      return typeof d.kind === "string"
        ? [`${d.kind}${typeof d.error === "string" ? `, after: ${show(d.error)}` : ""}`]
        : [];
    case "project.active":
    case "project.paused":
    case "project.archived":
      return [change("status", typeof d.from === "string" ? d.from : undefined, row.action.slice("project.".length))];
    case "comparison.gold-set":
    case "comparison.gold-clear": {
      const where = typeof d.promptSeq === "number" ? [`prompt #${d.promptSeq}, round ${show(d.round)}`] : [];
      const rescored = typeof d.rescored === "number" && d.rescored > 0 ? [`${d.rescored} judgments re-scored`] : [];
      return where.concat(rescored);
    }
    case "labeller.resume":
      return typeof d.email === "string" ? [d.email] : [];
    case "project.guidelines":
      return typeof d.version === "number" ? [`now version ${d.version}`] : [];
    case "project.train":
      return typeof d.number === "number" ? [`round ${d.number}`] : [];
    case "project.policy":
      return [change("policy", versionName(d.from), versionName(d.to))];
    case "project.import": {
      const out: string[] = [];
      if (typeof d.filename === "string") out.push(`file ${d.filename}`);
      if (typeof d.status === "string")
        out.push(
          `${d.status === "done" ? "done" : d.status}: ${show(d.promptsAdded)} prompts added, ${show(d.duplicates)} duplicates, ${show(d.errorCount)} lines rejected`,
        );
      return out;
    }
    case "user.set-role":
      return [change("role", typeof d.from === "string" ? d.from : undefined, String(d.role))];
    case "project.export":
      return [
        typeof d.format === "string" ? `format ${d.format}` : "",
        typeof d.file === "string" ? `as ${d.file}` : "",
      ].filter(Boolean);
    case "model.download":
      return typeof d.files === "number" ? [`${d.files} files, ${show(d.bytes)} bytes`] : [];
    case "comparison.adjudicate":
      return [
        `prompt #${show(d.promptSeq)}, round ${show(d.round)}`,
        ...(Array.isArray(d.ranking)
          ? [`ranking ${d.ranking.map((t) => (Array.isArray(t) ? t.join(" = ") : show(t))).join(" > ")}`]
          : []),
        ...(typeof d.note === "string" && d.note !== "" ? [`note ${show(d.note)}`] : []),
      ];
    case "invite.create":
      return typeof d.role === "string" ? [`as ${d.role}`] : [];
    default:
      return Object.entries(d).map(([k, v]) => `${k} ${show(v)}`);
  }
}

export function describeAudit(row: TAuditRow, names: TAuditNames): TAuditDescription {
  const details = isRecord(row.details) ? row.details : {};
  return {
    summary: SUMMARIES[row.action] ?? row.action,
    target: targetOf(row, details, names),
    changes: changesOf(row, details, names),
  };
}

/** Every action the services write today, for the log's filter. */
export const AUDIT_ACTIONS = Object.keys(SUMMARIES);
