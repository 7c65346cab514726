import { defaultInstance, type SeqPulse } from "./seqpulse.js";

/** The part of Hono's context the middleware uses (no dependency on Hono itself). */
interface HonoContextLike {
  req: { method: string; path: string; header(name: string): string | undefined };
  res: Response;
  error?: unknown;
}

/**
 * Hono middleware: `app.use(seqpulse())`. Serves the metrics endpoint and measures every other
 * request (an error thrown by a handler counts as an error).
 */
export function seqpulse(instance?: SeqPulse) {
  return async (c: HonoContextLike, next: () => Promise<void>): Promise<Response | undefined> => {
    const sdk = instance ?? defaultInstance();
    if (sdk.isMetricsRequest(c.req.path)) {
      const answer = await sdk.answer({
        method: c.req.method,
        path: c.req.path,
        header: (name) => c.req.header(name),
      });
      return new Response(c.req.method === "HEAD" ? null : answer.body, {
        status: answer.status,
        headers: answer.headers,
      });
    }
    const started = performance.now();
    try {
      await next();
    } catch (error) {
      sdk.record(performance.now() - started, "error");
      throw error;
    }
    sdk.record(performance.now() - started, c.error ? "error" : c.res.status);
    return undefined;
  };
}
