// The Quality tab of a seeded project: three labellers rank twelve prompts (two by the answers' quality, one
// always in the order shown); the tab shows alpha and tau with the counts behind them, the per-labeller table
// with reliability, the plots, and a position-bias warning naming the order-keeper.
import { expect, test } from "@playwright/test";
import { ADMIN, PROVIDER, inviteLabeller, setUpProject, signIn, trpc } from "./helpers";

const run = `${PROVIDER}-${Date.now().toString(36)}`;
const slug = `quality-${run}`;
const PROMPTS = 12;
const QUALITY = ["Best", "Middle", "Worst"];
const people = ["careful-a", "careful-b", "keeper"].map((name) => ({
  name,
  email: `quality-${name}-${run}@e2e.test`,
  password: `quality-password-${name}`,
}));

type TTask = { assignmentId: string; candidates: { id: string; text: string }[] } | null;

test("the Quality tab shows agreement, reliability and the position-bias warning", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  const project = await setUpProject(admin, {
    slug,
    name: `Quality ${run}`,
    k: 3,
    overlap: 3,
    rows: Array.from({ length: PROMPTS }, (_, i) => ({
      id: `q${i}`,
      prompt: `Quality prompt ${i}`,
      candidates: QUALITY.map((q) => `${q} answer ${i}`),
    })),
  });
  for (const person of people) {
    const page = await (await browser.newContext()).newPage();
    await inviteLabeller(admin, page, person.email, person.password);
    for (let i = 0; i < PROMPTS; i++) {
      const task = await trpc<TTask>(page, "label.next", { projectSlug: slug }, "mutation");
      expect(task).not.toBeNull();
      const byQuality = [...task!.candidates].sort(
        (a, b) => QUALITY.indexOf(a.text.split(" ")[0]!) - QUALITY.indexOf(b.text.split(" ")[0]!),
      );
      const order = person.name === "keeper" ? task!.candidates : byQuality;
      await trpc(
        page,
        "label.submit",
        {
          assignmentId: task!.assignmentId,
          tiers: order.map((c) => [c.id]),
          noneAcceptable: false,
          flags: {},
          rationale: "",
          totalMs: 20_000,
          activeMs: 20_000,
        },
        "mutation",
      );
    }
  }

  await admin.goto(`/admin/projects/${slug}`);
  await admin.getByTestId("tab-quality").click();
  await expect(admin).toHaveURL(/\?tab=quality$/);
  const panel = admin.getByTestId("quality-panel");
  await expect(panel).toBeVisible();
  // Every comparison has 3 pairwise items; each of its 3 labeller pairs gives one tau.
  await expect(admin.getByTestId("alpha-units")).toHaveText(`${PROMPTS * 3} pairwise items`);
  await expect(admin.getByTestId("tau-items")).toHaveText(`${PROMPTS * 3} labeller pairs on shared comparisons`);
  const figures = await trpc<{ alpha: { alpha: number }; tau: { mean: number } }>(
    admin,
    "admin.quality.overview",
    { projectId: project.id },
    "query",
  );
  await expect(admin.getByTestId("alpha")).toHaveText(figures.alpha.alpha.toFixed(3));
  await expect(admin.getByTestId("tau")).toHaveText(figures.tau.mean.toFixed(3));
  await expect(admin.getByTestId("labeller-row")).toHaveCount(3);
  // The careful labellers lead the table; the order-keeper's reliability is zero and it is flagged.
  await expect(admin.getByTestId("labeller-row").nth(0)).toContainText("quality-careful-");
  const keeperRow = admin.getByTestId("labeller-row").filter({ hasText: people[2]!.email });
  await expect(keeperRow.getByTestId("reliability")).toHaveText("0.00");
  await expect(keeperRow.getByTestId("labeller-flag").filter({ hasText: "keeps shown order" })).toBeVisible();
  await expect(keeperRow.getByTestId("labeller-flag").filter({ hasText: "position bias" })).toBeVisible();
  await expect(admin.getByTestId("bias-warning")).toContainText(people[2]!.email);
  await expect(admin.getByTestId("bias-warning")).not.toContainText(people[0]!.email);
  await expect(admin.getByTestId("alpha-plot").locator("circle")).toHaveCount(1);
  await expect(admin.getByTestId("bias-plot").locator("rect")).toHaveCount(3);
  await expect(admin.getByTestId("consensus-list").locator("li")).toHaveCount(10);
});
