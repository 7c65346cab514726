import type { IncomingMessage, ServerResponse } from "node:http";
import { defaultInstance, type SeqPulse } from "./seqpulse.js";

type Next = (error?: unknown) => void;
export type NodeMiddleware = (request: IncomingMessage, response: ServerResponse, next: Next) => void;
export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Express / Connect middleware (also usable with plain `node:http`, see `instrument`): serves
 * the metrics endpoint and measures every other request, from its arrival to the end of its
 * answer. Put it first, so it sees all the traffic.
 */
export function metrics(instance?: SeqPulse): NodeMiddleware {
  return (request, response, next) => {
    const seqpulse = instance ?? defaultInstance();
    const path = request.url ?? "/";
    if (seqpulse.isMetricsRequest(path)) {
      void seqpulse
        .answer({ method: request.method ?? "GET", path, header: (name) => headerOf(request, name) })
        .then(
          (answer) => {
            response.writeHead(answer.status, answer.headers);
            response.end(request.method === "HEAD" ? undefined : answer.body);
          },
          (error: unknown) => next(error),
        );
      return;
    }
    const started = performance.now();
    response.once("finish", () => seqpulse.record(performance.now() - started, response.statusCode));
    next();
  };
}

/** A plain `node:http` handler, instrumented: `http.createServer(instrument(handler))`. */
export function instrument(handler: NodeHandler, instance?: SeqPulse): NodeHandler {
  const middleware = metrics(instance);
  return (request, response) =>
    middleware(request, response, (error) => {
      if (error) {
        response.statusCode = 500;
        response.end();
        return;
      }
      handler(request, response);
    });
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
