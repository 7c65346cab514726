import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { TestClient } from "../../test/client";
import { errorOf, fetchApp, request, uniqueClientIp } from "../../test/helpers";
import { type CiClient, projectWithActiveEndpoint } from "../../test/projects";

describe("NUL characters", () => {
  let owner: TestClient;
  let ci: CiClient;
  let projectId: string;

  beforeAll(async () => {
    const project = await projectWithActiveEndpoint();
    owner = project.owner;
    ci = project.ci;
    projectId = project.project.id;
  });

  async function expectRefused(response: Response) {
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe("VALIDATION_FAILED");
  }

  it("in the session cookie, on any /api route, login included", async () => {
    for (const path of ["/api/auth/me", "/api/projects"]) {
      await expectRefused(await request(path, { headers: { Cookie: "seqpulse_session=a%00b.c" } }));
    }
    await expectRefused(
      await request("/api/auth/login", {
        method: "POST",
        headers: { Cookie: "seqpulse_session=a%00b.c", "Content-Type": "application/json" },
        body: JSON.stringify({ email: "a@example.com", password: "whatever-it-is" }),
      }),
    );
  });

  it("in JSON strings, escaped or raw, and in keys", async () => {
    await expectRefused(await owner.json("POST", "/api/projects", { name: "a\u0000b", envs: ["prod"] }));
    await expectRefused(await owner.json("PATCH", `/api/projects/${projectId}`, { description: "\u0000" }));
    await expectRefused(
      await owner.fetch("/api/projects", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: '{"name":"raw\u0000nul","envs":["prod"]}',
      }),
    );
    await expectRefused(await owner.json("PATCH", "/api/auth/me", { "na\u0000me": "x" }));
    for (const body of [
      { env: "prod", branch: "ma\u0000in" },
      { env: "prod", commit_sha: "\u0000" },
      { env: "prod", idempotency_key: "k\u0000" },
      { env: "pr\u0000od" },
    ]) {
      await expectRefused(await ci.trigger(body));
    }
  });

  it("but not the text \\u0000 (an escaped backslash)", async () => {
    const response = await owner.json("POST", "/api/projects", { name: "literally \\u0000", envs: ["prod"] });
    expect(response.status).toBe(201);
  });

  it("in query parameters and path ids", async () => {
    await expectRefused(await owner.fetch("/api/deployments?q=a%00b"));
    await expectRefused(await owner.fetch("/api/deployments?env=%00"));
    await expectRefused(await owner.fetch("/api/deployments/%00"));
    await expectRefused(await owner.fetch("/api/auth/sessions/ab%00cd", { method: "DELETE" }));
    await expectRefused(await owner.fetch("/api/projects/a%00/endpoint"));
  });

  it("in the idempotency key header", async () => {
    // Headers cannot carry a raw NUL; the header's percent form is plain text and is accepted.
    const response = await ci.trigger({ env: "prod" }, { "X-Idempotency-Key": "gh-%00-1" });
    expect(response.status).toBeLessThan(500);
  });
});

describe("malformed credentials are a plain 401, without touching the database", () => {
  // The real app with a database nobody listens on: any query would make a 500.
  async function withoutDatabase(path: string, init: RequestInit = {}) {
    const ctx = createExecutionContext();
    const headers = new Headers(init.headers);
    headers.set("CF-Connecting-IP", uniqueClientIp());
    const response = await fetchApp(
      new Request(new URL(path, "http://seqpulse.test"), { ...init, headers }),
      { ...env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/postgres" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  }

  it.each([
    ["a session cookie outside the token alphabet", { Cookie: "seqpulse_session=NOT-OURS!.secret" }],
    ["a session cookie with a third part", { Cookie: "seqpulse_session=abc.def.ghi" }],
    ["a bearer session token outside the alphabet", { Authorization: "Bearer abc$.def" }],
    ["a personal API token of the wrong shape", { Authorization: "Bearer spt_ABC_!!" }],
    ["a personal API token without a secret", { Authorization: "Bearer spt_abcdef" }],
  ])("%s", async (_, headers) => {
    const response = await withoutDatabase("/api/auth/me", { headers });
    expect(response.status).toBe(401);
  });

  it("a sign-in challenge cookie outside the token alphabet", async () => {
    const response = await withoutDatabase("/api/auth/2fa/verify", {
      method: "POST",
      headers: { Cookie: "seqpulse_2fa=NOT-OURS!.secret", "Content-Type": "application/json" },
      body: JSON.stringify({ code: "123456" }),
    });
    expect(response.status).toBe(401);
  });

  it.each([
    ["sp_short"],
    ["sp_has spaces in it and more"],
    [`sp_${"é".repeat(43)}`],
    ["SP_0123456789abcdef"],
  ])("a project key %s", async (key) => {
    const response = await withoutDatabase("/deployments/trigger", {
      method: "POST",
      headers: { "X-API-Key": key, "Content-Type": "application/json" },
      body: JSON.stringify({ env: "prod" }),
    });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe("UNAUTHENTICATED");
  });
});
