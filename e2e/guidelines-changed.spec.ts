// Guidelines changed mid-task: while a labeller holds a task, the admin publishes a new guideline version; the
// labeller's board shows a banner with the diff, and acknowledging it removes the banner and moves the task to
// the new version (the guidelines panel then shows it).
import { expect, test } from "@playwright/test";
import { ADMIN, PROVIDER, inviteLabeller, setUpProject, signIn, trpc } from "./helpers";

const run = `${PROVIDER}-${Date.now().toString(36)}`;
const slug = `guide-${run}`;
const labeller = { email: `guide-${run}@e2e.test`, password: "guide-password-1" };

test("a guidelines change mid-task shows a banner with the diff until acknowledged", async ({ browser }) => {
  test.setTimeout(180_000);
  const adminContext = await browser.newContext();
  const page = await adminContext.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  const project = await setUpProject(page, {
    slug,
    name: `Guide ${run}`,
    k: 2,
    rows: [{ id: "g1", prompt: "Guide prompt", candidates: ["Yes", "No"] }],
  });
  await trpc(
    page,
    "admin.projects.updateGuidelines",
    { projectId: project.id, body: "Prefer short answers.\nBe kind." },
    "mutation",
  );
  const theirs = await browser.newContext();
  const p = await theirs.newPage();
  await inviteLabeller(page, p, labeller.email, labeller.password);
  await p.goto(`/label/${slug}`);
  await expect(p.getByTestId("conversation")).toBeVisible();
  await expect(p.getByTestId("guidelines-changed")).toHaveCount(0);

  await trpc(
    page,
    "admin.projects.updateGuidelines",
    { projectId: project.id, body: "Prefer correct answers.\nBe kind." },
    "mutation",
  );
  // The page asks again when it regains focus (and every minute); a reload keeps the same task.
  await p.reload();
  const banner = p.getByTestId("guidelines-changed");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("version 2 → 3");
  await expect(p.locator('[data-change="removed"]')).toContainText("Prefer short answers.");
  await expect(p.locator('[data-change="added"]')).toContainText("Prefer correct answers.");
  await expect(p.locator('[data-change="same"]')).toContainText("Be kind.");

  await p.getByTestId("acknowledge-guidelines").click();
  await expect(banner).toHaveCount(0);
  await p.getByTestId("open-guidelines").click();
  await expect(p.getByTestId("guidelines")).toContainText("version 3");
  await expect(p.getByTestId("guidelines")).toContainText("Prefer correct answers.");
  // Acknowledged on the server: a reload shows no banner.
  await p.reload();
  await expect(p.getByTestId("conversation")).toBeVisible();
  await expect(p.getByTestId("guidelines-changed")).toHaveCount(0);
  await Promise.all([adminContext.close(), theirs.close()]);
});
