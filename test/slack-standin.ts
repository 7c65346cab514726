// A local stand-in for Slack, started in Node by the global setup (workerd cannot listen), at the
// base URL the Worker gets as SLACK_API_BASE_URL_OVERRIDE (worker/features/slack/slack-api.ts
// maps both https://slack.com/api/* and https://hooks.slack.com/* here). It speaks:
//   - the Web API: POST /api/chat.postMessage and /api/chat.update, `Authorization: Bearer
//     xoxb-…`, JSON or form bodies; HTTP 200 with `{ ok: true, channel, ts, message }` or
//     `{ ok: false, error }` (invalid_auth, not_authed, channel_not_found, message_not_found,
//     no_text), as Slack does;
//   - incoming webhooks: POST /services/T…/B…/<secret>, answering `ok`, or 403 `invalid_token`
//     (revoked), 404 `no_service` (unknown), 400 `invalid_payload` / `no_text`.
// Tests make a workspace (a bot token, a channel, a webhook) through /__control, read back every
// message with its edit history and every webhook post, and queue failures for the next
// requests (a 500, a 429 with Retry-After, an `{ ok: false }`, a hang).

import { randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type net from "node:net";

export interface SlackStandInMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** Every version, the first post included, oldest first. */
  history: Array<{ text: string; blocks: unknown[] }>;
}

export type SlackStandInFailure =
  | { status: number; body?: string; retryAfter?: number }
  | { apiError: string }
  | { hang: true };

interface Workspace {
  id: string;
  token: string;
  channelId: string;
  webhookPath: string;
  revoked: boolean;
  messages: SlackStandInMessage[];
  webhookPosts: Array<{ body: unknown }>;
  failures: SlackStandInFailure[];
  requests: number;
}

const upper = (length: number) =>
  Array.from(randomBytes(length), (byte) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[byte % 36]).join("");

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res
    .writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers })
    .end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The Web API takes JSON or a form; in a form, `blocks` is a JSON string. */
function parseApiBody(req: IncomingMessage, raw: string): Record<string, unknown> | null {
  const type = req.headers["content-type"] ?? "";
  try {
    if (type.startsWith("application/json")) return JSON.parse(raw) as Record<string, unknown>;
    if (type.startsWith("application/x-www-form-urlencoded")) {
      const form = Object.fromEntries(new URLSearchParams(raw));
      return { ...form, ...(form.blocks ? { blocks: JSON.parse(form.blocks) } : {}) };
    }
  } catch {
    return null;
  }
  return null;
}

export async function startSlackStandIn(): Promise<{ url: string; close: () => Promise<void> }> {
  const workspaces = new Map<string, Workspace>();
  const byToken = new Map<string, Workspace>();
  const byWebhook = new Map<string, Workspace>();
  const sockets = new Set<net.Socket>();
  let clock = 1_700_000_000;

  /** Takes the next queued failure; true when the request was answered (or left hanging). */
  function fail(workspace: Workspace, res: ServerResponse): boolean {
    const failure = workspace.failures.shift();
    if (!failure) return false;
    if ("hang" in failure) return true;
    if ("apiError" in failure) {
      sendJson(res, 200, { ok: false, error: failure.apiError });
      return true;
    }
    const headers: Record<string, string> =
      failure.retryAfter !== undefined ? { "Retry-After": String(failure.retryAfter) } : {};
    res.writeHead(failure.status, { "Content-Type": "text/plain", ...headers }).end(failure.body ?? "");
    return true;
  }

  async function webApi(req: IncomingMessage, res: ServerResponse, method: string) {
    const raw = await readBody(req);
    const token = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token) return sendJson(res, 200, { ok: false, error: "not_authed" });
    const workspace = byToken.get(token);
    if (!workspace || workspace.revoked) return sendJson(res, 200, { ok: false, error: "invalid_auth" });
    workspace.requests++;
    if (fail(workspace, res)) return;
    const body = parseApiBody(req, raw);
    if (!body) return sendJson(res, 200, { ok: false, error: "invalid_json" });
    const channel = String(body.channel ?? "");
    if (channel !== workspace.channelId) return sendJson(res, 200, { ok: false, error: "channel_not_found" });
    const text = typeof body.text === "string" ? body.text : "";
    const blocks = Array.isArray(body.blocks) ? body.blocks : [];
    if (!text && blocks.length === 0) return sendJson(res, 200, { ok: false, error: "no_text" });
    if (method === "chat.postMessage") {
      const ts = `${clock++}.${String(workspace.messages.length).padStart(6, "0")}`;
      workspace.messages.push({ channel, ts, text, blocks, history: [{ text, blocks }] });
      return sendJson(res, 200, { ok: true, channel, ts, message: { type: "message", text, blocks, ts } });
    }
    const message = workspace.messages.find((candidate) => candidate.ts === body.ts);
    if (!message) return sendJson(res, 200, { ok: false, error: "message_not_found" });
    message.text = text;
    message.blocks = blocks;
    message.history.push({ text, blocks });
    return sendJson(res, 200, { ok: true, channel, ts: message.ts, text, message: { text, blocks } });
  }

  async function webhook(req: IncomingMessage, res: ServerResponse, path: string) {
    const raw = await readBody(req);
    const workspace = byWebhook.get(path);
    const plain = (status: number, text: string) =>
      res.writeHead(status, { "Content-Type": "text/html" }).end(text);
    if (!workspace) return plain(404, "no_service");
    if (workspace.revoked) return plain(403, "invalid_token");
    workspace.requests++;
    if (fail(workspace, res)) return;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return plain(400, "invalid_payload");
    }
    if (!body.text && !Array.isArray(body.blocks)) return plain(400, "no_text");
    workspace.webhookPosts.push({ body });
    return plain(200, "ok");
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method === "POST" && path === "/__control/workspaces") {
      const id = upper(9);
      const workspace: Workspace = {
        id,
        token: `xoxb-${upper(12)}-${upper(12)}-${randomBytes(12).toString("hex")}`,
        channelId: `C${upper(10)}`,
        webhookPath: `/services/T${id}/B${upper(9)}/${randomBytes(12).toString("hex")}`,
        revoked: false,
        messages: [],
        webhookPosts: [],
        failures: [],
        requests: 0,
      };
      workspaces.set(id, workspace);
      byToken.set(workspace.token, workspace);
      byWebhook.set(workspace.webhookPath, workspace);
      return sendJson(res, 201, {
        id,
        token: workspace.token,
        channelId: workspace.channelId,
        webhookUrl: `https://hooks.slack.com${workspace.webhookPath}`,
      });
    }
    const match = /^\/__control\/workspaces\/([A-Z0-9]+)(\/failures|\/revoke)?$/.exec(path);
    const workspace = match ? workspaces.get(match[1] ?? "") : undefined;
    if (!workspace) return sendJson(res, 404, { error: "no such workspace" });
    if (req.method === "GET" && !match?.[2]) {
      const { messages, webhookPosts, requests } = workspace;
      return sendJson(res, 200, { messages, webhookPosts, requests });
    }
    if (req.method === "PUT" && match?.[2] === "/failures") {
      workspace.failures = JSON.parse(await readBody(req)) as SlackStandInFailure[];
      return sendJson(res, 200, { queued: workspace.failures.length });
    }
    if (req.method === "POST" && match?.[2] === "/revoke") {
      workspace.revoked = true;
      return sendJson(res, 200, { revoked: true });
    }
    return sendJson(res, 404, { error: "no such control" });
  }

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const handle = async () => {
      if (path.startsWith("/__control/")) return control(req, res, path);
      if (req.method !== "POST") return sendJson(res, 405, { error: "method_not_allowed" });
      const api = /^\/api\/(chat\.postMessage|chat\.update)$/.exec(path);
      if (api) return webApi(req, res, api[1] ?? "");
      if (path.startsWith("/api/")) return sendJson(res, 200, { ok: false, error: "unknown_method" });
      if (path.startsWith("/services/")) return webhook(req, res, path);
      return sendJson(res, 404, { error: "not_found" });
    };
    handle().catch((error) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
