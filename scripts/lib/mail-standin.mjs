// A local stand-in for the mail providers: it speaks Resend's API (`POST /emails`) and
// Postmark's (`POST /email`), keeps what it receives in memory, and serves a mailbox to read it.
// `npm run dev`, the Worker tests and the browser tests send mail here
// (EMAIL_API_BASE_URL_OVERRIDE); nothing leaves the machine.
//
//   POST /emails                 Resend: `Authorization: Bearer <key>`, JSON {from, to, subject,
//                                text?, html?, reply_to?, headers?}; answers {"id"}. With an
//                                `Idempotency-Key`, the same key and body answer the same id
//                                (the mail is stored once); the same key with another body, 409.
//   POST /email                  Postmark: `X-Postmark-Server-Token`, JSON {From, To, Subject,
//                                TextBody, HtmlBody, Metadata?, ReplyTo?, Headers?}; answers
//                                {"MessageID", "ErrorCode": 0, ...}.
//   GET  /                       the mailbox: every mail, newest first
//   GET  /mails/<id>             one mail: headers, text, and the HTML in a sandboxed iframe
//   GET  /mails/<id>/html        the HTML body alone (served with a CSP that runs nothing)
//   GET  /api/mails?to=<addr>    JSON, newest first (tests)
//   DELETE /api/mails            forgets everything
//   PUT  /__control/recipients/<addr>  {"fail": n, "status": 500, "hang": n}: the next n sends to
//                                that address answer `status` (default 500), or never answer (hang)
import { createHash, randomUUID } from "node:crypto";
import http from "node:http";

const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * @typedef {object} StoredMail
 * @property {string} id
 * @property {"resend" | "postmark"} provider
 * @property {string} from
 * @property {string[]} to
 * @property {string} subject
 * @property {string} text
 * @property {string} html
 * @property {string | null} replyTo
 * @property {Record<string, string>} headers
 * @property {string | null} idempotencyKey
 * @property {Record<string, string>} metadata
 * @property {string} receivedAt
 * @property {number} requests  how many accepted requests delivered this mail (idempotent replays included)
 */

/** @param {string} value */
function escapeHtml(value) {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/**
 * @param {http.IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    /** @type {Buffer[]} */
    const chunks = [];
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

/** @param {unknown} value */
const isString = (value) => typeof value === "string";

/**
 * @param {{ host?: string, port?: number, apiKey?: string }} [options]
 *   apiKey: the key Resend requests must carry as Bearer and Postmark requests as server token
 *   (default "re_local_mailbox").
 */
export async function startMailStandin({ host = "127.0.0.1", port = 0, apiKey = "re_local_mailbox" } = {}) {
  /** @type {StoredMail[]} */
  const mails = [];
  /** @type {Map<string, { hash: string, id: string }>} */
  const idempotency = new Map();
  /** @type {Map<string, { fail: number, status: number, hang: number }>} */
  const behaviours = new Map();
  /** @type {Set<http.ServerResponse>} */
  const hanging = new Set();

  /**
   * A programmed failure for one of `to`, if any: "hang", a status, or null.
   * @param {string[]} to
   */
  function programmedFailure(to) {
    for (const address of to) {
      const behaviour = behaviours.get(address.toLowerCase());
      if (!behaviour) continue;
      if (behaviour.hang > 0) {
        behaviour.hang -= 1;
        return "hang";
      }
      if (behaviour.fail > 0) {
        behaviour.fail -= 1;
        return behaviour.status;
      }
    }
    return null;
  }

  /**
   * @param {Omit<StoredMail, "id" | "receivedAt" | "requests">} mail
   * @param {string} idPrefix
   */
  function store(mail, idPrefix) {
    const stored = {
      ...mail,
      id: `${idPrefix}${randomUUID()}`,
      receivedAt: new Date().toISOString(),
      requests: 1,
    };
    mails.push(stored);
    return stored;
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   */
  async function resend(req, res) {
    const auth = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? "");
    if (!auth)
      return sendJson(res, 401, {
        statusCode: 401,
        name: "missing_api_key",
        message: "Missing API key in the authorization header.",
      });
    if (auth[1] !== apiKey)
      return sendJson(res, 403, { statusCode: 403, name: "invalid_api_key", message: "API key is invalid." });
    const raw = await readBody(req);
    /** @type {any} */
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendJson(res, 422, { statusCode: 422, name: "validation_error", message: "Invalid JSON body." });
    }
    const to = Array.isArray(body?.to) ? body.to : [body?.to];
    if (
      !isString(body?.from) ||
      !isString(body?.subject) ||
      to.length === 0 ||
      !to.every(isString) ||
      (!isString(body.text) && !isString(body.html))
    ) {
      return sendJson(res, 422, {
        statusCode: 422,
        name: "validation_error",
        message: "from, to, subject and text or html are required.",
      });
    }
    const failure = programmedFailure(to);
    if (failure === "hang") {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (failure !== null)
      return sendJson(res, failure, {
        statusCode: failure,
        name: "application_error",
        message: "Programmed failure.",
      });
    const key = req.headers["idempotency-key"];
    const hash = createHash("sha256").update(raw).digest("hex");
    if (isString(key) && key) {
      const seen = idempotency.get(key);
      if (seen) {
        if (seen.hash !== hash) {
          return sendJson(res, 409, {
            statusCode: 409,
            name: "invalid_idempotent_request",
            message: "Same idempotency key used with a different request payload.",
          });
        }
        const mail = mails.find((m) => m.id === seen.id);
        if (mail) mail.requests += 1;
        return sendJson(res, 200, { id: seen.id });
      }
    }
    const mail = store(
      {
        provider: "resend",
        from: body.from,
        to,
        subject: body.subject,
        text: isString(body.text) ? body.text : "",
        html: isString(body.html) ? body.html : "",
        replyTo: isString(body.reply_to) ? body.reply_to : null,
        headers: body.headers && typeof body.headers === "object" ? body.headers : {},
        idempotencyKey: isString(key) ? key : null,
        metadata: {},
      },
      "",
    );
    if (isString(key) && key) idempotency.set(key, { hash, id: mail.id });
    return sendJson(res, 200, { id: mail.id });
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   */
  async function postmark(req, res) {
    const token = req.headers["x-postmark-server-token"];
    if (!isString(token) || !token)
      return sendJson(res, 401, {
        ErrorCode: 10,
        Message: "No Account or Server API tokens were supplied in the HTTP headers.",
      });
    if (token !== apiKey)
      return sendJson(res, 401, { ErrorCode: 10, Message: "The Server API token is invalid." });
    /** @type {any} */
    let body;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 422, { ErrorCode: 402, Message: "Received invalid JSON input." });
    }
    if (
      !isString(body?.From) ||
      !isString(body?.To) ||
      !isString(body?.Subject) ||
      (!isString(body.TextBody) && !isString(body.HtmlBody))
    ) {
      return sendJson(res, 422, {
        ErrorCode: 300,
        Message: "Invalid email request: From, To, Subject and a body are required.",
      });
    }
    const to = body.To.split(",").map((/** @type {string} */ a) => a.trim());
    const failure = programmedFailure(to);
    if (failure === "hang") {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (failure !== null) return sendJson(res, failure, { ErrorCode: 100, Message: "Programmed failure." });
    /** @type {Record<string, string>} */
    const headers = {};
    if (Array.isArray(body.Headers)) {
      for (const header of body.Headers)
        if (isString(header?.Name) && isString(header?.Value)) headers[header.Name] = header.Value;
    }
    const mail = store(
      {
        provider: "postmark",
        from: body.From,
        to,
        subject: body.Subject,
        text: isString(body.TextBody) ? body.TextBody : "",
        html: isString(body.HtmlBody) ? body.HtmlBody : "",
        replyTo: isString(body.ReplyTo) ? body.ReplyTo : null,
        headers,
        idempotencyKey: null,
        metadata: body.Metadata && typeof body.Metadata === "object" ? body.Metadata : {},
      },
      "",
    );
    return sendJson(res, 200, {
      To: body.To,
      SubmittedAt: mail.receivedAt,
      MessageID: mail.id,
      ErrorCode: 0,
      Message: "OK",
    });
  }

  /** @param {StoredMail} mail */
  function mailPage(mail) {
    const headerRows = Object.entries(mail.headers)
      .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(String(value))}</td></tr>`)
      .join("");
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(mail.subject)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}th{text-align:left;padding-right:1rem;vertical-align:top}pre{white-space:pre-wrap;background:#f4f4f5;padding:1rem}iframe{width:100%;height:32rem;border:1px solid #ccc}</style></head>
<body><p><a href="/">&larr; Mailbox</a></p><h1>${escapeHtml(mail.subject)}</h1>
<table><tr><th>From</th><td>${escapeHtml(mail.from)}</td></tr><tr><th>To</th><td>${escapeHtml(mail.to.join(", "))}</td></tr>
<tr><th>Received</th><td>${escapeHtml(mail.receivedAt)}</td></tr><tr><th>Via</th><td>${escapeHtml(mail.provider)}</td></tr>${headerRows}</table>
<h2>HTML</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" title="HTML body" src="/mails/${encodeURIComponent(mail.id)}/html"></iframe>
<h2>Text</h2><pre>${escapeHtml(mail.text)}</pre></body></html>`;
  }

  function mailboxPage() {
    const rows = [...mails]
      .reverse()
      .map(
        (mail) =>
          `<tr><td>${escapeHtml(mail.receivedAt)}</td><td>${escapeHtml(mail.to.join(", "))}</td><td><a href="/mails/${encodeURIComponent(mail.id)}">${escapeHtml(mail.subject)}</a></td></tr>`,
      )
      .join("");
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SeqPulse local mailbox</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.25rem 1rem .25rem 0;text-align:left}</style></head>
<body><h1>Local mailbox</h1><p>Mail the local SeqPulse sent (kept in memory until the stand-in stops).</p>
${mails.length === 0 ? "<p>No mail yet.</p>" : `<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`}</body></html>`;
  }

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const path = url.pathname;
      if (req.method === "POST" && path === "/emails") return await resend(req, res);
      if (req.method === "POST" && path === "/email") return await postmark(req, res);
      if (req.method === "GET" && path === "/") {
        return res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(mailboxPage());
      }
      if (req.method === "GET" && path === "/favicon.ico") return res.writeHead(204).end();
      if (req.method === "GET" && path === "/api/mails") {
        const to = url.searchParams.get("to")?.toLowerCase();
        const list = [...mails]
          .reverse()
          .filter((mail) => !to || mail.to.some((address) => address.toLowerCase() === to));
        return sendJson(res, 200, { mails: list });
      }
      if (req.method === "DELETE" && path === "/api/mails") {
        mails.length = 0;
        idempotency.clear();
        return sendJson(res, 200, { ok: true });
      }
      const control = /^\/__control\/recipients\/([^/]+)$/.exec(path);
      if (req.method === "PUT" && control?.[1]) {
        /** @type {any} */
        const body = JSON.parse((await readBody(req)) || "{}");
        behaviours.set(decodeURIComponent(control[1]).toLowerCase(), {
          fail: Number(body.fail ?? 0),
          status: Number(body.status ?? 500),
          hang: Number(body.hang ?? 0),
        });
        return sendJson(res, 200, { ok: true });
      }
      const one = /^\/mails\/([^/]+)(\/html)?$/.exec(path);
      if (req.method === "GET" && one?.[1]) {
        const mail = mails.find((m) => m.id === decodeURIComponent(/** @type {string} */ (one[1])));
        if (!mail) return res.writeHead(404, { "Content-Type": "text/plain" }).end("no such mail");
        if (one[2]) {
          // Mail HTML is untrusted here: shown in a sandboxed frame, and no script may run.
          return res
            .writeHead(200, {
              "Content-Type": "text/html; charset=utf-8",
              "Content-Security-Policy":
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox allow-popups allow-popups-to-escape-sandbox",
            })
            .end(mail.html);
        }
        return res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(mailPage(mail));
      }
      sendJson(res, 404, { statusCode: 404, name: "not_found", message: "Unknown path." });
    } catch (error) {
      if (!res.headersSent)
        sendJson(res, 500, { statusCode: 500, name: "internal_server_error", message: String(error) });
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://${host}:${address.port}`,
    apiKey,
    /** Every mail received so far, oldest first. */
    mails: () => [...mails],
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
