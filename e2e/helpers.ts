// Shared steps of the browser tests: signing in, and reading the candidates a labeller is shown.
import { expect, type Page } from "@playwright/test";

export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@e2e.test",
  password: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password",
};
export const PROVIDER = process.env.E2E_DB_PROVIDER ?? "sqlite";

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login$/);
}

/** Letter → candidate text for the task on screen (the reading columns hold the full text). */
export async function shownCandidates(page: Page, letters: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const letter of letters) {
    await expect(page.getByTestId(`candidate-card-${letter}`)).toBeVisible();
    // The column's last line is the answer; the lines above are its header (letter, rank).
    out[letter] = (await page.getByTestId(`answer-column-${letter}`).innerText()).trim().split("\n").pop()!.trim();
  }
  return out;
}

/** The tiers on screen as letters, best first, read from the cards' data-tier-index. */
export async function tiersOnScreen(page: Page, letters: string[]): Promise<string[][]> {
  const tiers: string[][] = [];
  for (const letter of letters) {
    const index = Number(await page.getByTestId(`candidate-card-${letter}`).getAttribute("data-tier-index"));
    (tiers[index - 1] ??= []).push(letter);
  }
  return tiers.map((t) => t.sort());
}
