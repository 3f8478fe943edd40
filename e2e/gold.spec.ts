// Gold prompts end to end: the admin sets the gold settings in the Settings tab and marks a prompt's comparison
// as gold in the prompt browser; a labeller is served it (nothing on the page says gold), misses it and is paused
// (the labelling page says why), reads the miss on the feedback page; the admin sees the gold accuracy and the
// pause in the Quality tab and resumes them, and the labeller gets a task again; the miss is a review item, which
// the admin adjudicates.
import { expect, test } from "@playwright/test";
import { ADMIN, PROVIDER, inviteLabeller, setUpProject, signIn, trpc } from "./helpers";

const run = `${PROVIDER}-${Date.now().toString(36)}`;
const slug = `gold-${run}`;
const labeller = { email: `gold-labeller-${run}@e2e.test`, password: "gold-labeller-password" };
const NOTE = "The best answer names the capital correctly.";

type TTask = { assignmentId: string; promptId: string; candidates: { id: string; text: string }[] };

test("gold: mark, serve, miss, pause, feedback, resume", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await setUpProject(admin, {
    slug,
    name: `Capitals ${run}`,
    k: 3,
    rows: Array.from({ length: 3 }, (_, i) => ({
      id: `g${i}`,
      prompt: `Capital prompt ${i}`,
      candidates: ["Best", "Middle", "Worst"].map((q) => `${q} answer ${i}`),
    })),
  });

  await admin.goto(`/admin/projects/${slug}?tab=settings`);
  const gold = admin.getByTestId("gold-settings");
  await gold.getByLabel("Gold rate").fill("1");
  await gold.getByLabel("Pause below").fill("0.6");
  await gold.getByLabel("Checks before a pause").fill("1");
  await gold.getByLabel(/Labellers see their own gold misses/).check();
  await admin.getByRole("button", { name: "Save settings" }).click();
  await admin.reload();
  await expect(admin.getByTestId("gold-settings").getByLabel("Gold rate")).toHaveValue("1");
  await expect(admin.getByTestId("gold-settings").getByLabel("Pause below")).toHaveValue("0.6");

  await admin.goto(`/admin/projects/${slug}?tab=prompts`);
  await admin.getByTestId("prompt-list").getByRole("button").first().click();
  const detail = admin.getByTestId("prompt-detail");
  await detail.getByTestId("mark-gold").click();
  const form = detail.getByTestId("gold-form");
  // An incomplete ranking is refused before it is sent.
  await form.getByLabel("Place of A").fill("1");
  await form.getByTestId("save-gold").click();
  await expect(form.getByRole("alert")).toContainText("Give every answer a place");
  await form.getByLabel("Place of B").fill("2");
  await form.getByLabel("Place of C").fill("3");
  await form.getByLabel("Note for labellers").fill(NOTE);
  await form.getByTestId("save-gold").click();
  await expect(detail.getByTestId("gold-expected")).toHaveText("Expected: 1. A  2. B  3. C");
  await detail.getByTestId("prompt-back").click();
  await admin.getByLabel("Gold").selectOption("gold");
  await expect(admin.getByTestId("prompt-list").getByRole("button")).toHaveCount(1);
  await expect(admin.getByTestId("gold-badge")).toHaveCount(1);

  const page = await (await browser.newContext()).newPage();
  await inviteLabeller(admin, page, labeller.email, labeller.password);
  await page.goto(`/label/${slug}`);
  await expect(page.getByTestId("candidate-card-A")).toBeVisible();
  await expect(page.locator("main")).toContainText("Capital prompt 0");
  await expect(page.locator("main")).not.toContainText(/gold|reference/i);
  // Ranked worst first: a miss, and one check is enough here to pause.
  const task = await trpc<TTask>(page, "label.next", { projectSlug: slug }, "mutation");
  const order = [...task.candidates].sort((a, b) => b.text.localeCompare(a.text)); // Worst, Middle, Best
  await trpc(
    page,
    "label.submit",
    {
      assignmentId: task.assignmentId,
      tiers: order.map((c) => [c.id]),
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 10_000,
      activeMs: 10_000,
    },
    "mutation",
  );
  await page.reload();
  await expect(page.getByTestId("pause-reason")).toHaveText(
    "Your agreement with the reference answers is 0% over 1 check; the project asks for 60%. " +
      "An admin will review and resume you.",
  );
  await page.getByTestId("gold-feedback-link").click();
  await expect(page).toHaveURL(new RegExp(`/label/${slug}/feedback$`));
  const miss = page.getByTestId("gold-miss");
  await expect(miss).toHaveCount(1);
  await expect(miss.getByTestId("miss-note")).toHaveText(NOTE);
  await expect(miss).toContainText("Capital prompt 0");

  await admin.goto(`/admin/projects/${slug}?tab=quality`);
  const row = admin.getByTestId("labeller-row").filter({ hasText: labeller.email });
  await expect(row.getByTestId("labeller-gold")).toHaveText("1 · -1.00 · 0% · – · 0%");
  const paused = admin.getByTestId("paused-labeller").filter({ hasText: labeller.email });
  await expect(paused).toContainText("0% over 1 check");
  await paused.getByTestId("resume-labeller").click();
  await expect(admin.getByText("Nobody is paused.")).toBeVisible();

  await page.goto(`/label/${slug}`);
  await expect(page.getByTestId("candidate-card-A")).toBeVisible();
  await expect(page.getByTestId("paused")).toHaveCount(0);

  // The miss is in the review queue; the admin (who may review) adjudicates it, and it leaves the queue.
  await admin.goto(`/review/${slug}`);
  const items = admin.getByTestId("review-item");
  await expect(items).toHaveCount(1);
  await expect(items.first().getByTestId("review-reason")).toHaveText("Gold miss");
  await items.first().getByRole("button").click();
  await expect(admin.getByTestId("review-judgment")).toHaveCount(1);
  await admin.getByTestId("adjudicate-note").fill("Agrees with the reference answer.");
  await admin.getByTestId("adjudicate-submit").click();
  await expect(admin.getByTestId("review-empty")).toBeVisible();
});
