// Runs once when the Next server starts: a bad environment stops it here, not in a request; and every
// request's forwarded headers are rewritten to what TRUST_PROXY allows before the app reads them.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { parseEnv } = await import("./server/env");
    const e = parseEnv(process.env);
    const { installForwardedHeaderRewrite } = await import("./server/auth/client-address");
    await installForwardedHeaderRewrite(e.TRUST_PROXY);
  }
}
