import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertDelivery } from "../db/queries/webhooks";
import { TestClient } from "../test/client";
import { request, testDatabase, uniqueClientIp } from "../test/helpers";
import { healthy } from "../test/metrics-app";
import { drainLeftoverJobs, runDeployment } from "../test/pipeline";
import { type AppRoute, appRoutes, routeKey } from "../test/routes";

/**
 * The security contract of every route, over the route list the router itself holds: a route
 * mounted tomorrow is walked here the day it is mounted, and counts as protected until it is
 * made so or listed below as public, on purpose and with a reason.
 *
 * - every protected route refuses a caller without valid user credentials with a 401;
 * - the CI routes refuse a caller without the project's key with a 401;
 * - the reads a pipeline shares with the dashboard take a user or the project's key, nothing else;
 * - every route that takes an id answers another tenant with a 404, as if the id did not exist,
 *   and changes nothing of the owner's.
 */

/** Routes anyone may call, and why. */
const PUBLIC_ROUTES: Record<string, string> = {
  "GET /health": "load balancers and uptime probes; details only for the operator token",
  "GET /health/live": "liveness probe, says only ok",
  "GET /health/scheduler": "uptime probe of the cron; job counts only for the operator token",
  "GET /api/health": "same as /health, under /api for the dashboard",
  "GET /api/health/live": "same as /health/live",
  "GET /api/health/scheduler": "same as /health/scheduler",
  "POST /api/auth/signup": "creates the account: there is nobody to authenticate yet",
  "POST /api/auth/login": "the first factor of a sign-in",
  "POST /api/auth/2fa/verify":
    "the second factor of a sign-in: the first step's challenge cookie, not a session",
  "POST /api/auth/2fa/recovery": "the second factor by recovery code, same challenge cookie",
  "GET /api/auth/oauth/providers": "which sign-in buttons the sign-in page shows",
  "GET /api/auth/oauth/:provider/start": "starts an OAuth sign-in; its link mode checks the session itself",
  "GET /api/auth/oauth/:provider/callback":
    "the provider's redirect back; the flow cookie's state authenticates it",
  "GET /openapi.json": "the API's OpenAPI document: describes the routes, holds no data",
  "POST /__bench/insert": "benchmarks only: exists when BENCH_ROUTES is true, else a 404 (asserted below)",
};

/** Routes for pipelines: the project's key (`X-API-Key` or `Bearer sp_...`), not a user. */
const CI_ROUTES = new Set([
  "POST /deployments/trigger",
  "POST /deployments/finish",
  "POST /api/deployments/trigger",
  "POST /api/deployments/finish",
  "GET /deployments/:id",
  "GET /deployments/:id/verdict",
  "POST /deployments/gate",
  "POST /deployments/gate/rollback",
]);

/**
 * Routes for operators only (`Authorization: Bearer <OPERATOR_TOKEN>`, or Prometheus's
 * METRICS_TOKEN for /metrics): no user, however authenticated, and no project key passes.
 */
const OPERATOR_ROUTES = new Set([
  "PUT /api/admin/projects/:id/plan",
  "GET /api/analytics/kpi/lifecycle",
  "GET /metrics",
]);

/**
 * Protected routes that also take the project's key, scoped to its project: what a pipeline
 * reads of its own deployment, under /api where the dashboard reads it too.
 */
const USER_OR_PROJECT_KEY_ROUTES = new Set(["GET /api/deployments/:id", "GET /api/deployments/:id/verdict"]);

/** Path parameters that name no tenant's resource: the value sent, and why it is not one. */
const NOT_TENANT_PARAMS: Record<string, { value: string; reason: string }> = {
  "DELETE /api/auth/oauth/:provider": {
    value: "github",
    reason: "a provider's name; it unlinks the provider from the caller's own account",
  },
};

type Resource = "project" | "deployment" | "session" | "token" | "webhook" | "delivery";

/** Which of the owner's resources an `:id` names, by the path segment before it. */
const RESOURCE_BEFORE_PARAM: Record<string, Resource> = {
  projects: "project",
  deployments: "deployment",
  sessions: "session",
  tokens: "token",
  webhooks: "webhook",
  deliveries: "delivery",
};

/** The owner (user A) and what the other tenant (user B) will aim at. */
interface Owner {
  client: TestClient;
  ids: Record<Resource, string>;
  projectName: string;
  sessionToken: string;
  signedOutSessionToken: string;
  apiToken: string;
  apiKey: string;
}

const PASSWORD = "correct horse battery staple";

/**
 * A body each state-changing route would accept, so that a refusal is about the caller, not the
 * input (a 400 would hide whether ownership is checked at all). The most harmful plausible one
 * where there is a choice: the owner's real project name to confirm a delete.
 */
const VALID_BODIES: Record<string, (owner: Owner) => unknown> = {
  "PATCH /api/auth/me": () => ({ name: "Mallory" }),
  "POST /api/auth/password": () => ({ currentPassword: PASSWORD, newPassword: "an entirely new passphrase" }),
  "POST /api/auth/tokens": () => ({ name: "intruder" }),
  "POST /api/auth/2fa/enable": () => ({ code: "123456" }),
  "POST /api/auth/2fa/disable": () => ({ password: PASSWORD, code: "123456" }),
  "POST /api/auth/2fa/recovery-codes": () => ({ code: "123456" }),
  "POST /api/projects": () => ({ name: "Intruder's project" }),
  "PATCH /api/projects/:id": () => ({ name: "Renamed by a stranger", judge: "classic" }),
  "DELETE /api/projects/:id": (owner) => ({ confirmName: owner.projectName }),
  "PUT /api/projects/:id/endpoint": () => ({ url: "https://metrics.example.com/metrics" }),
  "POST /api/projects/:id/backtest": () => ({ limit: 5 }),
  "POST /api/projects/:id/webhooks": () => ({
    url: "https://hooks.example.com/intruder",
    events: ["deployment.verdict"],
  }),
  "POST /api/deployments/:id/rejudge": () => ({ judge: "classic" }),
  "POST /api/deployments/:id/feedback": () => ({ correct: false, note: "Overturned by a stranger" }),
  "POST /deployments/trigger": () => ({ env: "prod" }),
  "POST /api/deployments/trigger": () => ({ env: "prod" }),
  "POST /deployments/finish": (owner) => ({ deployment_id: owner.ids.deployment, result: "failed" }),
  "POST /api/deployments/finish": (owner) => ({ deployment_id: owner.ids.deployment, result: "failed" }),
  "POST /deployments/gate": (owner) => ({ metadata: { deployment_id: owner.ids.deployment } }),
  "POST /deployments/gate/rollback": (owner) => ({ metadata: { deployment_id: owner.ids.deployment } }),
};

/** The last character changed: the right shape, the wrong secret. */
const tampered = (token: string) => `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;

/** What must not pass for a user on a protected route. */
const NOT_USER_CREDENTIALS: Record<string, (owner: Owner) => Record<string, string>> = {
  "no credentials": () => ({}),
  "an empty Bearer": () => ({ Authorization: "Bearer" }),
  "a malformed Bearer": () => ({ Authorization: "Bearer two words" }),
  "a made-up Bearer": () => ({ Authorization: "Bearer forged.secret" }),
  "another scheme": () => ({ Authorization: "Basic YWRhOnNlY3JldA==" }),
  "a made-up session cookie": () => ({ Cookie: "seqpulse_session=forged.secret" }),
  "the owner's session cookie, tampered": (owner) => ({
    Cookie: `seqpulse_session=${tampered(owner.sessionToken)}`,
  }),
  "the owner's session token as Bearer, tampered": (owner) => ({
    Authorization: `Bearer ${tampered(owner.sessionToken)}`,
  }),
  "the owner's API token, tampered": (owner) => ({ Authorization: `Bearer ${tampered(owner.apiToken)}` }),
  "a signed-out session's cookie": (owner) => ({ Cookie: `seqpulse_session=${owner.signedOutSessionToken}` }),
};

/** The owner's own CI key: not a user credential (except on `USER_OR_PROJECT_KEY_ROUTES`). */
const OWNER_PROJECT_KEY: Record<string, (owner: Owner) => Record<string, string>> = {
  "a project's CI key as X-API-Key": (owner) => ({ "X-API-Key": owner.apiKey }),
  "a project's CI key as Bearer": (owner) => ({ Authorization: `Bearer ${owner.apiKey}` }),
};

/** What must not pass for a pipeline on a CI route. */
const NOT_PROJECT_KEYS: Record<string, (owner: Owner) => Record<string, string>> = {
  "no key": () => ({}),
  "a wrong key": () => ({ "X-API-Key": `sp_${"x".repeat(32)}` }),
  "a key of the wrong shape": () => ({ "X-API-Key": "not-a-key" }),
  "a wrong key as Bearer": () => ({ Authorization: `Bearer sp_${"y".repeat(32)}` }),
  "the project's key, tampered": (owner) => ({ "X-API-Key": tampered(owner.apiKey) }),
  "the owner's session cookie": (owner) => ({ Cookie: `seqpulse_session=${owner.sessionToken}` }),
  "the owner's API token": (owner) => ({ Authorization: `Bearer ${owner.apiToken}` }),
};

/** Wrong project keys, for routes where a valid user credential would pass. */
const NOT_PROJECT_KEYS_NOR_USER = Object.fromEntries(
  Object.entries(NOT_PROJECT_KEYS).filter(([name]) => !name.startsWith("the owner's")),
);

const routes = appRoutes();
const isPublic = (route: AppRoute) => Object.hasOwn(PUBLIC_ROUTES, routeKey(route));
const isCi = (route: AppRoute) => CI_ROUTES.has(routeKey(route));
const takesProjectKeyToo = (route: AppRoute) => USER_OR_PROJECT_KEY_ROUTES.has(routeKey(route));
const isOperatorRoute = (route: AppRoute) => OPERATOR_ROUTES.has(routeKey(route));
const protectedRoutes = routes.filter((route) => !isPublic(route) && !isCi(route) && !isOperatorRoute(route));
const operatorRoutes = routes.filter(isOperatorRoute);
const ciRoutes = routes.filter(isCi);
const hasTenantParam = (route: AppRoute) =>
  route.path.includes("/:") && !Object.hasOwn(NOT_TENANT_PARAMS, routeKey(route));

/** The route's path with the owner's ids in it; throws for a parameter nobody classified. */
function pathFor(route: AppRoute, owner: Owner): string {
  const segments = route.path.split("/");
  return segments
    .map((segment, index) => {
      if (!segment.startsWith(":")) return segment;
      const fixed = NOT_TENANT_PARAMS[routeKey(route)];
      if (fixed) return fixed.value;
      const resource = RESOURCE_BEFORE_PARAM[segments[index - 1] ?? ""];
      if (!resource) {
        throw new Error(
          `${routeKey(route)}: which tenant resource does ${segment} name? Add it to RESOURCE_BEFORE_PARAM, or to NOT_TENANT_PARAMS with a reason.`,
        );
      }
      return owner.ids[resource];
    })
    .join("/");
}

/** One request from its own client address (rate limits count per address), no cookie jar. */
function send(route: AppRoute, path: string, credentials: Record<string, string>, body: unknown) {
  const headers = new Headers({ ...credentials, "CF-Connecting-IP": uniqueClientIp() });
  if (body !== undefined) headers.set("Content-Type", "application/json");
  return request(path, {
    method: route.method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
}

const bodyFor = (route: AppRoute, owner: Owner) => VALID_BODIES[routeKey(route)]?.(owner);

async function readJson(client: TestClient, path: string): Promise<unknown> {
  const response = await client.json("GET", path);
  expect(response.status, path).toBe(200);
  return response.json();
}

/** Everything of the owner's another tenant could try to change, as the owner reads it. */
async function ownerState(owner: Owner) {
  const { client, ids } = owner;
  const sessions = (await readJson(client, "/api/auth/sessions")) as { sessions: { id: string }[] };
  const tokens = (await readJson(client, "/api/auth/tokens")) as { tokens: { lastUsedAt: unknown }[] };
  return {
    me: await readJson(client, "/api/auth/me"),
    twoFactor: await readJson(client, "/api/auth/2fa"),
    // The CI sweep presents the owner's (valid) token on purpose, which marks it used.
    tokens: tokens.tokens.map(({ lastUsedAt: _used, ...token }) => token),
    sessions: sessions.sessions.map((session) => session.id).sort(),
    project: await readJson(client, `/api/projects/${ids.project}`),
    endpoint: await readJson(client, `/api/projects/${ids.project}/endpoint`),
    verdictStats: await readJson(client, `/api/projects/${ids.project}/verdict-stats`),
    deployment: await readJson(client, `/api/deployments/${ids.deployment}`),
    metrics: await readJson(client, `/api/deployments/${ids.deployment}/metrics`),
    feedback: await readJson(client, `/api/deployments/${ids.deployment}/feedback`),
    webhooks: await readJson(client, `/api/projects/${ids.project}/webhooks`),
    deliveries: await readJson(client, `/api/projects/${ids.project}/webhooks/${ids.webhook}/deliveries`),
  };
}

const { db, close } = testDatabase();
afterAll(() => close());

describe("route security", () => {
  let owner: Owner;
  let stranger: TestClient;
  let strangerApiKey: string;
  let before: Awaited<ReturnType<typeof ownerState>>;

  beforeAll(async () => {
    await drainLeftoverJobs();
    // User A: a project with an analyzed deployment, feedback on its verdict, an API token, and
    // a session that has signed out.
    const run = await runDeployment({ window: 1, responses: [{ metrics: healthy }] });
    const client = run.owner;
    const { user } = (await readJson(client, "/api/auth/me")) as { user: { email: string } };
    const { project } = (await readJson(client, `/api/projects/${run.projectId}`)) as {
      project: { name: string };
    };
    const rotated = await client.json("POST", `/api/projects/${run.projectId}/api-key/rotate`);
    expect(rotated.status).toBe(200);
    const { apiKey } = await rotated.json<{ apiKey: string }>();
    const feedback = await client.json("POST", `/api/deployments/${run.deploymentId}/feedback`, {
      correct: true,
      note: "Right call",
    });
    expect(feedback.status).toBe(200);
    const created = await client.json("POST", "/api/auth/tokens", { name: "deploy script" });
    expect(created.status).toBe(201);
    const { token, tokenInfo } = await created.json<{ token: string; tokenInfo: { id: string } }>();
    const { sessions } = (await readJson(client, "/api/auth/sessions")) as {
      sessions: { id: string; current: boolean }[];
    };
    const sessionId = sessions.find((session) => session.current)?.id;
    expect(sessionId).toBeDefined();
    // A webhook with one delivery in its log (the deployment was judged before it existed).
    const hook = await client.json("POST", `/api/projects/${run.projectId}/webhooks`, {
      url: "https://hooks.example.com/owner",
      events: ["deployment.verdict"],
    });
    expect(hook.status).toBe(201);
    const { webhook } = await hook.json<{ webhook: { id: string } }>();
    const delivery = await insertDelivery(db, {
      id: crypto.randomUUID(),
      webhookId: webhook.id,
      messageId: `msg_${crypto.randomUUID().replaceAll("-", "")}`,
      event: "deployment.verdict",
      payload: { type: "deployment.verdict" },
    });

    const elsewhere = new TestClient();
    expect(
      (await elsewhere.json("POST", "/api/auth/login", { email: user.email, password: PASSWORD })).status,
    ).toBe(200);
    const signedOutSessionToken = elsewhere.cookies.get("seqpulse_session") ?? "";
    expect(signedOutSessionToken).not.toBe("");
    expect((await elsewhere.json("POST", "/api/auth/logout")).status).toBe(204);

    owner = {
      client,
      ids: {
        project: run.projectId,
        deployment: run.deploymentId,
        session: sessionId ?? "",
        token: tokenInfo.id,
        webhook: webhook.id,
        delivery: delivery.id,
      },
      projectName: project.name,
      sessionToken: client.cookies.get("seqpulse_session") ?? "",
      signedOutSessionToken,
      apiToken: token,
      apiKey,
    };
    expect(owner.sessionToken).not.toBe("");

    // User B: signed in, with a project (and its CI key) of their own.
    stranger = new TestClient();
    await stranger.signUp();
    const strangerProject = await stranger.json("POST", "/api/projects", { name: "Stranger's service" });
    expect(strangerProject.status).toBe(201);
    strangerApiKey = (await strangerProject.json<{ apiKey: string }>()).apiKey;

    before = await ownerState(owner);
  }, 120_000);

  it("walks the routes the router holds, and every list names routes that exist", () => {
    const keys = new Set(routes.map(routeKey));
    expect(routes.length).toBeGreaterThan(40);
    for (const known of [
      "GET /health",
      "POST /api/auth/login",
      "GET /api/projects/:id",
      "DELETE /api/auth/sessions/:id",
      "POST /api/deployments/:id/feedback",
      "POST /deployments/trigger",
    ]) {
      expect([...keys], known).toContain(known);
    }
    const listed = [
      ...Object.keys(PUBLIC_ROUTES),
      ...CI_ROUTES,
      ...OPERATOR_ROUTES,
      ...USER_OR_PROJECT_KEY_ROUTES,
      ...Object.keys(NOT_TENANT_PARAMS),
      ...Object.keys(VALID_BODIES),
    ];
    expect(listed.filter((key) => !keys.has(key))).toEqual([]);
    expect(protectedRoutes.length).toBeGreaterThan(30);
    console.info(
      `routes: ${routes.length} (${protectedRoutes.length} protected, ${ciRoutes.length} CI, ` +
        `${routes.length - protectedRoutes.length - ciRoutes.length} public); ` +
        `${protectedRoutes.filter(hasTenantParam).length} take a tenant's id`,
    );
  });

  it("knows what every path parameter of a protected route names", () => {
    const unclassified: string[] = [];
    for (const route of protectedRoutes) {
      try {
        pathFor(route, owner);
      } catch (error) {
        unclassified.push((error as Error).message);
      }
    }
    expect(unclassified).toEqual([]);
  });

  it("answers 401 on every protected route, every method, without valid user credentials", {
    timeout: 120_000,
  }, async () => {
    const failures: string[] = [];
    for (const route of protectedRoutes) {
      const path = pathFor(route, owner);
      const refused = takesProjectKeyToo(route)
        ? { ...NOT_USER_CREDENTIALS, ...NOT_PROJECT_KEYS_NOR_USER }
        : { ...NOT_USER_CREDENTIALS, ...OWNER_PROJECT_KEY };
      for (const [name, credentials] of Object.entries(refused)) {
        const response = await send(route, path, credentials(owner), bodyFor(route, owner));
        const text = await response.text();
        if (response.status !== 401 || !text.includes('"UNAUTHENTICATED"')) {
          failures.push(`${routeKey(route)} with ${name}: ${response.status} ${text.slice(0, 160)}`);
        }
      }
      // HEAD is served by the GET handler, so it must be refused the same way.
      if (route.method === "GET") {
        const head = await send({ method: "HEAD", path: route.path }, path, {}, undefined);
        if (head.status !== 401) failures.push(`HEAD ${route.path} without credentials: ${head.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers 401 on the CI routes without the project's key", async () => {
    expect(ciRoutes).toHaveLength(CI_ROUTES.size);
    const failures: string[] = [];
    for (const route of ciRoutes) {
      for (const [name, credentials] of Object.entries(NOT_PROJECT_KEYS)) {
        const response = await send(route, pathFor(route, owner), credentials(owner), bodyFor(route, owner));
        if (response.status !== 401) {
          failures.push(
            `${routeKey(route)} with ${name}: ${response.status} ${(await response.text()).slice(0, 160)}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers 401 on the operator routes to every user credential and project key, changing nothing", async () => {
    expect(operatorRoutes).toHaveLength(OPERATOR_ROUTES.size);
    const refused = {
      ...NOT_USER_CREDENTIALS,
      ...OWNER_PROJECT_KEY,
      "the owner's session cookie": (owner: Owner) => ({ Cookie: `seqpulse_session=${owner.sessionToken}` }),
      "the owner's session token as Bearer": (owner: Owner) => ({
        Authorization: `Bearer ${owner.sessionToken}`,
      }),
      "the owner's API token": (owner: Owner) => ({ Authorization: `Bearer ${owner.apiToken}` }),
    };
    const failures: string[] = [];
    for (const route of operatorRoutes) {
      const path = route.path.replace(":id", owner.ids.project);
      for (const [name, credentials] of Object.entries(refused)) {
        const body = route.method === "GET" ? undefined : { plan: "enterprise" };
        const response = await send(route, path, credentials(owner), body);
        if (response.status !== 401) failures.push(`${routeKey(route)} with ${name}: ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await ownerState(owner)).toEqual(before);
  });

  it("hides the benchmark route unless benchmarks are on", async () => {
    const response = await send(
      { method: "POST", path: "/__bench/insert" },
      "/__bench/insert",
      {},
      undefined,
    );
    expect(response.status).toBe(404);
  });

  it("answers 404 to another tenant on every route that takes an id, and changes nothing of the owner's", {
    timeout: 120_000,
  }, async () => {
    const tenantRoutes = protectedRoutes.filter(hasTenantParam);
    expect(tenantRoutes.length).toBeGreaterThanOrEqual(20);
    const failures: string[] = [];
    for (const route of tenantRoutes) {
      const path = pathFor(route, owner);
      const body = bodyFor(route, owner);
      const response = await stranger.fetch(path, {
        method: route.method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status !== 404 || !text.includes('"NOT_FOUND"')) {
        failures.push(`${routeKey(route)}: ${response.status} ${text.slice(0, 160)}`);
      }
    }
    // The CI routes' tenant is the key's project: another project's key cannot finish A's deployment.
    // Nor read it, on the CI paths, under /api or through a gate.
    const keyedRoutes = [...ciRoutes, ...protectedRoutes.filter(takesProjectKeyToo)].filter(
      (route) => route.path.endsWith("/finish") || route.path.includes("/gate") || hasTenantParam(route),
    );
    expect(keyedRoutes.length).toBe(8);
    for (const route of keyedRoutes) {
      const response = await send(
        route,
        pathFor(route, owner),
        { "X-API-Key": strangerApiKey },
        bodyFor(route, owner),
      );
      if (response.status !== 404)
        failures.push(`${routeKey(route)} with another project's key: ${response.status}`);
    }
    expect(failures).toEqual([]);
    expect(await ownerState(owner)).toEqual(before);
    // The owner's token and CI key still work: nothing was revoked or rotated.
    const me = await request("/api/auth/me", { headers: { Authorization: `Bearer ${owner.apiToken}` } });
    expect(me.status).toBe(200);
    // A finish on an analyzed deployment is ignored: the key is checked, the deployment unchanged.
    const finishRoute = { method: "POST", path: "/deployments/finish" };
    const finish = await send(
      finishRoute,
      finishRoute.path,
      { "X-API-Key": owner.apiKey },
      bodyFor(finishRoute, owner),
    );
    expect(finish.status).toBe(200);
    expect((await finish.json<{ status: string }>()).status).toBe("ignored");
  });

  it("keeps lists and counts to the caller's own when the query names another tenant's ids", async () => {
    const query = `?project=${owner.ids.project}&deployment=${owner.ids.deployment}`;
    const failures: string[] = [];
    for (const route of protectedRoutes.filter(
      (route) => route.method === "GET" && !route.path.includes("/:"),
    )) {
      const response = await stranger.json("GET", `${route.path}${query}`);
      const text = await response.text();
      const leaks = [owner.ids.project, owner.ids.deployment, owner.projectName].filter((value) =>
        text.includes(value),
      );
      if (response.status !== 200 || leaks.length > 0) {
        failures.push(
          `${routeKey(route)}: ${response.status}${leaks.length > 0 ? ` shows ${leaks.join(", ")}` : ""}`,
        );
      }
    }
    expect(failures).toEqual([]);
    // Counts name no id: the owner's deployment must not be counted either.
    const stats = await stranger.json("GET", `/api/stats/deployments?project=${owner.ids.project}`);
    expect((await stats.json<{ totals: { total: number } }>()).totals.total).toBe(0);
    const own = await owner.client.json("GET", `/api/stats/deployments?project=${owner.ids.project}`);
    expect((await own.json<{ totals: { total: number } }>()).totals.total).toBe(1);
  });
});
