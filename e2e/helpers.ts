// Shared steps of the browser tests: signing in, and reading the candidates a labeller is shown.
import { expect, type Page } from "@playwright/test";

export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@e2e.test",
  password: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password",
};
export const PROVIDER = process.env.E2E_DB_PROVIDER ?? "sqlite";

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login$/);
}

/** Letter → candidate text for the task on screen (the reading columns hold the full text). */
export async function shownCandidates(page: Page, letters: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const letter of letters) {
    await expect(page.getByTestId(`candidate-card-${letter}`)).toBeVisible();
    // The column's last line is the answer; the lines above are its header (letter, rank).
    out[letter] = (await page.getByTestId(`answer-column-${letter}`).innerText()).trim().split("\n").pop()!.trim();
  }
  return out;
}

/** The tiers on screen as letters, best first, read from the cards' data-tier-index. */
export async function tiersOnScreen(page: Page, letters: string[]): Promise<string[][]> {
  const tiers: string[][] = [];
  for (const letter of letters) {
    const index = Number(await page.getByTestId(`candidate-card-${letter}`).getAttribute("data-tier-index"));
    (tiers[index - 1] ??= []).push(letter);
  }
  return tiers.map((t) => t.sort());
}

/** Calls a tRPC procedure as the page's signed-in person (same origin, as the app's own client does). */
export async function trpc<T = unknown>(page: Page, name: string, input: unknown, kind: "query" | "mutation") {
  const origin = new URL(page.url()).origin;
  const body = encodeURIComponent(JSON.stringify({ json: input }));
  const res =
    kind === "query"
      ? await page.request.get(`/api/trpc/${name}?input=${body}`, { headers: { origin } })
      : await page.request.post(`/api/trpc/${name}`, { data: { json: input }, headers: { origin } });
  expect(res.status(), `${name}: ${await res.text()}`).toBe(200);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

type TPromptRow = { id: string; prompt: string; candidates: string[] };

/**
 * An admin (signed in on `page`) creates a project with these prompts and invites a labeller, who
 * joins in a fresh context of `browser`; returns the project id and that labeller's context options.
 */
export async function setUpProject(
  page: Page,
  opts: { slug: string; name: string; k: number; overlap?: number; rows: TPromptRow[] },
) {
  const project = await trpc<{ id: string }>(
    page,
    "admin.projects.create",
    {
      slug: opts.slug,
      settings: { name: opts.name, candidatesPerPrompt: opts.k, overlap: opts.overlap ?? 1, leaseMinutes: 30 },
    },
    "mutation",
  );
  const origin = new URL(page.url()).origin;
  const file = opts.rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
  const res = await page.request.post(`/api/admin/projects/${project.id}/import`, {
    data: file,
    headers: { origin, "content-type": "application/octet-stream", "x-filename": "prompts.jsonl" },
  });
  expect(res.status(), await res.text()).toBe(200);
  const { importId } = (await res.json()) as { importId: string };
  await expect
    .poll(
      async () => (await trpc<{ status: string }>(page, "admin.projects.importStatus", { importId }, "query")).status,
    )
    .toBe("done");
  return project;
}

/** Invites a labeller (as the admin on `page`) and has them accept on `labellerPage`. */
export async function inviteLabeller(page: Page, labellerPage: Page, email: string, password: string) {
  const invite = await trpc<{ url: string }>(page, "admin.users.invite", { email, role: "labeller" }, "mutation");
  await labellerPage.goto(new URL(invite.url).pathname);
  await labellerPage.getByLabel("Your name").fill(email.split("@")[0]!);
  await labellerPage.getByLabel("Password").fill(password);
  await labellerPage.getByRole("button", { name: "Create account" }).click();
  await expect(labellerPage).toHaveURL(/\/label$/);
}
