// Runs once when the Next server starts: a bad environment stops it here, not in a request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { parseEnv } = await import("./server/env");
    parseEnv(process.env);
  }
}
