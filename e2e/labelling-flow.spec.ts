// The product's main path in a real browser: an admin sets up a project and imports prompts (one
// bad file first), invites a labeller, who ranks by keyboard and by drag and skips one; the admin
// downloads the TRL export, whose rows are checked; the labeller is refused every admin page.
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, PROVIDER, shownCandidates, signIn, tiersOnScreen } from "./helpers";

const slug = `e2e-${PROVIDER}-${Date.now().toString(36)}`;
const LETTERS = ["A", "B", "C"];
const prompts = [1, 2, 3, 4].map((n) => ({
  id: `q${n}`,
  prompt: `Question number ${n}: which answer is best?`,
  candidates: [`Answer ${n} alpha`, `Answer ${n} bravo`, `Answer ${n} charlie`],
}));
const goodFile = prompts.map((p) => JSON.stringify(p)).join("\n") + "\n";
// Line 3 misspells "candidates": the import must name the line and the key, and import nothing.
const badFile = goodFile.replace('"candidates":["Answer 3', '"candidate":["Answer 3');
const labeller = { email: `labeller-${slug}@e2e.test`, password: "labeller-password-1", name: "Lee Labeller" };

test.describe.serial("labelling flow", () => {
  let inviteUrl = "";
  let projectId = "";
  const expectedPairs: { chosen: string; rejected: string }[] = [];

  test("admin creates a project, imports prompts (a bad file first) and invites a labeller", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(/\/admin$/);
    await page.getByTestId("new-project").click();
    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Name").fill(`E2E ${PROVIDER}`);
    await page.getByLabel("Candidates per prompt (K)").fill("3");
    await page.getByLabel("Labellers per prompt").fill("1");
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByTestId("project-name")).toHaveText(`E2E ${PROVIDER}`);

    await page.getByTestId("tab-import").click();
    // The picker has one plain name (it once read "FileChoose File") and shows the chosen file's name.
    await expect(page.getByLabel("Choose a file…")).toHaveAttribute("type", "file");
    await expect(page.getByTestId("import-file-name")).toHaveText("No file chosen");
    await page
      .getByTestId("import-file")
      .setInputFiles({ name: "prompts.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(badFile) });
    await expect(page.getByTestId("import-file-name")).toHaveText("prompts.jsonl");
    await page.getByTestId("start-import").click();
    await expect(page.getByTestId("import-report")).toContainText("Nothing was imported");
    await expect(page.getByTestId("import-errors")).toContainText("line 3");
    await expect(page.getByTestId("import-errors")).toContainText("candidate");
    await page.getByTestId("tab-prompts").click();
    await expect(page.getByText("Prompts (0)")).toBeVisible();

    await page.getByTestId("tab-import").click();
    await page
      .getByTestId("import-file")
      .setInputFiles({ name: "prompts.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(goodFile) });
    await page.getByTestId("start-import").click();
    await expect(page.getByTestId("import-report")).toContainText("Imported 4 prompts");
    await page.getByTestId("tab-prompts").click();
    await expect(page.getByText("Prompts (4)")).toBeVisible();
    const exportHref = await (async () => {
      await page.getByTestId("tab-export").click();
      return page.getByTestId("export-trl").getAttribute("href");
    })();
    projectId = /projects\/([^/]+)\/export/.exec(exportHref ?? "")?.[1] ?? "";
    expect(projectId).not.toBe("");

    await page.goto("/admin/users");
    await page.getByTestId("invite-email").fill(labeller.email);
    await page.getByTestId("send-invite").click();
    inviteUrl = (await page.getByTestId("invite-link").innerText()).trim();
    expect(inviteUrl).toContain("/invite/");
  });

  test("the labeller joins, ranks one prompt by keyboard (tie + flag), one by drag, and skips one", async ({
    browser,
  }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL(inviteUrl).pathname);
    await page.getByLabel("Your name").fill(labeller.name);
    await page.getByLabel("Password").fill(labeller.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/label$/);
    await page.getByTestId(`start-${slug}`).click();

    // 1. Keyboard only: B to the top, C tied with A, A flagged harmful, Enter submits.
    await expect(page.getByTestId("conversation")).toContainText(prompts[0]!.prompt);
    const first = await shownCandidates(page, LETTERS);
    await page.keyboard.press("2");
    await page.keyboard.press("k");
    await page.keyboard.press("3");
    await page.keyboard.press("t");
    expect(await tiersOnScreen(page, LETTERS)).toEqual([["B"], ["A", "C"]]);
    await page.keyboard.press("1");
    await page.keyboard.press("f");
    await page.keyboard.press("Space");
    await expect(page.getByTestId("flag-harmful-A")).toBeChecked();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Enter");
    expectedPairs.push({ chosen: first.B!, rejected: first.A! }, { chosen: first.B!, rejected: first.C! });

    // 2. Drag: C above A and B.
    await expect(page.getByTestId("progress")).toContainText("1 today");
    await expect(page.getByTestId("conversation")).toContainText(prompts[1]!.prompt);
    const second = await shownCandidates(page, LETTERS);
    await drag(page, "C", "A");
    expect(await tiersOnScreen(page, LETTERS)).toEqual([["C"], ["A"], ["B"]]);
    await page.getByTestId("submit-button").click();
    expectedPairs.push(
      { chosen: second.C!, rejected: second.A! },
      { chosen: second.C!, rejected: second.B! },
      { chosen: second.A!, rejected: second.B! },
    );

    // 3. Skip with a reason.
    await expect(page.getByTestId("progress")).toContainText("2 today");
    await expect(page.getByTestId("conversation")).toContainText(prompts[2]!.prompt);
    await page.keyboard.press("s");
    await expect(page.getByTestId("skip-dialog")).toBeVisible();
    await page.getByLabel("Needs expertise I don't have").check();
    await page.getByTestId("confirm-skip").click();
    await expect(page.getByTestId("conversation")).toContainText(prompts[3]!.prompt);
    await context.close();
  });

  test("the admin downloads the TRL export and its rows are the ranked pairs", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/admin/projects/${slug}`);
    await expect(page.getByTestId("state-complete")).toHaveText("2");
    // The overview's plots and their numbers: the labeller's two judgments and one skip, by reason.
    const row = page.getByTestId("labeller-activity").getByRole("row").filter({ hasText: labeller.name });
    await expect(row.getByTestId("activity-judgments")).toHaveText("2");
    await expect(row.getByTestId("activity-skips")).toHaveText("1");
    await expect(page.getByTestId("throughput-chart")).toHaveAttribute("aria-label", /busiest: Lee Labeller/);
    await expect(page.getByTestId("time-on-task-summary")).toContainText("(2 judgments)");
    await expect(page.getByTestId("skip-reasons-chart")).toHaveAttribute(
      "aria-label",
      "Needs expertise I don't have: 1",
    );
    await expect(page.getByTestId("per-day-chart")).toHaveAttribute(
      "aria-label",
      /2 judgments and 1 skip in the last 30 days/,
    );
    await page.getByTestId("tab-export").click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-trl").click()]);
    const text = fs.readFileSync(await download.path(), "utf8");
    const rows = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { prompt: string; chosen: string; rejected: string });
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(["chosen", "prompt", "rejected"]);
    expect(rows.map((r) => ({ chosen: r.chosen, rejected: r.rejected })).sort(byPair)).toEqual(
      [...expectedPairs].sort(byPair),
    );
    expect(new Set(rows.map((r) => r.prompt))).toEqual(new Set([prompts[0]!.prompt, prompts[1]!.prompt]));
  });

  test("a labeller is refused every admin page, procedure and download", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, labeller.email, labeller.password);
    await expect(page).toHaveURL(/\/label$/);
    for (const path of ["/admin", "/admin/users", "/admin/audit", "/admin/projects/new", `/admin/projects/${slug}`]) {
      await page.goto(path);
      await expect(page.getByTestId("forbidden")).toBeVisible();
    }
    const input = (v: unknown) => encodeURIComponent(JSON.stringify({ json: v }));
    const queries: [string, unknown][] = [
      ["admin.projects.list", { includeArchived: true }],
      ["admin.projects.get", { slug }],
      ["admin.projects.guidelines", { projectId }],
      ["admin.projects.dashboard", { projectId }],
      ["admin.projects.prompts", { projectId }],
      ["admin.projects.imports", { projectId }],
      ["admin.projects.importStatus", { importId: "x" }],
      ["admin.users.list", undefined],
      ["admin.audit", {}],
    ];
    for (const [name, v] of queries) {
      const res = await page.request.get(`/api/trpc/${name}${v === undefined ? "" : `?input=${input(v)}`}`);
      expect(res.status(), name).toBe(403);
    }
    const mutations: [string, unknown][] = [
      [
        "admin.projects.create",
        { slug: "nope", settings: { name: "x", candidatesPerPrompt: 2, overlap: 1, leaseMinutes: 5 } },
      ],
      [
        "admin.projects.update",
        { projectId, settings: { name: "x", candidatesPerPrompt: 3, overlap: 1, leaseMinutes: 5 } },
      ],
      ["admin.projects.setStatus", { projectId, status: "archived" }],
      ["admin.projects.updateGuidelines", { projectId, body: "x" }],
      ["admin.users.invite", { email: "x@y.z", role: "admin" }],
      ["admin.users.revokeInvite", { inviteId: "x" }],
      ["admin.users.setDisabled", { userId: "x", isDisabled: true }],
      ["admin.users.setRole", { userId: "x", role: "admin" }],
    ];
    for (const [name, v] of mutations) {
      const res = await page.request.post(`/api/trpc/${name}`, { data: { json: v } });
      expect(res.status(), name).toBe(403);
    }
    expect((await page.request.get(`/api/admin/projects/${projectId}/export?format=trl`)).status()).toBe(403);
    expect((await page.request.post(`/api/admin/projects/${projectId}/import`, { data: goodFile })).status()).toBe(403);
    await context.close();
  });
});

const byPair = (a: { chosen: string; rejected: string }, b: { chosen: string; rejected: string }) =>
  (a.chosen + a.rejected).localeCompare(b.chosen + b.rejected);

/** Drags a card by its handle onto another card's place, with small pointer steps as a person would. */
async function drag(page: Page, from: string, to: string) {
  const handle = page.getByRole("button", { name: `Drag answer ${from}` });
  const target = page.getByTestId(`candidate-card-${to}`);
  const a = (await handle.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2 - 10, { steps: 5 });
  await page.mouse.move(a.x + a.width / 2, b.y + 4, { steps: 15 });
  await page.mouse.up();
}
