// Strength of preference and the diff view, end to end: the admin imports two answers that differ by one word
// and turns strength of preference on; the labeller shows the differences (exactly that word marked, on a wide
// screen and on a phone), says "Much better" by keyboard and submits; the TRL export's pair has margin 3.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, PROVIDER, inviteLabeller, setUpProject, signIn } from "./helpers";

const run = `${PROVIDER}-${Date.now().toString(36)}`;
const slug = `diff-${run}`;
const BLUE = "On a clear day the sky is blue because air scatters short wavelengths of sunlight more.";
const GREEN = "On a clear day the sky is green because air scatters short wavelengths of sunlight more.";
const labeller = { email: `diff-${run}@e2e.test`, password: "labeller-password-1" };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const letterOf = async (page: Page, text: string) =>
  (
    (await page
      .locator("[data-testid^=answer-column-]")
      .filter({ hasText: text })
      .first()
      .getAttribute("data-testid")) ?? ""
  ).replace("answer-column-", "");

test("diff view and strength of preference: marked word, Much better by keyboard, margin 3 in the export", async ({
  page,
  browser,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const project = await setUpProject(page, {
    slug,
    name: `Diff ${run}`,
    k: 2,
    rows: [{ id: "sky", prompt: "Why is the sky the colour it is?", candidates: [BLUE, GREEN] }],
  });
  await page.goto(`/admin/projects/${slug}?tab=settings`);
  await page.getByTestId("strength-of-preference").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();

  const context = await browser.newContext();
  const board = await context.newPage();
  await inviteLabeller(page, board, labeller.email, labeller.password);
  await board.goto(`/label/${slug}`);
  await expect(board.getByTestId("conversation")).toContainText("Why is the sky");
  const blue = await letterOf(board, BLUE);
  const green = blue === "A" ? "B" : "A";

  // Off: the answers render as before, nothing marked.
  await expect(board.locator("main ins, main del")).toHaveCount(0);
  await expect(board.getByTestId("diff-toggle")).toHaveAttribute("aria-pressed", "false");
  await board.keyboard.press("d");
  await expect(board.getByTestId("diff-toggle")).toHaveAttribute("aria-pressed", "true");
  const blueBody = board.getByTestId(`answer-column-${blue}`).getByTestId("diff-body");
  await expect(blueBody.locator("ins")).toHaveText(["blue"]);
  await expect(blueBody.locator("del")).toHaveText(["green"]);
  const greenBody = board.getByTestId(`answer-column-${green}`).getByTestId("diff-body");
  await expect(greenBody.locator("ins")).toHaveText(["green"]);
  await expect(greenBody.locator("del")).toHaveText(["blue"]);
  await expect(blueBody).toContainText("(added: ");

  // The same task on a phone: the toggle and the marks are in the cards, and nothing overflows sideways.
  const phone = await browser.newContext({ storageState: await context.storageState(), ...PHONE });
  const phonePage = await phone.newPage();
  await phonePage.goto(`/label/${slug}`);
  await phonePage.getByTestId("diff-toggle").tap();
  const card = phonePage.getByTestId(`candidate-card-${blue}`).getByTestId("diff-body");
  await expect(card.locator("ins")).toHaveText(["blue"]);
  await expect(phonePage.getByTestId("strength-1")).toBeVisible();
  expect(await phonePage.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await phone.close();

  // Blue first, then "Much better" by keyboard: select the blue answer (its shown position), move it up if needed.
  await board.keyboard.press(blue === "A" ? "1" : "2");
  if (blue === "B") await board.keyboard.press("ArrowUp");
  await expect(board.getByTestId(`candidate-card-${blue}`)).toHaveAttribute("data-tier-index", "1");
  const strength = board.getByTestId("strength-1");
  await expect(strength).toHaveAttribute("data-strength", "");
  await expect(
    board.getByRole("radiogroup", { name: `How much better is rank 1 (${blue}) than rank 2 (${green})?` }),
  ).toBeVisible();
  await board.keyboard.press("m");
  await expect(strength).toHaveAttribute("data-strength", "much_better");
  await expect(board.getByTestId("strength-1-much_better")).toBeChecked();
  await board.keyboard.press("?");
  await expect(board.getByTestId("keyboard-help")).toContainText("much better than the next");
  await board.keyboard.press("Escape");
  await board.keyboard.press("Enter");
  // The untouched shown order (blue was already first) asks first.
  if (blue === "A") await board.getByTestId("confirm-submit").click();
  await expect(board.getByTestId("queue-empty")).toBeVisible();
  await context.close();

  const res = await page.request.get(`/api/admin/projects/${project.id}/export?format=trl&file=jsonl`);
  expect(res.status()).toBe(200);
  const rows = (await res.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { prompt: string; chosen: string; rejected: string; margin: number });
  expect(rows).toEqual([{ prompt: "Why is the sky the colour it is?", chosen: BLUE, rejected: GREEN, margin: 3 }]);
});
