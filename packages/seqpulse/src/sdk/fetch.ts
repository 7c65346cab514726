import { type SeqPulse, SeqPulse as SeqPulseInstance, type SeqPulseOptions } from "./seqpulse.js";

type FetchHandler<Env, Ctx> = (request: Request, env: Env, ctx: Ctx) => Response | Promise<Response>;

/**
 * A Workers (or any `fetch`-style) handler, instrumented:
 * `export default { fetch: withSeqPulse(handler, (env) => ({ hmacEnabled: true, hmacSecret: env.SEQPULSE_HMAC_SECRET })) }`.
 * Options may be read from the Worker's `env`; the instance is made on the first request and
 * lives as long as the isolate (so the window covers this isolate's traffic only).
 */
export function withSeqPulse<Env = unknown, Ctx = unknown>(
  handler: FetchHandler<Env, Ctx>,
  options: SeqPulseOptions | SeqPulse | ((env: Env) => SeqPulseOptions) = {},
): FetchHandler<Env, Ctx> {
  let sdk: SeqPulse | null = options instanceof SeqPulseInstance ? options : null;
  return async (request, env, ctx) => {
    sdk ??= new SeqPulseInstance(typeof options === "function" ? options(env) : (options as SeqPulseOptions));
    const url = new URL(request.url);
    if (sdk.isMetricsRequest(url.pathname)) {
      const answer = await sdk.answer({
        method: request.method,
        path: url.pathname,
        header: (name) => request.headers.get(name),
      });
      return new Response(request.method === "HEAD" ? null : answer.body, {
        status: answer.status,
        headers: answer.headers,
      });
    }
    const started = performance.now();
    try {
      const response = await handler(request, env, ctx);
      sdk.record(performance.now() - started, response.status);
      return response;
    } catch (error) {
      sdk.record(performance.now() - started, "error");
      throw error;
    }
  };
}
