// On a phone-sized screen: hostile model output renders inert, ranking works with buttons alone,
// and submitting the order exactly as shown asks for confirmation first.
import { expect, test } from "@playwright/test";
import { ADMIN, PROVIDER, signIn, tiersOnScreen } from "./helpers";

const slug = `phone-${PROVIDER}-${Date.now().toString(36)}`;
const HOSTILE = [
  '<img src="x" onerror="window.__pwned = 1"> **bold** <script>window.__pwned = 2</script>',
  '[click me](javascript:window.__pwned=3) <a href="javascript:window.__pwned=4">raw link</a> <iframe src="javascript:window.__pwned=5"></iframe>',
];
const file = [
  { id: "hostile", prompt: "Render this safely, please.", candidates: HOSTILE },
  { id: "plain", prompt: "Second question", candidates: ["First plain answer", "Second plain answer"] },
]
  .map((r) => JSON.stringify(r))
  .join("\n");

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test("phone: inert hostile markdown, button ranking, confirmation for the shown order", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/projects/new");
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Name").fill("Phone check");
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByTestId("tab-import").click();
  await page
    .getByTestId("import-file")
    .setInputFiles({ name: "hostile.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(file) });
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("import-report")).toContainText("Imported 2 prompts");

  await page.goto(`/label/${slug}`);
  await expect(page.getByTestId("conversation")).toContainText("Render this safely");
  await expect(page.getByText("bold", { exact: true }).filter({ visible: true }).first()).toBeVisible();
  // Raw HTML shows as text, never as elements; javascript: links have no href.
  expect(await page.locator("main img, main script, main iframe").count()).toBe(0);
  expect(await page.locator('a[href^="javascript" i]').count()).toBe(0);
  await page.getByText("click me").filter({ visible: true }).first().click();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // Buttons only: move B above A.
  await page.getByTestId("move-up-B").tap();
  expect(await tiersOnScreen(page, ["A", "B"])).toEqual([["B"], ["A"]]);
  await page.getByTestId("submit-button").tap();
  await expect(page.getByTestId("conversation")).toContainText("Second question");

  // Untouched order: the board asks first.
  await page.getByTestId("submit-button").tap();
  await expect(page.getByTestId("confirm-submit")).toBeVisible();
  await page.getByTestId("confirm-submit").tap();
  await expect(page.getByTestId("queue-empty")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
