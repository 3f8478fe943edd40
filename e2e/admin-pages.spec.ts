// The admin pages beyond the main path: the invite link (copy, replaced by a second one), a working
// labeller's last sign-in, counts in words ("1 judgment"), project tabs in the URL, confirmations
// before changing K under existing judgments and before disabling someone, and the favicon.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, PROVIDER, inviteLabeller, setUpProject, signIn, trpc } from "./helpers";

const run = `${PROVIDER}-${Date.now().toString(36)}`;
const slug = `admin-${run}`;
const labeller = { email: `admin-pages-${run}@e2e.test`, password: "labeller-password-3" };

/** Answers the next confirm() of the page, and returns its message. */
function answerNextDialog(page: Page, accept: boolean): Promise<string> {
  return new Promise((resolve) => {
    page.once("dialog", (dialog) => {
      resolve(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    });
  });
}

test.describe.serial("admin pages", () => {
  test("setup: a project with one judgment by an invited labeller", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await setUpProject(page, {
      slug,
      name: `Admin ${run}`,
      k: 2,
      rows: [
        { id: "a1", prompt: "Admin prompt 1", candidates: ["One", "Two"] },
        { id: "a2", prompt: "Admin prompt 2", candidates: ["Three", "Four"] },
      ],
    });
    const theirs = await browser.newContext();
    const p = await theirs.newPage();
    await inviteLabeller(page, p, labeller.email, labeller.password);
    await p.goto(`/label/${slug}`);
    await expect(p.getByTestId("conversation")).toBeVisible();
    await p.keyboard.press("2");
    await p.keyboard.press("k");
    await p.keyboard.press("Enter");
    await expect(p.getByTestId("progress")).toContainText("1 today");
    await theirs.close();
    await context.close();
  });

  test("an invite link has a copy button and says that a second invite replaces it", async ({ browser }) => {
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/admin/users");
    await page.getByTestId("invite-email").fill(`invitee-${run}@e2e.test`);
    await page.getByTestId("send-invite").click();
    const url = (await page.getByTestId("invite-link").innerText()).trim();
    await expect(page.getByTestId("invite-replaces")).toContainText("replaces");
    await page.getByTestId("copy-invite-link").click();
    await expect(page.getByText("Copied.")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await context.close();
  });

  test("the people page shows a working labeller's sign-in; counts read '1 judgment'", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/admin/users");
    const row = page.getByTestId(`user-${labeller.email}`);
    await expect(row).toBeVisible();
    await expect(row).not.toContainText("never");
    await page.goto("/admin");
    const card = page.getByRole("link").filter({ hasText: `Admin ${run}` });
    await expect(card).toContainText("1 judgment");
    await expect(card).not.toContainText("1 judgments");
  });

  test("project tabs are in the URL", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/admin/projects/${slug}`);
    await page.getByTestId("tab-export").click();
    await expect(page).toHaveURL(/\?tab=export$/);
    await page.reload();
    await expect(page.getByTestId("tab-export")).toHaveAttribute("aria-selected", "true");
    await expect(page.getByTestId("export-trl")).toBeVisible();
    await page.goBack();
    await page.goto(`/admin/projects/${slug}?tab=settings`);
    await expect(page.getByTestId("tab-settings")).toHaveAttribute("aria-selected", "true");
  });

  test("changing K under existing judgments asks first", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/admin/projects/${slug}?tab=settings`);
    await page.getByLabel("Candidates per prompt (K)").fill("3");
    const refused = answerNextDialog(page, false);
    await page.getByRole("button", { name: "Save settings" }).click();
    expect(await refused).toContain("1 judgment made with K = 2");
    await page.reload();
    await expect(page.getByLabel("Candidates per prompt (K)")).toHaveValue("2");
    await page.getByLabel("Candidates per prompt (K)").fill("3");
    const accepted = answerNextDialog(page, true);
    await page.getByRole("button", { name: "Save settings" }).click();
    await accepted;
    await expect(page.getByText("Saved.")).toBeVisible();
    const project = await trpc<{ candidatesPerPrompt: number }>(page, "admin.projects.get", { slug }, "query");
    expect(project.candidatesPerPrompt).toBe(3);
  });

  test("disabling someone asks first", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/admin/users");
    const toggle = page.getByTestId(`toggle-disabled-${labeller.email}`);
    const refused = answerNextDialog(page, false);
    await toggle.click();
    expect(await refused).toContain(`Disable ${labeller.email}?`);
    await expect(toggle).toHaveText("Disable");
    const accepted = answerNextDialog(page, true);
    await toggle.click();
    await accepted;
    await expect(toggle).toHaveText("Enable");
  });

  test("/favicon.ico is served", async ({ request }) => {
    const res = await request.get("/favicon.ico");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/image/);
    expect((await res.body()).length).toBeGreaterThan(100);
  });
});
