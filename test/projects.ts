import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { ProjectPlan } from "../worker/features/plans/limits";
import { planLimits } from "../worker/features/plans/limits";
import { TestClient } from "./client";
import { request } from "./helpers";
import { healthy, StandInApp } from "./metrics-app";

/**
 * A signed-in owner with a project whose metrics endpoint (the stand-in application) is tested
 * and active, plus a CI client holding its API key.
 */
export async function projectWithActiveEndpoint(
  options: { envs?: string[]; observationWindowMinutes?: number; hmac?: boolean; plan?: ProjectPlan } = {},
) {
  const app = new StandInApp();
  await app.configure({ responses: [{ metrics: healthy }] });
  const owner = new TestClient();
  await owner.signUp();
  const envs = options.envs ?? ["prod"];
  const observationWindowMinutes = options.observationWindowMinutes ?? 5;
  const plan = options.plan ?? planFor({ envs, observationWindowMinutes });
  const created = await owner.json("POST", "/api/projects", {
    name: `Service ${app.name}`,
    ...(plan === "free" ? { envs, observationWindowMinutes } : {}),
    metricsEndpoint: app.endpoint,
  });
  expect(created.status).toBe(201);
  const { project, apiKey } = await created.json<{ project: { id: string; name: string }; apiKey: string }>();
  if (plan !== "free") {
    await setPlan(project.id, plan);
    const updated = await owner.json("PATCH", `/api/projects/${project.id}`, {
      envs,
      observationWindowMinutes,
    });
    expect(updated.status).toBe(200);
  }
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

/** The smallest plan that allows these settings (new projects start free). */
export function planFor(settings: { envs: string[]; observationWindowMinutes: number }): ProjectPlan {
  const free = planLimits.free;
  const fitsFree =
    settings.envs.length <= free.maxEnvs &&
    settings.envs.every((name) => name === free.forcedEnv) &&
    settings.observationWindowMinutes <= free.maxObservationWindowMinutes;
  return fitsFree ? "free" : "pro";
}

/** What an operator does (`npm run admin -- plan <project> <plan>`). */
export async function setPlan(projectId: string, plan: ProjectPlan): Promise<void> {
  const response = await request(`/api/admin/projects/${projectId}/plan`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${env.OPERATOR_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ plan }),
  });
  expect(response.status).toBe(200);
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
