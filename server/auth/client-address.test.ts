// The client address behind X-Forwarded-For, through a real HTTP server with the rewrite installed: a
// forwarded header sent by the client itself counts for nothing unless TRUST_PROXY says a proxy wrote it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { clientAddress, rewriteForwardedHeaders } from "./client-address";

function serverSeeing(trustProxy: number) {
  const server = http.createServer((req, res) => {
    rewriteForwardedHeaders(req, trustProxy);
    const headers = new Headers(req.headers as Record<string, string>);
    res.end(
      JSON.stringify({ ip: clientAddress(headers, trustProxy), proto: req.headers["x-forwarded-proto"] ?? null }),
    );
  });
  const ready = new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
  const ask = async (headers: Record<string, string>) => {
    const res = await fetch(`http://127.0.0.1:${await ready}/`, { headers });
    return (await res.json()) as { ip: string; proto: string | null };
  };
  return { ask, close: () => server.close() };
}

describe("client address", () => {
  const direct = serverSeeing(0);
  const behindOne = serverSeeing(1);
  afterAll(() => {
    direct.close();
    behindOne.close();
  });

  it("without TRUST_PROXY, a client's own X-Forwarded-For and X-Forwarded-Proto are ignored", async () => {
    expect(await direct.ask({ "x-forwarded-for": "1.2.3.4", "x-forwarded-proto": "https" })).toEqual({
      ip: "127.0.0.1",
      proto: null,
    });
    expect((await direct.ask({})).ip).toBe("127.0.0.1");
  });

  it("with TRUST_PROXY=1, the entry the proxy appended counts, not what the client put before it", async () => {
    // The proxy appends the address it saw (here 203.0.113.5) to whatever the client sent.
    expect((await behindOne.ask({ "x-forwarded-for": "1.2.3.4, 203.0.113.5" })).ip).toBe("203.0.113.5");
    expect((await behindOne.ask({ "x-forwarded-for": "203.0.113.5" })).ip).toBe("203.0.113.5");
  });
});
