// The model loop through the running product (web + worker): the demo project "built-in-model" gets
// its candidates from the built-in policy through the worker; a labeller account ranks them through
// the app's HTTP API (longer answers first); after 20 judgments the schedule starts a training round;
// the admin sees the round, its evaluation and the new version on the Models tab, makes it active when
// the worker did not promote it, and the next candidates come from it.
import { expect, test } from "@playwright/test";
import { ADMIN, inviteLabeller, signIn, trpc } from "./helpers";

type TTask = { assignmentId: string; candidates: { id: string; text: string }[] } | null;
type TOverview = {
  activePolicy: { name: string } | null;
  currentRound: number;
  generation: { rounds: { round: number; comparisons: number }[] };
  runs: { number: number; status: string; result: string | null; isPromoted: boolean; error: string | null }[];
  versions: { id: string; name: string; isActive: boolean }[];
};

test("candidates from the built-in model, a scheduled training round, and the next round from the new policy", async ({
  page,
  browser,
}) => {
  test.setTimeout(360_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const project = await trpc<{ id: string }>(page, "admin.projects.get", { slug: "built-in-model" }, "query");
  const overview = () => trpc<TOverview>(page, "admin.models.overview", { projectId: project.id }, "query");
  expect((await overview()).activePolicy?.name).toBe("house-sft");

  const context = await browser.newContext();
  const labeller = await context.newPage();
  await inviteLabeller(page, labeller, `loop-${Date.now()}@e2e.test`, "labeller-password-1");

  // 20 judgments (the demo's schedule), taking tasks as the worker generates them.
  let judged = 0;
  const deadline = Date.now() + 180_000;
  while (judged < 20) {
    expect(Date.now(), `only ${judged} tasks were handed out`).toBeLessThan(deadline);
    const task = await trpc<TTask>(labeller, "label.next", { projectSlug: "built-in-model" }, "mutation");
    if (!task) {
      await labeller.waitForTimeout(1000);
      continue;
    }
    expect(task.candidates).toHaveLength(3);
    const order = [...task.candidates].sort((a, b) => b.text.length - a.text.length || a.id.localeCompare(b.id));
    await trpc(
      labeller,
      "label.submit",
      {
        assignmentId: task.assignmentId,
        tiers: order.map((c) => [c.id]),
        noneAcceptable: false,
        flags: {},
        rationale: "",
        totalMs: 2000,
        activeMs: 1500,
      },
      "mutation",
    );
    judged++;
  }

  // The schedule starts round 1; it trains and registers a version.
  await expect
    .poll(async () => (await overview()).runs.find((r) => r.number === 1)?.status, {
      timeout: 150_000,
      intervals: [2000],
    })
    .toBe("done");
  let o = await overview();
  const run = o.runs.find((r) => r.number === 1)!;
  expect(run.result).toBe("built-in-model-round-1");

  await page.goto("/admin/projects/built-in-model?tab=models");
  await expect(page.getByTestId("run-1").getByTestId("run-status")).toHaveText("done");
  await expect(page.getByTestId("policy-versions")).toContainText("built-in-model-round-1");
  await expect(page.getByTestId("reward-versions")).toContainText("built-in-model-round-1-reward");

  // The new version downloads as a Hugging Face checkpoint folder in a .tar, for admins from this app only.
  const version = o.versions.find((v) => v.name === "built-in-model-round-1")!;
  const url = `/api/admin/models/${version.id}/download`;
  const tar = await page.request.get(url, { headers: { "sec-fetch-site": "same-origin" } });
  expect(tar.status()).toBe(200);
  expect(tar.headers()["content-type"]).toBe("application/x-tar");
  const bytes = await tar.body();
  const names: string[] = [];
  for (let at = 0; at + 512 <= bytes.length && bytes[at] !== 0;) {
    const name = bytes
      .subarray(at, at + 100)
      .toString("ascii")
      .replace(/\0.*$/s, "");
    names.push(name);
    at += 512 + Math.ceil(parseInt(bytes.subarray(at + 124, at + 136).toString("ascii"), 8) / 512) * 512;
  }
  expect(names).toContain("built-in-model-round-1/config.json");
  expect(names).toContain("built-in-model-round-1/model.safetensors");
  expect(names).toContain("built-in-model-round-1/tokenizer.json");
  expect((await page.request.get(url, { headers: { "sec-fetch-site": "cross-site" } })).status()).toBe(403);
  expect((await labeller.request.get(url)).status()).toBe(403);
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(new URL(url, page.url()).href)).status()).toBe(401);
  await anonymous.close();
  // The download is in the audit log, by name.
  await page.goto("/admin/audit");
  await expect(page.getByText("Downloaded a model version").first()).toBeVisible();
  await expect(page.getByText("built-in-model-round-1", { exact: true }).first()).toBeVisible();
  await page.goto("/admin/projects/built-in-model?tab=models");
  if (!run.isPromoted) {
    // The held-out evaluation did not clear the bar: the admin promotes it by hand.
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("policy-versions").getByRole("button", { name: "Make active" }).click();
  }
  await expect(page.getByTestId("active-policy")).toHaveText("built-in-model-round-1");
  o = await overview();
  expect(o.currentRound).toBe(1);

  // The worker now generates round 1 from the new version, and the labeller is handed it.
  await expect
    .poll(async () => (await overview()).generation.rounds.find((r) => r.round === 1)?.comparisons ?? 0, {
      timeout: 90_000,
      intervals: [2000],
    })
    .toBeGreaterThan(0);
  await expect(page.getByTestId("generation-rounds")).toContainText("1");
  const next = await trpc<TTask>(labeller, "label.next", { projectSlug: "built-in-model" }, "mutation");
  expect(next?.candidates).toHaveLength(3);
  await context.close();
});
