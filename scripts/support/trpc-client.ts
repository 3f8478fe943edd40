// A signed-in person over HTTP, as the app's own pages call tRPC: one session cookie, same-origin headers.
// The load benchmark and the fault test drive the product through it. With several base URLs (web servers
// of one database), each call goes to one of them at random: the session lives in the database, so the
// cookie from one server is good on the others.

export class TrpcError extends Error {}

export class TrpcClient {
  cookie = "";
  /** Calls answered per base URL. */
  readonly served = new Map<string, number>();
  constructor(private readonly bases: string[]) {
    if (bases.length === 0) throw new Error("TrpcClient: no base URL");
  }

  base(): string {
    return this.bases[Math.floor(Math.random() * this.bases.length)]!;
  }

  async call<T>(name: string, input: unknown, kind: "query" | "mutation"): Promise<T> {
    const base = this.base();
    const headers: Record<string, string> = { origin: base };
    if (this.cookie) headers.cookie = this.cookie;
    const res =
      kind === "query"
        ? await fetch(`${base}/api/trpc/${name}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
            headers,
          })
        : await fetch(`${base}/api/trpc/${name}`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ json: input }),
          });
    this.keepCookie(res);
    const text = await res.text();
    if (res.status !== 200) throw new TrpcError(`${name} (${base}): HTTP ${res.status} ${text.slice(0, 300)}`);
    this.served.set(base, (this.served.get(base) ?? 0) + 1);
    return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
  }

  keepCookie(res: Response) {
    const set = res.headers.getSetCookie()[0];
    if (set) this.cookie = set.split(";")[0]!;
  }
}

/** The admin signs a new labeller up through an invite link; the returned client is signed in as them. */
export async function inviteLabeller(admin: TrpcClient, bases: string[], email: string, name: string) {
  const { url } = await admin.call<{ url: string }>("admin.users.invite", { email, role: "labeller" }, "mutation");
  const c = new TrpcClient(bases);
  const token = new URL(url).pathname.split("/").pop()!;
  await c.call("auth.acceptInvite", { token, name, password: "labeller-password-1" }, "mutation");
  return c;
}

/** Imports JSONL prompts into a project through the admin upload route and waits for the import to finish. */
export async function importPrompts(admin: TrpcClient, projectId: string, rows: object[]): Promise<void> {
  const base = admin.base();
  const res = await fetch(`${base}/api/admin/projects/${projectId}/import`, {
    method: "POST",
    headers: {
      origin: base,
      cookie: admin.cookie,
      "content-type": "application/octet-stream",
      "x-filename": "p.jsonl",
    },
    body: rows.map((r) => JSON.stringify(r)).join("\n") + "\n",
  });
  if (res.status !== 200) throw new Error(`import: HTTP ${res.status} ${await res.text()}`);
  const { importId } = (await res.json()) as { importId: string };
  for (;;) {
    const s = await admin.call<{ status: string; promptsAdded: number }>(
      "admin.projects.importStatus",
      { importId },
      "query",
    );
    if (s.status === "done") {
      if (s.promptsAdded !== rows.length) throw new Error(`import added ${s.promptsAdded} of ${rows.length} prompts`);
      return;
    }
    if (s.status !== "running" && s.status !== "queued") throw new Error(`import ${s.status}: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
