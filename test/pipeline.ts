import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { getLastSweep } from "../db/queries/scheduler";
import { deployments, metricSamples } from "../db/schema";
import worker from "../worker/index";
import type { TestClient } from "./client";
import { testDatabase, until } from "./helpers";
import type { AppResponse } from "./metrics-app";
import { projectWithActiveEndpoint } from "./projects";

const { db } = testDatabase();

export const MINUTE = 60_000;

export async function fireCron(at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

export interface Run {
  owner: TestClient;
  deploymentId: string;
  projectId: string;
}

/** Triggers, waits for the baseline, finishes, then fires the cron each minute until analyzed. */
export async function runDeployment(options: {
  window: number;
  responses: AppResponse[];
  hmac?: boolean;
  /** E.g. to add a webhook to the project before its first event. */
  beforeTrigger?: (ctx: { owner: TestClient; projectId: string }) => Promise<void>;
  afterTrigger?: (ctx: {
    app: { configure: (c: { secret?: string | null }) => Promise<void> };
  }) => Promise<void>;
}): Promise<Run> {
  const { app, owner, ci, secret, project } = await projectWithActiveEndpoint({
    observationWindowMinutes: options.window,
    hmac: options.hmac,
  });
  await app.configure({ responses: options.responses, secret });
  await options.beforeTrigger?.({ owner, projectId: project.id });
  const triggered = await ci.trigger({ env: "prod", branch: "main", commit_sha: "0a1b2c3d" });
  expect(triggered.status).toBe(200);
  const { deployment_id: deploymentId } = await triggered.json<{ deployment_id: string }>();
  await until(
    async () =>
      (await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, deploymentId)))[0],
    "the baseline sample",
  );
  await options.afterTrigger?.({ app });
  expect((await ci.finish(deploymentId)).status).toBe(200);
  const [row] = await db.select().from(deployments).where(eq(deployments.id, deploymentId));
  const finishedAt = row!.finishedAt!.getTime();
  for (let minute = 0; minute < options.window + 20; minute++) {
    await fireCron(finishedAt + minute * MINUTE + 1000);
    const [state] = await db
      .select({ state: deployments.state })
      .from(deployments)
      .where(eq(deployments.id, deploymentId));
    if (state?.state === "analyzed") break;
  }
  return { owner, deploymentId, projectId: project.id };
}

/**
 * Runs every job left due by earlier test files, at a time far beyond this file's own sweeps,
 * so those leftovers never fill the bounded batches this file's sweeps depend on.
 */
export async function drainLeftoverJobs(): Promise<void> {
  const farAhead = Date.now() + 24 * 60 * MINUTE;
  for (let i = 0; i < 20; i++) {
    await fireCron(farAhead + i * 10 * MINUTE);
    const sweep = await getLastSweep(db, "sweeper");
    if (!sweep || sweep.claimed === 0) return;
  }
}
