// The admin's view of the model loop's machinery, in the running product (web + worker): the jobs page
// lists the worker with its execution provider and the jobs it ran; the demo project's settings hold the
// policy's sampling, refusing an out-of-bounds value with the field named; the Models tab shows the
// leaderboard (empty until rankings mix versions) and the workers.
import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";

test("jobs page with the worker, sampling settings, and the leaderboard", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "Jobs" }).click();
  await expect(page).toHaveURL(/\/admin\/jobs$/);
  const worker = page.getByTestId("workers").getByTestId("worker-row").first();
  await expect(worker).toContainText("live", { timeout: 30_000 });
  await expect(worker.getByTestId("worker-provider")).toContainText("CPU");
  await page.getByTestId("jobs-status").selectOption("done");
  await expect(page.getByTestId("job-row").first()).toBeVisible({ timeout: 60_000 });
  for (const row of await page.getByTestId("job-row").all()) await expect(row).toContainText("done");
  await page.getByTestId("jobs-kind").selectOption("train.round");
  await expect(page.getByText("No jobs match.")).toBeVisible();

  await page.goto("/admin/projects/built-in-model?tab=settings");
  const sampling = page.getByTestId("sampling-settings");
  await expect(sampling).toBeVisible();
  await sampling.getByLabel("Temperature").fill("3");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "sampling.temperature" })).toContainText(
    "sampling.temperature: temperature: at most 2",
  );
  await sampling.getByLabel("Temperature").fill("0.8");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("sampling-settings").getByLabel("Temperature")).toHaveValue("0.8");
  // The training rounds' policy objective: saved, shown again after a reload, then back to DPO.
  const objective = page.getByLabel("Training rounds: policy objective");
  await expect(objective).toHaveValue("dpo");
  await objective.selectOption("dpo_rloo");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Training rounds: policy objective")).toHaveValue("dpo_rloo");
  await page.getByLabel("Training rounds: policy objective").selectOption("dpo");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();

  await page.goto("/admin/projects/built-in-model?tab=models");
  await expect(page.getByTestId("leaderboard")).toBeVisible();
  await expect(page.getByTestId("leaderboard-empty")).toContainText("No ranking yet holds candidates of two");
  await expect(page.getByTestId("workers").getByTestId("worker-row").first()).toContainText("CPU");
});
