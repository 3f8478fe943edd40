// The labeller's board beyond the main path: flags by mouse and touch, line breaks, a draft that
// survives a reload and a failed submit, the rationale from the keyboard, markdown in the ranking
// rows, a stale second tab, long answers and code, the phone layout, and an accurate empty queue.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, PROVIDER, inviteLabeller, setUpProject, signIn, tiersOnScreen } from "./helpers";

const run = `${PROVIDER}-${Date.now().toString(36)}`;
const soloSlug = `solo-${run}`;
const LETTERS = ["A", "B", "C"];
const POEM = "Roses are red,\nviolets are **blue**,\nsugar is sweet";
const ADDRESS = "Jane Doe\n12 High Street\nLondon SW1A 1AA";
const LIST = "eggs\nmilk\nbread";
const LONG_CODE = "```ts\nconst x = " + "'a very long line of code that goes on' + ".repeat(12) + "'';\n```";
const LONG_ANSWER = Array.from({ length: 80 }, (_, i) => `Paragraph ${i + 1} of a long answer.`).join("\n\n");
const generic = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `${tag}${i + 1}`,
    prompt: `Prompt ${tag} ${i + 1}: which is best?`,
    candidates: [`Answer ${i + 1} alpha`, `Answer ${i + 1} bravo`, `Answer ${i + 1} charlie`],
  }));
// One project per test, so that each test can also run alone (after the setup).
const PROJECTS = {
  poem: [{ id: "poem", prompt: "Prompt poem: write three short lines.", candidates: [POEM, ADDRESS, LIST] }],
  draft: generic("draft", 2),
  keys: generic("keys", 2),
  stale: generic("stale", 3),
  long: [{ id: "long", prompt: "Prompt long answers.", candidates: [LONG_CODE, LONG_ANSWER, "Short answer."] }],
};
type TProject = keyof typeof PROJECTS;
const slugOf = (p: TProject) => `${p}-${run}`;
const labeller = { email: `board-${run}@e2e.test`, password: "labeller-password-1" };
const other = { email: `board2-${run}@e2e.test`, password: "labeller-password-2" };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
type TStorage = Awaited<ReturnType<Awaited<ReturnType<Browser["newContext"]>>["storageState"]>>;
let storage: TStorage;
let otherStorage: TStorage;

/** The reading column holding this text (the shown order is shuffled per labeller). */
const columnWith = (page: Page, text: string) =>
  page.locator("[data-testid^=answer-column-]").filter({ hasText: text }).first();
const letterOfColumn = async (page: Page, text: string) =>
  ((await columnWith(page, text).getAttribute("data-testid")) ?? "").replace("answer-column-", "");

async function openBoard(browser: Browser, project: TProject, phone = false) {
  const context = await browser.newContext({ storageState: storage, ...(phone ? PHONE : {}) });
  const page = await context.newPage();
  await page.goto(`/label/${slugOf(project)}`);
  await expect(page.getByTestId("conversation")).toBeVisible();
  return { context, page };
}

test.describe.serial("the labeller's board", () => {
  test("setup: two projects and two labellers", async ({ page, browser }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    for (const [key, rows] of Object.entries(PROJECTS)) {
      await setUpProject(page, { slug: slugOf(key as TProject), name: `${key} ${run}`, k: 3, overlap: 3, rows });
    }
    await setUpProject(page, {
      slug: soloSlug,
      name: `Solo ${run}`,
      k: 2,
      rows: [{ id: "only", prompt: "The only prompt.", candidates: ["Yes", "No"] }],
    });
    for (const person of [labeller, other]) {
      const context = await browser.newContext();
      const p = await context.newPage();
      await inviteLabeller(page, p, person.email, person.password);
      if (person === labeller) storage = await context.storageState();
      else otherStorage = await context.storageState();
      await context.close();
    }
  });

  test("the flag button opens its menu on click (desktop) and on tap (phone)", async ({ browser }) => {
    const desk = await openBoard(browser, "poem");
    await desk.page.getByTestId("flag-button-A").click();
    await expect(desk.page.getByTestId("flag-harmful-A")).toBeVisible();
    await desk.page.getByTestId("flag-harmful-A").check();
    await expect(desk.page.getByTestId("flag-harmful-A")).toBeChecked();
    await desk.page.getByTestId("flag-harmful-A").uncheck();
    await desk.context.close();

    const phone = await openBoard(browser, "poem", true);
    await phone.page.getByTestId("flag-button-B").tap();
    await expect(phone.page.getByTestId("flag-factually_wrong-B")).toBeVisible();
    // The keyboard hints mean nothing on a phone.
    await expect(phone.page.locator("kbd:visible")).toHaveCount(0);
    await phone.context.close();
  });

  test("single line breaks in answers are kept, and ranking rows render markdown beyond the first line", async ({
    browser,
  }) => {
    const { context, page } = await openBoard(browser, "poem");
    expect(await columnWith(page, "Roses are red").innerText()).toContain("Roses are red,\nviolets are blue,\nsugar");
    expect(await columnWith(page, "Jane Doe").innerText()).toContain("Jane Doe\n12 High Street\nLondon SW1A 1AA");
    expect(await columnWith(page, "eggs").innerText()).toContain("eggs\nmilk\nbread");
    const poem = page.getByTestId(`row-preview-${await letterOfColumn(page, "Roses are red")}`);
    await expect(poem).toBeVisible();
    await expect(poem.locator("strong")).toHaveText("blue");
    await expect(poem).not.toContainText("**");
    await expect(poem).toContainText("sugar is sweet");
    await context.close();
  });

  test("a reload keeps the draft; a failed submit keeps it and can be retried", async ({ browser }) => {
    const { context, page } = await openBoard(browser, "draft");
    await page.keyboard.press("2");
    await page.keyboard.press("k");
    await page.keyboard.press("3");
    await page.keyboard.press("t");
    await page.getByTestId("flag-button-A").click();
    await page.getByTestId("flag-off_task-A").check();
    await page.keyboard.press("Escape");
    await page.getByTestId("rationale").fill("B reads best.");
    await page.getByTestId("none-acceptable").check();
    const before = await tiersOnScreen(page, LETTERS);
    expect(before).toEqual([["B"], ["A", "C"]]);

    await page.reload();
    await expect(page.getByTestId("conversation")).toContainText("Prompt draft 1");
    await expect.poll(() => tiersOnScreen(page, LETTERS)).toEqual(before);
    await expect(page.getByTestId("rationale")).toHaveValue("B reads best.");
    await expect(page.getByTestId("none-acceptable")).toBeChecked();
    await page.getByTestId("flag-button-A").click();
    await expect(page.getByTestId("flag-off_task-A")).toBeChecked();
    await page.keyboard.press("Escape");

    // The network fails once: the draft stays (also across a reload) and a second try goes through.
    await page.route("**/api/trpc/label.submit**", (route) => route.abort("connectionfailed"));
    await page.getByTestId("submit-button").click();
    await expect(page.getByRole("alert").filter({ hasText: /failed|network|try again/i })).toBeVisible();
    await page.unroute("**/api/trpc/label.submit**");
    await page.reload();
    await expect(page.getByTestId("rationale")).toHaveValue("B reads best.");
    await expect.poll(() => tiersOnScreen(page, LETTERS)).toEqual(before);
    await page.getByTestId("submit-button").click();
    await expect(page.getByTestId("conversation")).toContainText("Prompt draft 2");
    await expect(page.getByTestId("rationale")).toHaveValue("");
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("prefloop:draft:")))).toEqual(
      [],
    );
    await context.close();
  });

  test("the rationale from the keyboard: r focuses it, Esc leaves it, Ctrl+Enter submits", async ({ browser }) => {
    const { context, page } = await openBoard(browser, "keys");
    await expect(page.getByTestId("conversation")).toContainText("Prompt keys 1");
    await page.keyboard.press("?");
    await expect(page.getByTestId("keyboard-help")).toContainText("Write the rationale");
    await expect(page.getByTestId("keyboard-help")).toContainText("Ctrl");
    await page.keyboard.press("Escape");
    await page.keyboard.press("3");
    await page.keyboard.press("Shift+1");
    await page.keyboard.press("r");
    await expect(page.getByTestId("rationale")).toBeFocused();
    await page.keyboard.type("C is right.");
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("rationale")).not.toBeFocused();
    await expect(page.getByTestId("rationale")).toHaveValue("C is right.");
    await page.keyboard.press("r");
    await page.keyboard.press("Control+Enter");
    await expect(page.getByTestId("conversation")).toContainText("Prompt keys 2");
    await context.close();
  });

  test("a stale second tab moves on after 'already submitted'", async ({ browser }) => {
    const context = await browser.newContext({ storageState: storage });
    const first = await context.newPage();
    const second = await context.newPage();
    for (const p of [first, second]) {
      await p.goto(`/label/${slugOf("stale")}`);
      await expect(p.getByTestId("conversation")).toContainText("Prompt stale 1");
    }
    await first.keyboard.press("2");
    await first.keyboard.press("k");
    await first.keyboard.press("Enter");
    await expect(first.getByTestId("conversation")).toContainText("Prompt stale 2");
    await second.keyboard.press("3");
    await second.keyboard.press("k");
    await second.keyboard.press("Enter");
    await expect(second.getByTestId("conversation")).toContainText("Prompt stale 2");
    await expect(second.getByRole("status").filter({ hasText: "already submitted" })).toBeVisible();
    await first.keyboard.press("2");
    await first.keyboard.press("k");
    await first.keyboard.press("Enter");
    await expect(first.getByTestId("conversation")).toContainText("Prompt stale 3");
    await context.close();
  });

  test("long answers: code scrolls sideways in its block, a long answer says it scrolls, Submit stays in view", async ({
    browser,
  }) => {
    const { context, page } = await openBoard(browser, "long");
    await expect(page.getByTestId("conversation")).toContainText("Prompt long answers");
    const codeColumn = columnWith(page, "a very long line of code");
    const pre = codeColumn.locator("pre");
    const sizes = await pre.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    const [preBox, columnBox] = [(await pre.boundingBox())!, (await codeColumn.boundingBox())!];
    expect(preBox.x + preBox.width).toBeLessThanOrEqual(columnBox.x + columnBox.width);
    const longLetter = await letterOfColumn(page, "Paragraph 80");
    await expect(page.getByTestId(`scroll-hint-${longLetter}`)).toBeVisible();
    await expect(page.getByTestId("submit-button")).toBeInViewport();
    // The code's language is highlighted (keywords in their own colour).
    await expect(pre.locator(".hl-keyword").first()).toHaveText("const");
    await context.close();

    const phone = await openBoard(browser, "long", true);
    const phonePre = phone.page.locator("[data-testid^=candidate-card-] pre").first();
    const phoneSizes = await phonePre.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(phoneSizes.scroll).toBeGreaterThan(phoneSizes.client);
    const docWidth = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(docWidth).toBeLessThanOrEqual(390);
    await phone.context.close();
  });

  test("the project list counts a held lease; the empty queue names the project and says why", async ({ browser }) => {
    const mine = await browser.newContext({ storageState: storage });
    const page = await mine.newPage();
    await page.goto(`/label/${soloSlug}`);
    await expect(page.getByTestId("conversation")).toContainText("The only prompt.");
    await page.goto("/label");
    await expect(page.getByTestId(`project-${soloSlug}`)).toContainText("1 prompt waiting");

    const theirs = await browser.newContext({ storageState: otherStorage });
    const otherPage = await theirs.newPage();
    await otherPage.goto(`/label/${soloSlug}`);
    await expect(otherPage.getByTestId("queue-empty")).toContainText("Other labellers hold");
    await expect(otherPage.getByRole("heading", { level: 1 })).toHaveText(`Solo ${run}`);
    await theirs.close();

    await page.goto(`/label/${soloSlug}`);
    await expect(page.getByTestId("candidate-card-B")).toBeVisible();
    await page.keyboard.press("2");
    await page.keyboard.press("k");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("queue-empty")).toContainText("You have judged or skipped every prompt");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Solo ${run}`);
    await page.goto("/label");
    await expect(page.getByTestId(`project-${soloSlug}`)).toContainText("0 prompts waiting");
    await expect(page.getByTestId(`project-${soloSlug}`)).toContainText("1 judgment");
    await expect(page.getByTestId(`project-${soloSlug}`)).not.toContainText("1 judgments");
    await mine.close();
  });
});
