// Project membership: an admin makes a project members-only and adds one labeller on the Members tab; the
// member sees and labels it, a labeller who is not a member does not see it and is refused by its URL.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, PROVIDER, inviteLabeller, setUpProject, signIn } from "./helpers";

const run = `${PROVIDER}-${Date.now().toString(36)}`;
const slug = `members-${run}`;
const member = { email: `member-${run}@e2e.test`, password: "member-password-1" };
const outsider = { email: `outsider-${run}@e2e.test`, password: "outsider-password-1" };

function acceptNextDialog(page: Page) {
  page.once("dialog", (dialog) => void dialog.accept());
}

test("an admin assigns a labeller to a members-only project; a non-member does not see it", async ({ browser }) => {
  test.setTimeout(180_000);
  const adminContext = await browser.newContext();
  const page = await adminContext.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  await setUpProject(page, {
    slug,
    name: `Members ${run}`,
    k: 2,
    rows: [{ id: "m1", prompt: "Members prompt", candidates: ["Yes", "No"] }],
  });
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await inviteLabeller(page, memberPage, member.email, member.password);
  const outsiderContext = await browser.newContext();
  const outsiderPage = await outsiderContext.newPage();
  await inviteLabeller(page, outsiderPage, outsider.email, outsider.password);
  // Open to all by default: the outsider sees it before the admin restricts it.
  await outsiderPage.goto("/label");
  await expect(outsiderPage.getByTestId(`project-${slug}`)).toBeVisible();

  await page.goto(`/admin/projects/${slug}?tab=members`);
  acceptNextDialog(page);
  await page.getByTestId("access-members").click();
  await expect(page.getByTestId("access-members")).toBeChecked();
  await page.getByTestId("member-select").selectOption({ label: `${member.email.split("@")[0]} (${member.email})` });
  await page.getByTestId("add-member").click();
  await expect(page.getByTestId(`member-${member.email}`)).toBeVisible();

  await memberPage.goto("/label");
  await expect(memberPage.getByTestId(`project-${slug}`)).toBeVisible();
  await memberPage.goto(`/label/${slug}`);
  await expect(memberPage.getByTestId("conversation")).toBeVisible();

  await outsiderPage.goto("/label");
  await expect(outsiderPage.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(outsiderPage.getByTestId(`project-${slug}`)).toHaveCount(0);
  await outsiderPage.goto(`/label/${slug}`);
  await expect(outsiderPage.getByText(`You are not a member of the project "Members ${run}"`)).toBeVisible();
  await expect(outsiderPage.getByTestId("conversation")).toHaveCount(0);

  await Promise.all([adminContext.close(), memberContext.close(), outsiderContext.close()]);
});
