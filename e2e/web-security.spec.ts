// The browser-facing defences, from outside: a strict Content-Security-Policy with a fresh nonce per page
// (the pages still work, an injected inline script does not run), no caching of per-user answers, forged
// requests from a page on another port of the same host refused while same-origin ones work, and a huge
// anonymous body refused with 413 before it is read.
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, PROVIDER, signIn } from "./helpers";

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const slug = `websec-${PROVIDER}-${Date.now().toString(36)}`;
const file = [1, 2, 3]
  .map((i) => JSON.stringify({ prompt: `Question ${i}`, candidates: [`A${i}`, `B${i}`] }))
  .join("\n");

/** CSP violations seen by the page, recorded from before any of its own scripts run. */
async function watchViolations(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

async function trpcQuery<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  expect(res.status(), path).toBe(200);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

test("strict CSP: admin and labelling pages work with nonced scripts; an injected inline script is blocked", async ({
  page,
}) => {
  const violations = await watchViolations(page);
  await signIn(page, ADMIN.email, ADMIN.password);

  const first = await page.goto("/admin");
  const csp = first!.headers()["content-security-policy"] ?? "";
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(first!.headers()["cache-control"]).toContain("no-store");
  expect(first!.headers()["permissions-policy"]).toContain("camera=()");
  expect(first!.headers()["referrer-policy"]).toBe("same-origin");
  expect(first!.headers()["x-content-type-options"]).toBe("nosniff");
  const second = await page.goto("/admin");
  expect(second!.headers()["content-security-policy"]).not.toBe(csp);

  // Every script Next rendered carries this response's nonce.
  const nonce = /'nonce-([^']+)'/.exec(second!.headers()["content-security-policy"]!)![1];
  const scripts = await page.locator("script").evaluateAll((els) => els.map((s) => (s as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);

  // The admin path: create a project, import a file (the upload), see its prompts.
  await page.getByTestId("new-project").click();
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Name").fill("Web security check");
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByTestId("tab-import").click();
  await page
    .getByTestId("import-file")
    .setInputFiles({ name: "p.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(file) });
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("import-report")).toContainText("Imported 3 prompts");

  // The labelling path: a task shows and a submit goes through.
  await page.goto(`/label/${slug}`);
  await expect(page.getByTestId("conversation")).toContainText("Question");
  await page.getByTestId("move-up-B").click();
  await page.getByTestId("submit-button").click();
  await expect(page.getByTestId("conversation")).toBeVisible();
  expect(await violations()).toEqual([]);

  // tRPC answers are never cached.
  const me = await page.request.get("/api/trpc/auth.me");
  expect(me.headers()["cache-control"]).toBe("no-store");

  // Injected markup cannot run script: neither an inline <script> nor an event-handler attribute.
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__pwned = 1";
    document.body.appendChild(s);
    document.body.insertAdjacentHTML(
      "beforeend",
      '<img src="/robots.txt" onerror="window.__pwned = 2" onload="window.__pwned = 3">',
    );
  });
  await expect.poll(async () => (await violations()).length).toBeGreaterThanOrEqual(2);
  expect((await violations()).join("\n")).toMatch(/script-src/);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test("forged requests from another origin of the same host are refused; same-origin ones work", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  // The demo project that every start creates.
  const target = "demo";
  const project = await trpcQuery<{ id: string }>(page, "admin.projects.get", { slug: target });
  const countPrompts = async () =>
    (await trpcQuery<{ slug: string; prompts: number }[]>(page, "admin.projects.list", { includeArchived: true })).find(
      (p) => p.slug === target,
    )!.prompts;
  const before = await countPrompts();

  // A page on another port of 127.0.0.1: same site (the Lax cookie goes along), another origin.
  const importUrl = `${BASE}/api/admin/projects/${project.id}/import?format=jsonl`;
  const pages: Record<string, string> = {
    "/import-form": `<form method="POST" action="${importUrl}" enctype="text/plain"><input name='{"prompt":"forged","x":"' value='"}'></form><script>document.forms[0].submit()</script>`,
    "/signout-form": `<form method="POST" action="${BASE}/api/trpc/auth.signOut" enctype="multipart/form-data"><input name="a" value="b"></form><script>document.forms[0].submit()</script>`,
  };
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><title>evil</title>${pages[req.url ?? ""] ?? ""}`);
  });
  const port = Number(new URL(BASE).port || 80) + 1;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  try {
    const evil = await page.context().newPage();
    for (const path of ["/import-form", "/signout-form"]) {
      const answer = evil.waitForResponse((r) => r.url().startsWith(BASE) && r.request().method() === "POST");
      await evil.goto(`http://127.0.0.1:${port}${path}`);
      const res = await answer;
      expect(res.status(), path).toBe(403);
      expect(await res.text()).toContain("cross-origin request refused");
    }
    await evil.close();
  } finally {
    server.close();
  }

  // Nothing happened: still signed in, nothing imported.
  expect(await countPrompts()).toBe(before);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin$/);

  // The same requests from the app's own origin go through.
  const ownUpload = await page.evaluate(
    async (url) =>
      (
        await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/octet-stream" },
          body: '{"prompt":"own upload"}',
        })
      ).status,
    `/api/admin/projects/${project.id}/import?format=jsonl`,
  );
  expect(ownUpload).toBe(200);
  await expect.poll(countPrompts).toBe(before + 1);
  // A form-encodable content type is refused even from the own origin.
  const plain = await page.evaluate(
    async (url) => (await fetch(url, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" })).status,
    `/api/trpc/auth.signOut`,
  );
  expect(plain).toBe(415);
  const signOut = await page.evaluate(
    async () =>
      (
        await fetch("/api/trpc/auth.signOut", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
  );
  expect(signOut).toBe(200);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login/);
});

test("a 50 MB anonymous sign-in body is refused with 413 before it is read", async ({ request }) => {
  const body = Buffer.alloc(50 * 1024 * 1024, "a");
  body.write('{"json":{"email":"a@b.co","password":"', 0);
  const started = Date.now();
  const res = await request.post("/api/trpc/auth.signIn", {
    headers: { "content-type": "application/json" },
    data: body,
  });
  expect(res.status()).toBe(413);
  expect(await res.text()).toContain("larger than the 1 MB limit");
  expect(Date.now() - started).toBeLessThan(5000);
});
