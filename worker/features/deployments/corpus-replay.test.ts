// A sample of the labelled corpus (worker/features/analysis/corpus) replayed through the product:
// a project per case, its endpoint a signed stand-in application answering the case's samples in
// order, trigger and finish from CI, a Cron Trigger fired each minute. It proves the path, not the
// judge: every value the application answered is stored as it was, and the stored verdict is the
// one the pure judge gives on those samples (an early rollback where `judgeEarly` concludes after a
// sample, the full judgement otherwise). CORPUS_REPLAY_CASES replays more (the bench uses it).
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { drainLeftoverJobs, runDeployment } from "../../../test/pipeline";
import { acceptable, type CorpusCase, generateCorpus, hashString } from "../analysis/corpus";
import { resolveJudge } from "../analysis/judge";
import { judgeEarly } from "../analysis/judges/robust";
import type { JudgeInput, MetricSample, VerdictLevel } from "../analysis/types";

const DEFAULT_CASES = 12;
const caseCount = Number(env.CORPUS_REPLAY_CASES) || DEFAULT_CASES;

/**
 * Report-half cases whose every sample arrives (the stand-in answers in order: a retry would shift
 * it), one of each family in turn, the families in an order fixed by their names' hash (so healthy,
 * bad and degraded families mix).
 */
function replayedCases(count: number): CorpusCase[] {
  const eligible = generateCorpus().filter(
    (entry) =>
      entry.half === "report" &&
      entry.input.post.length === entry.input.observationWindowMinutes &&
      entry.input.observationWindowMinutes <= 15,
  );
  const byFamily = new Map<string, CorpusCase[]>();
  for (const entry of eligible) byFamily.set(entry.family, [...(byFamily.get(entry.family) ?? []), entry]);
  const queues = [...byFamily.entries()]
    .sort(([a], [b]) => hashString(a) - hashString(b))
    .map(([, queue]) => queue);
  const picked: CorpusCase[] = [];
  for (let round = 0; picked.length < count && queues.some((queue) => queue.length > round); round++) {
    for (const queue of queues) {
      const entry = queue[round];
      if (entry && picked.length < count) picked.push(entry);
    }
  }
  return picked;
}

const asMetrics = (sample: MetricSample) => ({
  requests_per_sec: sample.requestsPerSec,
  latency_p95: sample.latencyP95,
  error_rate: sample.errorRate,
  cpu_usage: sample.cpuUsage,
  memory_usage: sample.memoryUsage,
});

interface StoredSample {
  phase: "pre" | "post";
  sequence: number;
  requestsPerSec: number;
  latencyP95: number;
  errorRate: number;
  cpuUsage: number;
  memoryUsage: number;
  collectedAt: string;
}

const metricSampleOf = (row: StoredSample): MetricSample => ({
  collectedAt: new Date(row.collectedAt),
  requestsPerSec: row.requestsPerSec,
  latencyP95: row.latencyP95,
  errorRate: row.errorRate,
  cpuUsage: row.cpuUsage,
  memoryUsage: row.memoryUsage,
});

/** What the pipeline is meant to decide from these samples: an early rollback, or the full judgement. */
function expectedVerdict(input: JudgeInput, early: boolean): VerdictLevel {
  if (early) return judgeEarly(input)?.verdict ?? "ok";
  return resolveJudge("robust").judge(input).verdict;
}

describe(`the corpus through the stack (${caseCount} cases)`, () => {
  beforeAll(drainLeftoverJobs, 120_000);
  const outcomes: Array<{ id: string; acceptable: boolean }> = [];

  it.each(replayedCases(caseCount).map((entry) => [entry.id, entry] as const))(
    "%s",
    async (_id, entry) => {
      const trigger = entry.input.pre[0] as MetricSample;
      const run = await runDeployment({
        window: entry.input.observationWindowMinutes,
        responses: [trigger, ...entry.input.post].map((sample) => ({ metrics: asMetrics(sample) })),
        hmac: true,
      });
      const detail = await (await run.owner.fetch(`/api/deployments/${run.deploymentId}`)).json<{
        deployment: {
          state: string;
          startedAt: string;
          analyzedAt: string;
          verdict: { verdict: VerdictLevel; early?: boolean } | null;
        };
      }>();
      const metrics = await (await run.owner.fetch(`/api/deployments/${run.deploymentId}/metrics`)).json<{
        pre: StoredSample[];
        post: StoredSample[];
      }>();
      expect(detail.deployment.state).toBe("analyzed");
      const verdict = detail.deployment.verdict;
      expect(verdict).not.toBeNull();

      // Every value as the application answered it, in order.
      const stored = [...metrics.pre, ...metrics.post].map((row) => asMetrics(metricSampleOf(row)));
      const answered = [trigger, ...entry.input.post].map(asMetrics);
      expect(stored).toEqual(answered.slice(0, stored.length));
      expect(metrics.pre).toHaveLength(1);
      if (!verdict?.early) expect(metrics.post).toHaveLength(entry.input.post.length);

      const input: JudgeInput = {
        pre: metrics.pre.map(metricSampleOf),
        post: metrics.post.map(metricSampleOf),
        analyzedAt: new Date(detail.deployment.analyzedAt),
        observationWindowMinutes: entry.input.observationWindowMinutes,
        triggeredAt: new Date(detail.deployment.startedAt),
        history: [],
        settings: {},
      };
      expect(verdict?.verdict).toBe(expectedVerdict(input, verdict?.early === true));
      outcomes.push({
        id: entry.id,
        acceptable: acceptable(entry.label, {
          ...resolveJudge("robust").judge(input),
          verdict: verdict!.verdict,
        }).acceptable,
      });
    },
    120_000,
  );

  it("reports how the replayed verdicts fared against their labels", () => {
    const right = outcomes.filter((outcome) => outcome.acceptable).length;
    console.info(
      JSON.stringify({
        corpusReplay: { cases: outcomes.length, acceptable: right, ids: outcomes.map((o) => o.id) },
      }),
    );
    expect(outcomes.length).toBe(replayedCases(caseCount).length);
  });
});
