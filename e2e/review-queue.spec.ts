// The review queue: the admin sets a project's agreement threshold in Settings, two labellers agree on one prompt
// and disagree on the other; a reviewer the admin invited on the People page sees the disputed prompt (and only
// it) with both judgments under pseudonyms, records a ranking with a tie and a note, and the item leaves the queue;
// the admin's Review tab counts it as adjudicated.
import { expect, test } from "@playwright/test";
import { ADMIN, PROVIDER, inviteLabeller, setUpProject, signIn, trpc } from "./helpers";

const run = `${PROVIDER}-${Date.now().toString(36)}`;
const slug = `review-${run}`;
const labellers = ["one", "two"].map((name) => ({
  email: `review-${name}-${run}@e2e.test`,
  password: `review-password-${name}`,
}));
const reviewer = { email: `reviewer-${run}@e2e.test`, password: "reviewer-password-1" };

type TTask = { assignmentId: string; candidates: { id: string; text: string }[] } | null;

test("a reviewer adjudicates the prompt two labellers disagree on, and it leaves the queue", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await setUpProject(admin, {
    slug,
    name: `Review ${run}`,
    k: 2,
    overlap: 2,
    rows: [
      { id: "r1", prompt: "Which planet is largest?", candidates: ["Jupiter", "Mars"] },
      { id: "r2", prompt: "Is water wet?", candidates: ["Yes, mostly", "It depends"] },
    ],
  });

  await admin.goto(`/admin/projects/${slug}?tab=settings`);
  await admin.getByTestId("review-below-agreement").fill("0.5");
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByText("Saved.")).toBeVisible();
  await expect
    .poll(
      async () =>
        (await trpc<{ reviewBelowAgreement: number | null }>(admin, "admin.projects.get", { slug }, "query"))
          .reviewBelowAgreement,
    )
    .toBe(0.5);

  // Both put the first answer first, except on the planet prompt, where the second labeller disagrees.
  for (const [n, person] of labellers.entries()) {
    const page = await (await browser.newContext()).newPage();
    await inviteLabeller(admin, page, person.email, person.password);
    for (let i = 0; i < 2; i++) {
      const task = await trpc<TTask>(page, "label.next", { projectSlug: slug }, "mutation");
      expect(task).not.toBeNull();
      const first = ["Jupiter", "Yes, mostly"];
      const sorted = [...task!.candidates].sort(
        (a, b) => Number(first.includes(b.text)) - Number(first.includes(a.text)),
      );
      const isPlanet = task!.candidates.some((c) => c.text === "Jupiter");
      const order = n === 1 && isPlanet ? sorted.reverse() : sorted;
      await trpc(
        page,
        "label.submit",
        {
          assignmentId: task!.assignmentId,
          tiers: order.map((c) => [c.id]),
          noneAcceptable: false,
          flags: {},
          rationale: `${person.email.split("@")[0]} says ${order[0]!.text}`,
          totalMs: 5_000,
          activeMs: 4_000,
        },
        "mutation",
      );
    }
  }

  // The admin invites a reviewer on the People page.
  await admin.goto("/admin/users");
  await admin.getByTestId("invite-email").fill(reviewer.email);
  const inviteForm = admin.locator("form").filter({ has: admin.getByTestId("invite-email") });
  await inviteForm.locator("select").selectOption("reviewer");
  await admin.getByTestId("send-invite").click();
  const url = (await admin.getByTestId("invite-link").innerText()).trim();
  const page = await (await browser.newContext()).newPage();
  await page.goto(new URL(url).pathname);
  await page.getByLabel("Your name").fill("Reviewer");
  await page.getByLabel("Password").fill(reviewer.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/review$/);

  await expect(page.getByTestId(`review-open-${slug}`)).toHaveText("1 open item");
  await page.getByTestId(`review-start-${slug}`).click();
  const items = page.getByTestId("review-item");
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText("Which planet is largest?");
  await expect(items.first().getByTestId("review-reason")).toHaveText("Low agreement");
  await items.first().getByRole("button").click();

  const judgments = page.getByTestId("review-judgment");
  await expect(judgments).toHaveCount(2);
  await expect(judgments.nth(0)).toContainText("Labeller A");
  await expect(judgments.nth(1)).toContainText("Labeller B");
  await expect(page.getByTestId("review-judgments")).not.toContainText("@e2e.test");
  await expect(page.getByTestId("review-judgments")).toContainText("says Mars");
  // Answer 1 is Jupiter (import order). Tie them, then untie with Mars on top: 2 > 1.
  await page.getByRole("button", { name: "Tie answer 2 with the rank above" }).click();
  await expect(page.getByTestId("adjudicate-preview")).toHaveText("Ranking: 1 = 2");
  await page.getByRole("button", { name: "Move answer 2 up" }).click();
  await expect(page.getByTestId("adjudicate-preview")).toHaveText("Ranking: 2 > 1");
  await page.getByRole("button", { name: "Move answer 1 up" }).click();
  await expect(page.getByTestId("adjudicate-preview")).toHaveText("Ranking: 1 > 2");
  await page.getByTestId("adjudicate-note").fill("Jupiter is the largest planet.");
  await page.getByTestId("adjudicate-submit").click();

  await expect(page.getByTestId("review-empty")).toBeVisible();
  await expect(page.getByTestId("review-counts")).toContainText("0 open items · 1 adjudicated prompt");

  await admin.goto(`/admin/projects/${slug}?tab=review`);
  await expect(admin.getByTestId("review-open")).toHaveText("0");
  await expect(admin.getByTestId("review-adjudicated")).toHaveText("1");
  await admin.goto("/admin/audit");
  await expect(admin.getByText("Adjudicated a comparison").first()).toBeVisible();
});
