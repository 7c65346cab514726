// Looking back at verdicts: what another judge or setting would say about a deployment from its
// stored samples (rejudge), the same over a project's recent deployments (backtest), and what
// people answered when asked whether a verdict was right (feedback). Nothing here stores a verdict.
import type { Database } from "../../../db/client";
import type { VerdictFeedbackCount } from "../../../db/queries/feedback";
import type { DeploymentState } from "../../../db/schema";
import type { Judge } from "../analysis/judge";
import type { JudgeInput, JudgeSettings, Verdict, VerdictLevel } from "../analysis/types";
import { type JudgedDeployment, judgeInputOf } from "../deployments/judge-input";

/** Deployments whose input is read at once during a backtest (a Worker holds at most 6 connections). */
const BACKTEST_CONCURRENCY = 4;

/**
 * Whether a judge has anything to read: an analyzed deployment (judged once, whatever its samples),
 * or a finished one with POST samples already. Running, cancelled and expired deployments have
 * none: their observation never started.
 */
export function isJudgeable(state: DeploymentState, postSamples: number): boolean {
  if (state === "analyzed") return true;
  return state === "finished" && postSamples > 0;
}

/**
 * The time a replay judges "at". The stored analysis time, so data-quality checks (freshness of the
 * last sample, samples in the future) see what the analysis saw and an old deployment does not turn
 * stale just because it is replayed months later; `now` for a deployment not analyzed yet (what an
 * analysis would see now). Never before the latest sample: a sample kept after an early verdict must
 * not read as one from the future.
 */
export function replayTimeOf(
  analyzedAt: Date | null,
  input: Pick<JudgeInput, "pre" | "post">,
  now: Date,
): Date {
  const reference = analyzedAt ?? now;
  const latest = Math.max(
    reference.getTime(),
    ...[...input.pre, ...input.post].map((sample) => sample.collectedAt.getTime()).filter(Number.isFinite),
  );
  return new Date(latest);
}

export interface Replay {
  /** The time the judge judged at (see replayTimeOf). */
  analyzedAt: Date;
  result: Verdict;
}

/** What `judge` with `settings` says about the deployment from its stored samples. Stores nothing. */
export async function replayDeployment(
  db: Database,
  deployment: JudgedDeployment & { analyzedAt: Date | null },
  judge: Judge,
  settings: JudgeSettings,
  now: Date,
): Promise<Replay> {
  const input = await judgeInputOf(db, deployment, settings, deployment.analyzedAt ?? now);
  input.analyzedAt = replayTimeOf(deployment.analyzedAt, input, now);
  return { analyzedAt: input.analyzedAt, result: judge.judge(input) };
}

export interface StoredOutcome {
  verdict: VerdictLevel;
  confidence: number;
  judge: string;
}

export interface BacktestItem {
  id: string;
  number: number;
  stored: StoredOutcome;
  replayed: { verdict: VerdictLevel; confidence: number };
  /** The replayed verdict differs from the stored one (a confidence change alone is not a change). */
  changed: boolean;
}

export interface BacktestSummary {
  total: number;
  changed: number;
  /** Changed verdicts only, by `"<stored>-><replayed>"`, e.g. `"warning->ok"`. */
  byTransition: Record<string, number>;
}

export function transitionOf(stored: VerdictLevel, replayed: VerdictLevel): string {
  return `${stored}->${replayed}`;
}

export function summarizeBacktest(items: BacktestItem[]): BacktestSummary {
  const byTransition: Record<string, number> = {};
  for (const item of items) {
    if (!item.changed) continue;
    const key = transitionOf(item.stored.verdict, item.replayed.verdict);
    byTransition[key] = (byTransition[key] ?? 0) + 1;
  }
  return { total: items.length, changed: items.filter((item) => item.changed).length, byTransition };
}

export type BacktestDeployment = JudgedDeployment & {
  number: number;
  analyzedAt: Date | null;
  verdict: VerdictLevel;
  confidence: number;
  judge: string;
};

/** Replays each deployment, a few at a time, keeping their order. */
export async function backtestDeployments(
  db: Database,
  deployments: BacktestDeployment[],
  judge: Judge,
  settings: JudgeSettings,
  now: Date,
): Promise<BacktestItem[]> {
  const items: BacktestItem[] = [];
  for (let start = 0; start < deployments.length; start += BACKTEST_CONCURRENCY) {
    const batch = deployments.slice(start, start + BACKTEST_CONCURRENCY);
    const replays = await Promise.all(
      batch.map((deployment) => replayDeployment(db, deployment, judge, settings, now)),
    );
    batch.forEach((deployment, index) => {
      const replayed = (replays[index] as Replay).result;
      items.push({
        id: deployment.id,
        number: deployment.number,
        stored: { verdict: deployment.verdict, confidence: deployment.confidence, judge: deployment.judge },
        replayed: { verdict: replayed.verdict, confidence: replayed.confidence },
        changed: replayed.verdict !== deployment.verdict,
      });
    });
  }
  return items;
}

export interface FeedbackCounts {
  analyzed: number;
  marked: number;
  markedCorrect: number;
}

export interface VerdictStats extends FeedbackCounts {
  byVerdict: Record<VerdictLevel, FeedbackCounts>;
}

/** Totals and per-verdict counts; a verdict value the project never had counts zeros. */
export function verdictStatsOf(rows: VerdictFeedbackCount[]): VerdictStats {
  const zero = (): FeedbackCounts => ({ analyzed: 0, marked: 0, markedCorrect: 0 });
  const byVerdict: Record<VerdictLevel, FeedbackCounts> = {
    ok: zero(),
    warning: zero(),
    rollback_recommended: zero(),
  };
  const total = zero();
  for (const row of rows) {
    const bucket = byVerdict[row.verdict];
    for (const key of ["analyzed", "marked", "markedCorrect"] as const) {
      bucket[key] += row[key];
      total[key] += row[key];
    }
  }
  return { ...total, byVerdict };
}
