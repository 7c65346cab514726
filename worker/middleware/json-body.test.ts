import { beforeAll, describe, expect, it } from "vitest";
import { errorOf } from "../../test/helpers";
import { type CiClient, projectWithActiveEndpoint } from "../../test/projects";

describe("content type on the CI endpoints", () => {
  let ci: CiClient;
  beforeAll(async () => {
    ci = (await projectWithActiveEndpoint({ envs: ["prod", "staging"] })).ci;
  });

  it("a form-typed body (curl -d without -H) is a 415 saying what to send", async () => {
    const response = await ci.client.fetch("/deployments/trigger", {
      method: "POST",
      headers: { "X-API-Key": ci.apiKey, "Content-Type": "application/x-www-form-urlencoded" },
      body: JSON.stringify({ env: "prod" }),
    });
    expect(response.status).toBe(415);
    const error = await errorOf(response);
    expect(error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(error.message).toBe("Send the body as JSON with Content-Type: application/json.");
  });

  it("an untyped JSON body is read as JSON, as the earlier SeqPulse did", async () => {
    const body = new TextEncoder().encode(JSON.stringify({ env: "staging" }));
    const response = await ci.client.fetch("/deployments/trigger", {
      method: "POST",
      headers: { "X-API-Key": ci.apiKey },
      body,
    });
    expect(response.status).toBe(200);
    expect((await response.json<{ status: string }>()).status).toBe("created");
  });

  it("the /api twin asks for JSON the same way", async () => {
    const response = await ci.client.fetch("/api/deployments/trigger", {
      method: "POST",
      headers: { "X-API-Key": ci.apiKey, "Content-Type": "text/plain" },
      body: JSON.stringify({ env: "prod" }),
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).message).toBe(
      "Send the body as JSON with Content-Type: application/json.",
    );
  });
});
