// Password reset by an admin-issued link: the admin gets a one-time link (with a copy button) on the people
// page, the labeller sets a new password with it and is signed in; their other browser is signed out, the
// old password no longer works, the link is spent, and a forged cross-origin use is refused.
import { expect, test } from "@playwright/test";
import { ADMIN, PROVIDER, inviteLabeller, signIn } from "./helpers";

const run = `${PROVIDER}-${Date.now().toString(36)}`;
const labeller = { email: `reset-${run}@e2e.test`, password: "old-password-1" };
const NEW = "new-password-after-reset";

test("an admin issues a reset link; the labeller sets a new password with it, once", async ({ browser }) => {
  const adminContext = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await adminContext.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  const oldContext = await browser.newContext();
  const oldPage = await oldContext.newPage();
  await inviteLabeller(page, oldPage, labeller.email, labeller.password);

  await page.goto("/admin/users");
  await page.getByTestId(`reset-password-${labeller.email}`).click();
  const url = (await page.getByTestId("reset-link").innerText()).trim();
  expect(url).toMatch(/\/reset\/[\w-]{40,}$/);
  await page.getByTestId("copy-reset-link").click();
  await expect(page.getByTestId("reset-link-box")).toContainText("Copied.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  const path = new URL(url).pathname;

  // A page of another origin cannot use the link for the labeller.
  const forged = await page.request.post("/api/trpc/auth.resetPassword", {
    data: { json: { token: path.split("/").pop(), password: "forged-password-1" } },
    headers: { origin: "http://127.0.0.1:1" },
  });
  expect(forged.status()).toBe(403);

  const newContext = await browser.newContext();
  const newPage = await newContext.newPage();
  await newPage.goto(path);
  await expect(newPage.getByText(labeller.email)).toBeVisible();
  await newPage.getByLabel(/^New password/).fill(NEW);
  await newPage.getByLabel("Repeat the new password").fill("something else");
  await newPage.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(newPage.getByText("The two passwords differ.")).toBeVisible();
  await newPage.getByLabel("Repeat the new password").fill(NEW);
  await newPage.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(newPage).toHaveURL(/\/label$/);

  // The browser signed in before the reset is signed out.
  await oldPage.goto("/label");
  await expect(oldPage).toHaveURL(/\/login$/);
  // The link is spent.
  await oldPage.goto(path);
  await expect(oldPage.getByText("This password reset link was already used.")).toBeVisible();
  // The old password is refused, the new one works.
  await oldPage.goto("/login");
  await oldPage.getByLabel("Email").fill(labeller.email);
  await oldPage.getByLabel("Password").fill(labeller.password);
  await oldPage.getByRole("button", { name: "Sign in" }).click();
  await expect(oldPage).toHaveURL(/\/login$/);
  await signIn(oldPage, labeller.email, NEW);
  await expect(oldPage).toHaveURL(/\/label$/);
  await Promise.all([adminContext.close(), oldContext.close(), newContext.close()]);
});
