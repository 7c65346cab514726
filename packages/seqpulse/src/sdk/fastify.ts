import { defaultInstance, type SeqPulse } from "./seqpulse.js";

/** The parts of Fastify the plugin uses (no dependency on Fastify itself). */
interface FastifyRequestLike {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}
interface FastifyReplyLike {
  statusCode: number;
  elapsedTime?: number;
  code(status: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(body?: string): FastifyReplyLike;
}
interface FastifyLike {
  addHook(
    name: "onRequest",
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>,
  ): unknown;
  addHook(
    name: "onResponse",
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void>,
  ): unknown;
}

const started = new WeakMap<object, number>();

/**
 * Fastify plugin: `await app.register(seqpulsePlugin)` (or `seqpulsePlugin` with `{ instance }`).
 * Applies to the whole application, not only the context it is registered in.
 */
export function seqpulsePlugin(
  fastify: FastifyLike,
  options: { instance?: SeqPulse },
  done: (error?: Error) => void,
): void {
  const sdk = () => options.instance ?? defaultInstance();
  fastify.addHook("onRequest", async (request, reply) => {
    if (!sdk().isMetricsRequest(request.url)) {
      started.set(request, performance.now());
      return undefined;
    }
    const answer = await sdk().answer({
      method: request.method,
      path: request.url,
      header: (name) => {
        const value = request.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      },
    });
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  fastify.addHook("onResponse", async (request, reply) => {
    const since = started.get(request);
    if (since === undefined) return;
    sdk().record(reply.elapsedTime ?? performance.now() - since, reply.statusCode);
  });
  done();
}
// What fastify-plugin sets: the hooks reach every route, not only those of this plugin's context.
(seqpulsePlugin as unknown as Record<symbol, unknown>)[Symbol.for("skip-override")] = true;
