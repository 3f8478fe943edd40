// The new export formats in a real browser: a labeller ranks one prompt, the admin downloads the KTO rows as
// Parquet from the export panel (read back with hyparquet) and the dataset card that goes beside them.
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { parquetReadObjects } from "hyparquet";
import { ADMIN, PROVIDER, inviteLabeller, setUpProject, shownCandidates, signIn, tiersOnScreen } from "./helpers";

const slug = `e2e-exp-${PROVIDER}-${Date.now().toString(36)}`;
const rows = [{ id: "x1", prompt: "Which colour is the sky?", candidates: ["Blue on a clear day.", "Green."] }];

test("the admin downloads KTO rows as Parquet and their dataset card", async ({ page, browser }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await setUpProject(page, { slug, name: `Exports ${PROVIDER}`, k: 2, rows });
  const context = await browser.newContext();
  const labellerPage = await context.newPage();
  await inviteLabeller(page, labellerPage, `lab-${slug}@e2e.test`, "labeller-password-1");
  await labellerPage.getByTestId(`start-${slug}`).click();
  await expect(labellerPage.getByTestId("conversation")).toContainText(rows[0]!.prompt);
  const shown = await shownCandidates(labellerPage, ["A", "B"]);
  // B above A, by keyboard (select B, move it up), so the ranking is not the shown order.
  await labellerPage.keyboard.press("2");
  await labellerPage.keyboard.press("k");
  expect(await tiersOnScreen(labellerPage, ["A", "B"])).toEqual([["B"], ["A"]]);
  await labellerPage.getByTestId("submit-button").click();
  await expect(labellerPage.getByTestId("progress")).toContainText("1 today");
  await context.close();

  await page.goto(`/admin/projects/${slug}?tab=export`);
  await page.getByTestId("export-shape").selectOption("standard");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-kto-parquet").click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${slug}-kto-.*\\.parquet$`));
  const bytes = fs.readFileSync(await download.path());
  const back = await parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  });
  expect(back).toEqual([
    { prompt: rows[0]!.prompt, completion: shown.B, label: true },
    { prompt: rows[0]!.prompt, completion: shown.A, label: false },
  ]);

  const [card] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-kto-card").click()]);
  const text = fs.readFileSync(await card.path(), "utf8");
  expect(text).toMatch(/^---\n/);
  expect(text).toContain("num_examples: 2");
  expect(text).toContain('- name: "label"\n      dtype: bool');

  // The same judgment as a consensus ranking, from the labeller picked in the list, with a bad filter refused first.
  await page.getByTestId("export-agreement").fill("1.5");
  await expect(page.getByText("Not a number from 0 to 1")).toBeVisible();
  await expect(page.getByTestId("export-judgments")).toHaveAttribute("aria-disabled", "true");
  await page.getByTestId("export-agreement").fill("");
  await page.getByTestId("export-source").selectOption("consensus");
  await page.getByTestId("export-labellers").selectOption({ label: `lab-${slug} <lab-${slug}@e2e.test>` });
  const [judgments] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-judgments").click()]);
  const lines = fs
    .readFileSync(await judgments.path(), "utf8")
    .trim()
    .split("\n");
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ ranking_source: "consensus", labeller: "consensus" });
});
