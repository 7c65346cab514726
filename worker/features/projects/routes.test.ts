import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { projects } from "../../../db/schema";
import { errorCode, TestClient } from "../../../test/client";
import { fetchApp, testDatabase } from "../../../test/helpers";
import { healthy, StandInApp } from "../../../test/metrics-app";
import { setPlan } from "../../../test/projects";

const { db, close } = testDatabase();
afterAll(() => close());

type ProjectBody = {
  project: {
    id: string;
    name: string;
    envs: string[];
    apiKeyPrefix: string;
    observationWindowMinutes: number;
    endpoint: {
      state: string;
      candidate: string | null;
      active: string | null;
      lastError: { code: string } | null;
    };
    hmac: { enabled: boolean; previousSecretValidUntil: string | null };
  };
  apiKey?: string;
  secret?: string;
};

async function signedInWithProject(body: Record<string, unknown> = {}) {
  const client = new TestClient();
  await client.signUp();
  const response = await client.json("POST", "/api/projects", { name: "Checkout API", ...body });
  expect(response.status).toBe(201);
  const created = await response.json<ProjectBody>();
  return { client, project: created.project, apiKey: created.apiKey! };
}

describe("projects", () => {
  it("creates a project with defaults and shows its API key once", async () => {
    const { client, project, apiKey } = await signedInWithProject();
    expect(apiKey).toMatch(/^sp_[A-Za-z0-9_-]{43}$/);
    expect(project).toMatchObject({
      name: "Checkout API",
      envs: ["prod"],
      // The free plan's longest window (a new project starts free).
      observationWindowMinutes: 5,
      plan: "free",
      apiKeyPrefix: apiKey.slice(0, 10),
      endpoint: { state: "none", candidate: null, active: null },
      hmac: { enabled: false },
    });
    const read = await (await client.fetch(`/api/projects/${project.id}`)).text();
    expect(read).not.toContain(apiKey);
    const [row] = await db.select().from(projects).where(eq(projects.id, project.id));
    expect(row?.apiKeyHash).not.toContain(apiKey);
  });

  it.each([
    [{ name: "" }, "name"],
    [{ name: "x", observationWindowMinutes: 0 }, "observationWindowMinutes"],
    [{ name: "x", observationWindowMinutes: 61 }, "observationWindowMinutes"],
    [{ name: "x", envs: ["Prod!"] }, "envs.0"],
    [{ name: "x", envs: ["prod", "prod"] }, "envs"],
    [{ name: "x", metricsEndpoint: "ftp://example.com/m" }, "metricsEndpoint"],
  ])("answers 400 naming the field for %j", async (body, field) => {
    const client = new TestClient();
    await client.signUp();
    const response = await client.json("POST", "/api/projects", body);
    expect(response.status).toBe(400);
    const fields = (await response.json<{ error: { fields: Array<{ field: string }> } }>()).error.fields.map(
      (f) => f.field,
    );
    expect(fields).toContain(field);
  });

  it("lists the caller's projects only, newest first, a page at a time", async () => {
    const client = new TestClient();
    await client.signUp();
    for (const name of ["one", "two", "three"]) await client.json("POST", "/api/projects", { name });
    await signedInWithProject(); // someone else's
    const first = await (await client.fetch("/api/projects?limit=2")).json<{
      items: Array<{ name: string }>;
      nextCursor: string;
    }>();
    expect(first.items.map((p) => p.name)).toEqual(["three", "two"]);
    const second = await (await client.fetch(`/api/projects?limit=2&cursor=${first.nextCursor}`)).json<{
      items: Array<{ name: string }>;
      nextCursor: string | null;
    }>();
    expect(second.items.map((p) => p.name)).toEqual(["one"]);
    expect(second.nextCursor).toBeNull();
    expect((await client.fetch("/api/projects?cursor=garbage")).status).toBe(400);
  });

  it("updates settings, and deletes only with the exact name", async () => {
    const { client, project } = await signedInWithProject();
    await setPlan(project.id, "pro");
    const patched = await client.json("PATCH", `/api/projects/${project.id}`, {
      observationWindowMinutes: 5,
      envs: ["prod", "staging"],
    });
    expect(patched.status).toBe(200);
    expect((await patched.json<ProjectBody>()).project).toMatchObject({
      observationWindowMinutes: 5,
      envs: ["prod", "staging"],
    });
    const wrong = await client.json("DELETE", `/api/projects/${project.id}`, { confirmName: "checkout api" });
    expect(wrong.status).toBe(400);
    expect(
      (await client.json("DELETE", `/api/projects/${project.id}`, { confirmName: "Checkout API" })).status,
    ).toBe(204);
    expect((await client.fetch(`/api/projects/${project.id}`)).status).toBe(404);
  });

  it("rotates the API key: a new key shown once, the old one refused at once", async () => {
    const { client, project, apiKey } = await signedInWithProject();
    const rotated = await (
      await client.json("POST", `/api/projects/${project.id}/api-key/rotate`)
    ).json<ProjectBody>();
    expect(rotated.apiKey).toMatch(/^sp_/);
    expect(rotated.apiKey).not.toBe(apiKey);
    const ci = (key: string) =>
      new TestClient().fetch("/api/deployments/trigger", {
        method: "POST",
        headers: { "X-API-Key": key, "Content-Type": "application/json" },
        body: JSON.stringify({ env: "prod" }),
      });
    expect((await ci(apiKey)).status).toBe(401);
    // The new key authenticates (the project has no active endpoint yet: 423, not 401).
    expect((await ci(rotated.apiKey!)).status).toBe(423);
  });
});

describe("metrics endpoint: set, test and activate", () => {
  it("activates a candidate that answers valid metrics", async () => {
    const app = new StandInApp();
    await app.configure({ responses: [{ metrics: healthy }] });
    const { client, project } = await signedInWithProject({ metricsEndpoint: app.endpoint });
    expect(project.endpoint).toMatchObject({
      state: "pending_verification",
      candidate: app.endpoint,
      active: null,
    });
    const tested = await client.json("POST", `/api/projects/${project.id}/endpoint/test`);
    expect(tested.status).toBe(200);
    expect(await tested.json()).toMatchObject({
      endpoint: { state: "active", active: app.endpoint, lastError: null },
      sample: { requestsPerSec: 120, latencyP95: 180 },
    });
  });

  it("says exactly what was wrong, field included, and keeps the endpoint inactive", async () => {
    const app = new StandInApp();
    await app.configure({ responses: [{ metrics: { ...healthy, memory_usage: 1.5 } }] });
    const { client, project } = await signedInWithProject({ metricsEndpoint: app.endpoint });
    const tested = await client.json("POST", `/api/projects/${project.id}/endpoint/test`);
    expect(tested.status).toBe(422);
    const body = await tested.json<{
      error: { code: string; details: { reason: string }; fields: Array<{ field: string }> };
    }>();
    expect(body.error.code).toBe("ENDPOINT_TEST_FAILED");
    expect(body.error.details.reason).toBe("BAD_PAYLOAD");
    expect(body.error.fields[0]?.field).toBe("metrics.memory_usage");
    const view = await (await client.fetch(`/api/projects/${project.id}/endpoint`)).json<
      ProjectBody["project"]
    >();
    expect(view).toMatchObject({
      endpoint: { state: "pending_verification", active: null, lastError: { code: "BAD_PAYLOAD" } },
    });
  });

  it("signs the test request when HMAC is on, and reports a refused signature", async () => {
    const app = new StandInApp();
    const { client, project } = await signedInWithProject({ metricsEndpoint: app.endpoint });
    const enabled = await (
      await client.json("POST", `/api/projects/${project.id}/hmac/enable`)
    ).json<ProjectBody>();
    expect(enabled.secret).toMatch(/^spm_[A-Za-z0-9_-]{43}$/);
    await app.configure({ secret: "spm_not_the_secret" });
    const refused = await client.json("POST", `/api/projects/${project.id}/endpoint/test`);
    expect(refused.status).toBe(422);
    expect((await refused.json<{ error: { details: { reason: string } } }>()).error.details.reason).toBe(
      "HMAC_REFUSED",
    );
    await app.configure({ secret: enabled.secret! });
    expect((await client.json("POST", `/api/projects/${project.id}/endpoint/test`)).status).toBe(200);
  });

  it("refuses a private address when private targets are not allowed (production)", async () => {
    const client = new TestClient();
    await client.signUp();
    const ctx = createExecutionContext();
    const headers = new Headers({ "Content-Type": "application/json", "CF-Connecting-IP": client.ip });
    headers.set("Cookie", [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetchApp(
      new Request("http://seqpulse.test/api/projects", {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "x", metricsEndpoint: "http://10.0.0.5:9000/metrics" }),
      }),
      { ...env, ALLOW_PRIVATE_METRICS_URLS: "false" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("VALIDATION_FAILED");
  });
});

describe("HMAC secrets", () => {
  it("are shown once, stored encrypted, rotated with a grace period, and disabled", async () => {
    const { client, project } = await signedInWithProject();
    const enabled = await (
      await client.json("POST", `/api/projects/${project.id}/hmac/enable`)
    ).json<ProjectBody>();
    const [row] = await db.select().from(projects).where(eq(projects.id, project.id));
    expect(row?.hmacSecretEncrypted).toMatch(/^v1\./);
    expect(row?.hmacSecretEncrypted).not.toContain(enabled.secret!);
    expect((await client.json("POST", `/api/projects/${project.id}/hmac/enable`)).status).toBe(409);

    const rotated = await (
      await client.json("POST", `/api/projects/${project.id}/hmac/rotate`)
    ).json<ProjectBody>();
    expect(rotated.secret).not.toBe(enabled.secret);
    expect(rotated.project.hmac.previousSecretValidUntil).not.toBeNull();

    const disabled = await (
      await client.json("POST", `/api/projects/${project.id}/hmac/disable`)
    ).json<ProjectBody>();
    expect(disabled.project.hmac).toEqual({ enabled: false, previousSecretValidUntil: null });
    expect((await client.json("POST", `/api/projects/${project.id}/hmac/rotate`)).status).toBe(409);
  });
});

describe("access control", () => {
  const routes: Array<[string, string, unknown?]> = [
    ["GET", ""],
    ["PATCH", "", { name: "stolen" }],
    ["DELETE", "", { confirmName: "Checkout API" }],
    ["POST", "/api-key/rotate"],
    ["GET", "/endpoint"],
    ["PUT", "/endpoint", { url: "http://127.0.0.1:9/m" }],
    ["POST", "/endpoint/test"],
    ["POST", "/hmac/enable"],
    ["POST", "/hmac/disable"],
    ["POST", "/hmac/rotate"],
  ];

  it.each(routes)(
    "%s /api/projects/:id%s answers 404 for another user's project and 401 without a session",
    async (method, suffix, body) => {
      const { project } = await signedInWithProject();
      const intruder = new TestClient();
      await intruder.signUp();
      const foreign = await intruder.json(method, `/api/projects/${project.id}${suffix}`, body);
      expect(foreign.status).toBe(404);
      const anonymous = await new TestClient().json(method, `/api/projects/${project.id}${suffix}`, body);
      expect(anonymous.status).toBe(401);
    },
  );

  it("answers 404 for ids that are not UUIDs, and 401 on the collection without a session", async () => {
    const client = new TestClient();
    await client.signUp();
    expect((await client.fetch("/api/projects/not-a-uuid")).status).toBe(404);
    expect((await new TestClient().fetch("/api/projects")).status).toBe(401);
    expect((await new TestClient().json("POST", "/api/projects", { name: "x" })).status).toBe(401);
  });
});
