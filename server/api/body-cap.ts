// A request whose body stream fails once it passes a byte limit, so a huge body is refused after `limit`
// bytes, not parsed whole. tRPC reports the stream's TRPCError as the call's error (HTTP 413).
import { TRPCError } from "@trpc/server";

function tooLarge(limit: number): TRPCError {
  const size = limit >= 1024 * 1024 ? `${+(limit / 1024 / 1024).toFixed(1)} MB` : `${Math.round(limit / 1024)} KB`;
  return new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `The request body is larger than the ${size} limit.` });
}

export function capRequestBody(req: Request, limit: number): Request {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length"));
  let seen = 0;
  const counted = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        // A declared length over the limit is refused before a byte is read; the count below catches the rest.
        if (declared > limit) controller.error(tooLarge(limit));
      },
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body: counted,
    signal: req.signal,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
}
