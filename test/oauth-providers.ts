// A local stand-in for GitHub and Google, started in Node by the global setup (workerd cannot
// listen). It is oauth2-mock-server (a real OAuth2 authorization server: authorize, token with
// PKCE checks, userinfo) behind the URL mapping of worker/features/oauth/providers.ts: the
// provider's host is the first path segment, e.g. `/oauth2.googleapis.com/token`. GitHub's REST
// endpoints are not OAuth, so `/api.github.com/user` and `/user/emails` are added here with
// GitHub's response shapes.
//
// Which account "signs in" at the provider is the test's choice: it adds `mock_account` (JSON,
// see MockAccount) to the authorize URL, the way a person would pick an account on the
// provider's page. `mock_deny=1` plays the person pressing "Cancel".
import http, { type IncomingMessage } from "node:http";
import type net from "node:net";
import { OAuth2Issuer, OAuth2Service } from "oauth2-mock-server";

export type MockProvider = "github" | "google";

/** The account at the provider, in neutral terms; each provider's shape is derived from it. */
export interface MockAccount {
  /** GitHub: a numeric id (as a string); Google: the `sub`. */
  id: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
  login?: string;
  /** GitHub only: the full `/user/emails` list, instead of one primary entry made from `email`. */
  githubEmails?: Array<{ email: string; primary: boolean; verified: boolean }>;
}

export interface MockProviderClients {
  github: { clientId: string; clientSecret: string };
  google: { clientId: string; clientSecret: string };
}

const aliases: Record<string, { provider: MockProvider; path: string }> = {
  "/github.com/login/oauth/authorize": { provider: "github", path: "/authorize" },
  "/github.com/login/oauth/access_token": { provider: "github", path: "/token" },
  "/accounts.google.com/o/oauth2/v2/auth": { provider: "google", path: "/authorize" },
  "/oauth2.googleapis.com/token": { provider: "google", path: "/token" },
  "/openidconnect.googleapis.com/v1/userinfo": { provider: "google", path: "/userinfo" },
};

interface Grant {
  provider: MockProvider;
  account: MockAccount;
  clientId: string;
  redirectUri: string;
  hasCodeChallenge: boolean;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

function bearerToken(req: IncomingMessage): string | null {
  const match = /^(?:Bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1] ?? null;
}

function basicCredentials(req: IncomingMessage): { id: string; secret: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export async function startMockOAuthProviders(
  clients: MockProviderClients,
): Promise<{ url: string; close: () => Promise<void> }> {
  const issuer = new OAuth2Issuer();
  await issuer.keys.generate("RS256");
  const service = new OAuth2Service(issuer);
  const providerOf = new WeakMap<IncomingMessage, MockProvider>();
  /** Authorization codes (single use) and the access tokens issued for them. */
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, Grant>();

  service.on(
    "beforeAuthorizeRedirect",
    (redirect: { url: URL }, req: IncomingMessage & { query: Record<string, unknown> }) => {
      const code = redirect.url.searchParams.get("code");
      const provider = providerOf.get(req);
      if (!code || !provider) return;
      if (req.query.mock_deny === "1" || typeof req.query.mock_account !== "string") {
        redirect.url.searchParams.delete("code");
        redirect.url.searchParams.set("error", "access_denied");
        return;
      }
      grants.set(code, {
        provider,
        account: JSON.parse(req.query.mock_account) as MockAccount,
        clientId: String(req.query.client_id),
        redirectUri: String(req.query.redirect_uri),
        hasCodeChallenge: typeof req.query.code_challenge === "string",
      });
    },
  );

  service.on(
    "beforeResponse",
    (
      response: { body: Record<string, unknown> | ""; statusCode: number },
      req: IncomingMessage & { body: Record<string, unknown> },
    ) => {
      const provider = providerOf.get(req);
      const code = typeof req.body.code === "string" ? req.body.code : "";
      const grant = grants.get(code);
      grants.delete(code);
      const client = provider ? clients[provider] : null;
      const credentials = basicCredentials(req);
      if (!client || credentials?.id !== client.clientId || credentials.secret !== client.clientSecret) {
        response.statusCode = 401;
        response.body = { error: "invalid_client" };
        return;
      }
      const valid =
        grant !== undefined &&
        grant.provider === provider &&
        grant.clientId === client.clientId &&
        grant.redirectUri === req.body.redirect_uri &&
        // The server checked the verifier against the challenge; a missing one is refused too.
        (!grant.hasCodeChallenge || typeof req.body.code_verifier === "string");
      if (!grant || !valid) {
        // Google answers 400; GitHub answers 200 with the error in the body.
        response.statusCode = provider === "google" ? 400 : 200;
        response.body = { error: provider === "google" ? "invalid_grant" : "bad_verification_code" };
        return;
      }
      if (response.body === "" || typeof response.body.access_token !== "string") return;
      accessTokens.set(response.body.access_token, grant);
      if (provider === "github") {
        response.body = {
          access_token: response.body.access_token,
          token_type: "bearer",
          scope: "read:user,user:email",
        };
      }
    },
  );

  service.on(
    "beforeUserinfo",
    (response: { body: Record<string, unknown> | ""; statusCode: number }, req: IncomingMessage) => {
      const grant = accessTokens.get(bearerToken(req) ?? "");
      if (grant?.provider !== "google") {
        response.statusCode = 401;
        response.body = { error: "invalid_token" };
        return;
      }
      const { account } = grant;
      response.body = {
        sub: account.id,
        ...(account.name !== undefined ? { name: account.name } : {}),
        ...(account.email !== undefined
          ? { email: account.email, email_verified: account.emailVerified ?? false }
          : {}),
      };
    },
  );

  /** GitHub's REST API: a User-Agent is required, and a token from its own OAuth flow. */
  function githubAccount(req: IncomingMessage, res: http.ServerResponse): MockAccount | null {
    if (!req.headers["user-agent"]) {
      sendJson(res, 403, { message: "Request forbidden by administrative rules." });
      return null;
    }
    const grant = accessTokens.get(bearerToken(req) ?? "");
    if (grant?.provider !== "github") {
      sendJson(res, 401, { message: "Bad credentials", status: "401" });
      return null;
    }
    return grant.account;
  }
  service.addRoute("GET", "/api.github.com/user", (req, res) => {
    const account = githubAccount(req, res);
    if (!account) return;
    sendJson(res, 200, {
      id: Number(account.id),
      login: account.login ?? `user${account.id}`,
      name: account.name ?? null,
      email: null,
    });
  });
  service.addRoute("GET", "/api.github.com/user/emails", (req, res) => {
    const account = githubAccount(req, res);
    if (!account) return;
    const emails =
      account.githubEmails ??
      (account.email
        ? [{ email: account.email, primary: true, verified: account.emailVerified ?? false }]
        : []);
    sendJson(
      res,
      200,
      emails.map((entry) => ({ ...entry, visibility: entry.primary ? "private" : null })),
    );
  });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const alias = aliases[url.pathname];
    if (alias) {
      providerOf.set(req, alias.provider);
      req.url = `${alias.path}${url.search}`;
    } else if (!url.pathname.startsWith("/api.github.com/")) {
      res.writeHead(404).end();
      return;
    }
    service.requestHandler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  issuer.url = url;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
