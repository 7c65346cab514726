import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the SeqPulse API's CI side (trigger, finish, deployment read, verdict long
 * poll), for testing the client and the CLI over real HTTP. The real routes are tested with
 * the Worker; this one answers what a scenario programs and records what it received.
 */
export interface Scenario {
  /** Verdict once the deployment is finished; null: never one (the wait times out). */
  verdict: "ok" | "warning" | "rollback_recommended" | null;
  /** Verdict polls answered `verdict: null` before the verdict is given. */
  pendingPolls?: number;
  /** The first n requests (any route) answer this status instead. */
  failFirst?: { count: number; status: number; retryAfter?: number };
}

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

export interface CiServer {
  url: string;
  received: Received[];
  set(scenario: Scenario): void;
  close(): Promise<void>;
}

export async function startCiServer(apiKey = "sp_test_key"): Promise<CiServer> {
  let scenario: Scenario = { verdict: "ok" };
  let requests = 0;
  let polls = 0;
  const received: Received[] = [];
  const deployments = new Map<string, { state: string; result: string | null }>();

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    received.push({ method: req.method ?? "", path: url.pathname + url.search, headers: req.headers, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    };
    requests++;
    if (scenario.failFirst && requests <= scenario.failFirst.count)
      return send(
        scenario.failFirst.status,
        { error: { code: "INTERNAL", message: "Programmed failure." } },
        scenario.failFirst.retryAfter ? { "Retry-After": String(scenario.failFirst.retryAfter) } : {},
      );
    if (req.headers["x-api-key"] !== apiKey)
      return send(401, { error: { code: "UNAUTHENTICATED", message: "Invalid API key." } });

    if (req.method === "POST" && url.pathname === "/deployments/trigger") {
      if (typeof body?.env !== "string")
        return send(400, { error: { code: "VALIDATION_FAILED", message: "env is required." } });
      const id = randomUUID();
      deployments.set(id, { state: "running", result: null });
      return send(200, { deployment_id: id, status: "created", message: null });
    }
    if (req.method === "POST" && url.pathname === "/deployments/finish") {
      const deployment = deployments.get(String(body?.deployment_id));
      if (!deployment) return send(404, { status: "not_found", message: "Deployment not found." });
      deployment.state = "finished";
      deployment.result = String(body?.result);
      return send(200, {
        status: "accepted",
        message: "Deployment finished. Analysis scheduled in 15 minutes.",
      });
    }
    const match = /^\/deployments\/([^/]+)(\/verdict)?$/.exec(url.pathname);
    const deployment = match?.[1] ? deployments.get(match[1]) : undefined;
    if (req.method === "GET" && match?.[1] && deployment) {
      const id = match[1];
      if (!match[2]) {
        // The shape of the real `GET /deployments/:id`: the deployment in an envelope.
        return send(200, {
          deployment: {
            id,
            state: deployment.state,
            observationWindowMinutes: 15,
            finishedAt: deployment.state === "running" ? null : new Date().toISOString(),
            hints: [],
          },
        });
      }
      polls++;
      const ready =
        deployment.state !== "running" && scenario.verdict && polls > (scenario.pendingPolls ?? 0);
      if (!ready) {
        // A short long poll: enough to be one, short enough for tests.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return send(200, {
          deployment_id: id,
          state: deployment.state,
          verdict: null,
          confidence: null,
          summary: null,
          findings: [],
          early: false,
          dashboard_url: `http://dashboard.test/deployments/${id}`,
        });
      }
      deployment.state = "analyzed";
      return send(200, {
        deployment_id: id,
        state: "analyzed",
        verdict: scenario.verdict,
        confidence: 0.9,
        summary: scenario.verdict === "ok" ? "No significant issues detected" : "Latency regressed",
        findings:
          scenario.verdict === "ok"
            ? []
            : [{ metric: "latency_p95", severity: "critical", title: "p95 latency doubled" }],
        early: scenario.verdict === "rollback_recommended",
        dashboard_url: `http://dashboard.test/deployments/${id}`,
      });
    }
    return send(404, { error: { code: "NOT_FOUND", message: "Not found." } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    set(next) {
      scenario = next;
      requests = 0;
      polls = 0;
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
