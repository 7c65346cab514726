import { expect } from "vitest";
import { TestClient } from "./client";
import { healthy, StandInApp } from "./metrics-app";

/**
 * A signed-in owner with a project whose metrics endpoint (the stand-in application) is tested
 * and active, plus a CI client holding its API key.
 */
export async function projectWithActiveEndpoint(
  options: { envs?: string[]; observationWindowMinutes?: number; hmac?: boolean } = {},
) {
  const app = new StandInApp();
  await app.configure({ responses: [{ metrics: healthy }] });
  const owner = new TestClient();
  await owner.signUp();
  const created = await owner.json("POST", "/api/projects", {
    name: `Service ${app.name}`,
    envs: options.envs ?? ["prod"],
    observationWindowMinutes: options.observationWindowMinutes ?? 5,
    metricsEndpoint: app.endpoint,
  });
  expect(created.status).toBe(201);
  const { project, apiKey } = await created.json<{ project: { id: string; name: string }; apiKey: string }>();
  let secret: string | null = null;
  if (options.hmac) {
    secret = (
      await (await owner.json("POST", `/api/projects/${project.id}/hmac/enable`)).json<{ secret: string }>()
    ).secret;
    await app.configure({ secret });
  }
  const tested = await owner.json("POST", `/api/projects/${project.id}/endpoint/test`);
  expect(tested.status).toBe(200);
  const ci = new CiClient(apiKey);
  return { app, owner, project, apiKey, ci, secret };
}

/** What a pipeline does: JSON with X-API-Key, no cookies, no browser headers. */
export class CiClient {
  constructor(
    readonly apiKey: string,
    readonly client = new TestClient(),
  ) {}

  post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return this.client.fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-Key": this.apiKey, ...headers },
      body: JSON.stringify(body),
    });
  }

  trigger(body: Record<string, unknown> = { env: "prod" }, headers: Record<string, string> = {}) {
    return this.post("/deployments/trigger", body, headers);
  }

  finish(deploymentId: string, result: "success" | "failed" = "success") {
    return this.post("/deployments/finish", { deployment_id: deploymentId, result });
  }
}
