// The client's network address, for the sign-in limits. `X-Forwarded-For` is written by whoever sends the
// request, so it counts only for the proxies TRUST_PROXY says are in front of the app: the web server
// rewrites the header on arrival (installForwardedHeaderRewrite), and the app reads the rewritten one.
import type { IncomingMessage } from "node:http";

const FORWARDED = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip"];

/**
 * Makes `x-forwarded-for` end with the address the connection came from. Without trusted proxies, any
 * forwarded header the client sent is dropped; with them, the chain is kept so the entry the nearest
 * trusted proxy added can be read.
 */
export function rewriteForwardedHeaders(req: IncomingMessage, trustProxy: number): void {
  const socketAddress = req.socket?.remoteAddress ?? "unknown";
  if (trustProxy <= 0) {
    for (const name of FORWARDED) delete req.headers[name];
    req.headers["x-forwarded-for"] = socketAddress;
    return;
  }
  const chain = req.headers["x-forwarded-for"];
  const prior = (Array.isArray(chain) ? chain.join(",") : (chain ?? "")).trim();
  req.headers["x-forwarded-for"] = prior ? `${prior}, ${socketAddress}` : socketAddress;
}

/** The client address from a rewritten chain: `trustProxy` hops in from the connection's own end. */
export function clientAddress(headers: Headers, trustProxy: number): string {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return "unknown";
  return chain[Math.max(0, chain.length - 1 - Math.max(0, trustProxy))]!;
}

/** Hooks every HTTP server of this process so each request is rewritten before Next sees it. */
export async function installForwardedHeaderRewrite(trustProxy: number): Promise<void> {
  const http = await import("node:http");
  const proto = http.Server.prototype as { emit: (event: string, ...args: unknown[]) => boolean; __rewrites?: true };
  if (proto.__rewrites) return;
  proto.__rewrites = true;
  const emit = proto.emit;
  proto.emit = function (this: unknown, event: string, ...args: unknown[]) {
    if (event === "request") rewriteForwardedHeaders(args[0] as IncomingMessage, trustProxy);
    return emit.call(this, event, ...args);
  };
}
