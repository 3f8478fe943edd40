// The admin's prompt browser in a real browser: text search and filters narrow the list, a prompt opens with its
// conversation, rendered candidates and a labeller's judgment (ranking, flag, rationale, name), and the
// judgment's permalink reopens it highlighted, also on a fresh load.
import { expect, test } from "@playwright/test";
import { ADMIN, inviteLabeller, PROVIDER, setUpProject, signIn, trpc } from "./helpers";

type TTask = { assignmentId: string; promptId: string; candidates: { id: string; text: string }[] } | null;
const slug = `browse-${PROVIDER}-${Date.now().toString(36)}`;
const rows = [
  { id: "b1", prompt: "Name a fruit that is green inside.", candidates: ["A **kiwi** is green.", "A banana."] },
  { id: "b2", prompt: "Name a large planet.", candidates: ["Jupiter.", "Pluto."] },
  { id: "b3", prompt: "Name a cold place.", candidates: ["Antarctica.", "The Sahara."] },
];

test("search, filter, open a prompt and follow a judgment's permalink", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await setUpProject(page, { slug, name: "Browse E2E", k: 2, rows });
  const context = await browser.newContext();
  const labeller = await context.newPage();
  const email = `browse-${Date.now()}@e2e.test`;
  await inviteLabeller(page, labeller, email, "labeller-password-1");
  const task = await trpc<TTask>(labeller, "label.next", { projectSlug: slug }, "mutation");
  expect(task).not.toBeNull();
  const [first, second] = task!.candidates;
  await trpc(
    labeller,
    "label.submit",
    {
      assignmentId: task!.assignmentId,
      tiers: [[first!.id], [second!.id]],
      noneAcceptable: false,
      flags: { [second!.id]: { kinds: ["low_quality"], note: "too short" } },
      rationale: "The first one answers it.",
      totalMs: 4000,
      activeMs: 3000,
    },
    "mutation",
  );
  await context.close();
  // The queue hands out prompts in import order: the first one, whose answer has markdown, was judged.
  const judged = rows[0]!;
  expect(judged.candidates).toContain(first!.text);

  await page.goto(`/admin/projects/${slug}?tab=prompts`);
  const list = page.getByTestId("prompt-list");
  await expect(list.getByRole("button")).toHaveCount(3);
  await page.getByLabel("Search prompt text").fill("PLANET");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(list.getByRole("button")).toHaveCount(1);
  await expect(list).toContainText("Name a large planet.");
  await page.getByLabel("Search prompt text").fill("");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(list.getByRole("button")).toHaveCount(3);
  await page.getByLabel("Status").selectOption("complete");
  await expect(list.getByRole("button")).toHaveCount(1);
  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Labeller").selectOption({ label: email.split("@")[0]! });
  await expect(list.getByRole("button")).toHaveCount(1);
  await expect(page.getByText("Prompts (1 matching)")).toBeVisible();

  await list.getByRole("button").first().click();
  const detail = page.getByTestId("prompt-detail");
  await expect(page).toHaveURL(new RegExp(`prompt=${task!.promptId}`));
  await expect(detail.getByTestId("conversation")).toContainText(judged.prompt);
  await expect(detail.getByTestId("candidate")).toHaveCount(2);
  await expect(detail.locator("strong", { hasText: "kiwi" })).toBeVisible();
  const judgment = detail.getByTestId("judgment");
  await expect(judgment).toHaveCount(1);
  await expect(judgment.getByTestId("judgment-labeller")).toContainText(email);
  await expect(judgment).toContainText("The first one answers it.");
  await expect(judgment.getByTestId("judgment-flag")).toContainText("Low quality — too short");
  await expect(judgment).not.toHaveAttribute("aria-current", "true");

  await judgment.getByTestId("judgment-permalink").click();
  await expect(page).toHaveURL(/judgment=/);
  await expect(page.getByTestId("judgment")).toHaveAttribute("aria-current", "true");
  const permalink = page.url();
  await page.goto("/admin");
  await page.goto(permalink);
  await expect(page.getByTestId("judgment")).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("conversation")).toContainText(judged.prompt);

  // Back to the list: all prompts of the project.
  await page.getByTestId("prompt-back").click();
  await expect(page.getByTestId("prompt-list").getByRole("button")).toHaveCount(3);
});
