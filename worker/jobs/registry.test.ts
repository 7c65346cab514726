import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { getJob } from "../../db/queries/jobs";
import { jobs } from "../../db/schema";
import { testDatabase } from "../../test/helpers";
import { analyzeDeploymentJob } from "./analyze-deployment";
import { cleanupJob } from "./cleanup";
import { collectSampleJob } from "./collect-sample";
import { defineJob } from "./define";
import { webhookRetryDelaySeconds } from "./deliver-webhook";
import { enqueue, jobRow } from "./enqueue";
import { type JobType, jobBackoffs, jobHandlers, jobLanes } from "./registry";
import { retryDelaySeconds } from "./retry";
import { PermanentJobError } from "./types";

const { db, close } = testDatabase();
afterAll(() => close());

const claimed = (type: string, payload: Record<string, unknown>) => ({
  id: 0,
  type,
  payload,
  attempts: 1,
  maxAttempts: 3,
  tenantId: null,
});

describe("job rows", () => {
  const deploymentId = crypto.randomUUID();
  const runAt = new Date("2026-11-25T20:42:17Z");

  // Rows already in the table dedupe against these keys: they must not change.
  it("keep the type names, dedupe keys and attempts of the rows already queued", () => {
    expect(jobRow(collectSampleJob, { deploymentId, phase: "pre", sequence: 3 }, { runAt })).toEqual({
      type: "collect_sample",
      payload: { deploymentId, phase: "pre", sequence: 3 },
      runAt,
      dedupeKey: `collect:${deploymentId}:pre:3`,
      maxAttempts: 3,
    });
    expect(jobRow(analyzeDeploymentJob, { deploymentId }, { runAt })).toEqual({
      type: "analyze_deployment",
      payload: { deploymentId },
      runAt,
      dedupeKey: `analyze:${deploymentId}`,
      maxAttempts: 5,
    });
    expect(jobRow(cleanupJob, {}, { runAt })).toEqual({
      type: "cleanup",
      payload: {},
      runAt,
      dedupeKey: "cleanup:2026-11-25T20",
      maxAttempts: 3,
    });
    expect(jobRow(cleanupJob, {}, { runAt, tenantId: null }).tenantId).toBeNull();
  });

  it("are typed: a payload of the wrong shape, or a type not registered, does not compile", () => {
    // Never called: the compiler is this test's judge (`tsc` fails once a line stops being an error).
    const refused = [
      // @ts-expect-error phase and sequence are missing
      () => enqueue(db, collectSampleJob, { deploymentId }),
      // @ts-expect-error an analysis payload has no phase
      () => jobRow(analyzeDeploymentJob, { deploymentId, phase: "pre" }),
      // @ts-expect-error sequence is a number
      () => jobRow(collectSampleJob, { deploymentId, phase: "post", sequence: "1" }),
      () =>
        jobRow(
          // @ts-expect-error only registered job types build rows
          defineJob({
            type: "unregistered",
            payload: z.object({}),
            dedupeKey: () => "unregistered",
            retry: { maxAttempts: 1, backoff: retryDelaySeconds },
            lane: "database",
            handler: async () => {},
          }),
          {},
        ),
    ];
    expect(refused).toHaveLength(4);
    // @ts-expect-error not a registered name
    const misspelt: JobType = "collect_samples";
    const registered: JobType[] = [
      "analyze_deployment",
      "cleanup",
      "collect_sample",
      "deliver_webhook",
      "send_email",
    ];
    expect(Object.keys(jobHandlers).sort()).toEqual(registered);
    expect(registered).not.toContain(misspelt);
  });

  it("enqueue once per dedupe key", async () => {
    // An hour of the far future: never due, so no sweep of another test file runs it.
    const farAway = new Date("2999-01-01T05:30:00Z");
    const id = await enqueue(db, cleanupJob, {}, { runAt: farAway });
    expect(await enqueue(db, cleanupJob, {}, { runAt: new Date("2999-01-01T05:59:00Z") })).toBeNull();
    expect(await getJob(db, id!)).toMatchObject({
      type: "cleanup",
      dedupeKey: "cleanup:2999-01-01T05",
      maxAttempts: 3,
      status: "pending",
      runAt: farAway,
    });
    await db.delete(jobs).where(eq(jobs.id, id!));
  });
});

describe("the registry", () => {
  it("gives the sweeper each type's handler, lane and backoff", () => {
    expect(jobLanes).toEqual([
      ["analyze_deployment", "cleanup"],
      ["collect_sample", "deliver_webhook", "send_email"],
    ]);
    expect(Object.keys(jobBackoffs).sort()).toEqual([
      "analyze_deployment",
      "cleanup",
      "collect_sample",
      "deliver_webhook",
      "send_email",
    ]);
    for (const type of ["analyze_deployment", "cleanup", "collect_sample", "send_email"])
      expect(jobBackoffs[type]).toBe(retryDelaySeconds);
    expect(jobBackoffs.deliver_webhook).toBe(webhookRetryDelaySeconds);
    expect(jobHandlers.collect_sample).toBe(collectSampleJob.run);
  });

  it("checks payloads at claim time: a bad row fails for good without running", async () => {
    const now = new Date();
    await expect(
      analyzeDeploymentJob.run({
        db,
        env,
        now,
        job: claimed("analyze_deployment", { deploymentId: "nope" }),
      }),
    ).rejects.toSatisfy(
      (error) => error instanceof PermanentJobError && error.message === "invalid analyze_deployment payload",
    );
    const outcomes = await collectSampleJob.run.batch({
      db,
      env,
      now,
      deadline: Date.now() + 1000,
      jobs: [
        claimed("collect_sample", { deploymentId: crypto.randomUUID(), phase: "during", sequence: 0 }),
        // Valid, of a deployment that does not exist: skipped, which is a success.
        claimed("collect_sample", { deploymentId: crypto.randomUUID(), phase: "pre", sequence: 0 }),
        claimed("collect_sample", { deploymentId: crypto.randomUUID() }),
      ],
    });
    const invalid = { ok: false, permanent: true, error: "invalid collect_sample payload" };
    expect(outcomes).toEqual([invalid, { ok: true }, invalid]);
  });
});
