import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { healthy } from "../../test/metrics-app";
import { drainLeftoverJobs, runDeployment } from "../../test/pipeline";

// The event names of the earlier SeqPulse's logs (original-seqpulse.md §14.3) that dashboards
// and alerts were built on, emitted by a real deployment from trigger to verdict.

beforeAll(() => drainLeftoverJobs());
afterEach(() => vi.restoreAllMocks());

/** Every JSON line written while `work` runs, as parsed objects. */
async function linesDuring(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  for (const method of ["log", "warn", "error"] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      if (typeof args[0] === "string") lines.push(args[0]);
      original(...args);
    });
  }
  await work();
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe("structured log events", () => {
  it("names a deployment's life as §14.3 does, never with an endpoint URL or a key", async () => {
    let deploymentId = "";
    const lines = await linesDuring(async () => {
      const run = await runDeployment({
        window: 2,
        responses: [{ metrics: healthy }, { status: 503 }, { metrics: healthy }],
      });
      deploymentId = run.deploymentId;
    });
    const mine = lines.filter((line) => line.deploymentId === deploymentId);
    const events = new Set(mine.map((line) => line.message));
    for (const event of [
      "deployment_created",
      "deployment_finished",
      "metrics_collected",
      "deployment_analyzed",
    ]) {
      expect(events, event).toContain(event);
    }
    const failed = mine.find((line) => line.message === "metrics_fetch_failed");
    expect(failed).toMatchObject({ phase: "post", code: "ENDPOINT_HTTP_STATUS" });
    expect(
      lines.some((line) => line.message === "job_retry_scheduled" && line.type === "collect_sample"),
    ).toBe(true);
    const text = JSON.stringify(mine);
    expect(text).not.toContain("seqpulse-metrics");
    expect(text).not.toContain("http://");
    expect(text).not.toMatch(/\bsp_[A-Za-z0-9]/);
  });
});
