// When a verdict is made, and what is stored with it.
//
// Sweeps run once a minute; collection comes after analysis in each (jobs/index.ts lanes). So:
//   - the sweep that stores a window's last POST sample (or sees its collection fail for good)
//     judges the deployment right after its collection batch, in the same sweep;
//   - the analysis job is a backstop due at the window's end: if a POST sample is due or being
//     collected in that sweep, it waits until LAST_SAMPLE_WAIT_MS past the end, and the
//     collection lane of the same sweep judges once that sample is tried, stored or not (the
//     window is over and every slot was tried); otherwise, and in any case from then on, it
//     judges what is there;
//   - after each POST sample of a window still running, a project on the robust judge may get an
//     early rollback verdict when the evidence is overwhelming (`judgeEarly`); collection then
//     stops (it skips analyzed deployments) and the backstop finds the verdict stored.
// storeVerdict keeps the first verdict stored: two sweeps, or an early and a full analysis racing,
// never store two.
import type { Database } from "../../../db/client";
import { findDeploymentById } from "../../../db/queries/deployments";
import { findProjectById } from "../../../db/queries/projects";
import {
  countPostSamplesInCollection,
  findDeploymentsAwaitingVerdict,
  storeVerdict,
} from "../../../db/queries/verdicts";
import { forEachConcurrently } from "../../lib/concurrency";
import { describeError, log } from "../../lib/log";
import { type Judge, resolveJudge, shadowJudgeOf } from "../analysis/judge";
import { judgeEarly, robustJudge } from "../analysis/judges/robust";
import type { JudgeInput, ShadowVerdict, Verdict } from "../analysis/types";
import { verdictEmailJobs } from "../email/verdict-emails";
import { planWebhookEvent } from "../webhooks/events";
import { LAST_SAMPLE_WAIT_MS, postSampleJobKeys, SAMPLE_INTERVAL_MS } from "./deployments";
import { type JudgedDeployment, judgeInputOf, judgeInputsOf, judgeSettingsOf } from "./judge-input";

export type AnalyzeOutcome =
  | { status: "stored"; verdict: string; early: boolean }
  /** An early look found nothing overwhelming: the window goes on. */
  | { status: "already-analyzed" | "skipped" | "inconclusive" }
  | { status: "waiting"; until: Date };

/** A finished deployment and its project's choice of judge. */
interface Judgeable extends JudgedDeployment {
  judge: string | null | undefined;
  judgeSettings: unknown;
}

/** When the observation window closes: `window` minutes after the finish. */
export function windowEndOf(deployment: { finishedAt: Date; observationWindowMinutes: number }): number {
  return deployment.finishedAt.getTime() + deployment.observationWindowMinutes * SAMPLE_INTERVAL_MS;
}

/** Whether a project's deployments may get an early verdict: those on the robust judge only. */
export function judgesEarly(judge: Judge): boolean {
  return judge.name === robustJudge.name;
}

/**
 * The analysis job (the backstop): judges a finished deployment from its samples and stores the
 * verdict and hints once. Waits, at most until LAST_SAMPLE_WAIT_MS past the window's end, while
 * one of its POST samples is due or being collected.
 */
export async function analyzeDeployment(
  db: Database,
  deploymentId: string,
  now: Date,
): Promise<AnalyzeOutcome> {
  const deployment = await findDeploymentById(db, deploymentId);
  if (!deployment) return { status: "skipped" };
  if (deployment.state === "analyzed") return { status: "already-analyzed" };
  if (deployment.state !== "finished" || !deployment.finishedAt) return { status: "skipped" };

  const waitUntil = windowEndOf({ ...deployment, finishedAt: deployment.finishedAt }) + LAST_SAMPLE_WAIT_MS;
  if (
    now.getTime() < waitUntil &&
    (await countPostSamplesInCollection(db, {
      keys: postSampleJobKeys(deployment.id, deployment.observationWindowMinutes),
      now,
    })) > 0
  ) {
    return { status: "waiting", until: new Date(waitUntil) };
  }

  const project = await findProjectById(db, deployment.projectId);
  return judgeAndStore(
    db,
    { ...deployment, judge: project?.judge, judgeSettings: project?.judgeSettings },
    now,
    "full",
  );
}

/** A collection request and what became of it, as the collection batch returns them. */
export interface CollectedSlot {
  deploymentId: string;
  phase: "pre" | "post";
}

/**
 * Called once at the end of a collection batch with its requests and outcomes (same order). For
 * each finished deployment a POST sample of the batch was stored or failed for: the full
 * analysis when every POST slot is settled, or the window is over and every slot was tried;
 * otherwise (a sample was stored) an early look for projects on the robust judge. Never throws:
 * a failure here leaves the verdict to the analysis job and must not fail the samples just
 * stored.
 */
export async function afterPostSamples(
  db: Database,
  slots: readonly CollectedSlot[],
  outcomes: readonly { status: string }[],
  now: Date,
): Promise<void> {
  const storedFor = new Set<string>();
  const touched = new Set<string>();
  slots.forEach((slot, index) => {
    const status = outcomes[index]?.status;
    if (slot.phase !== "post" || (status !== "stored" && status !== "failed")) return;
    touched.add(slot.deploymentId);
    if (status === "stored") storedFor.add(slot.deploymentId);
  });
  if (touched.size === 0) return;
  try {
    const awaiting = await findDeploymentsAwaitingVerdict(db, [...touched]);
    const looks = awaiting.flatMap((row) => {
      if (!row.finishedAt) return [];
      // Every slot settled; or the window is over and every slot was tried at least once (a
      // retry still to come would only hold the verdict: what is missing lowers data quality).
      const complete =
        row.settledPostSlots >= row.observationWindowMinutes ||
        (now.getTime() >= windowEndOf({ ...row, finishedAt: row.finishedAt }) &&
          row.attemptedPostSlots >= row.observationWindowMinutes);
      if (!complete && !(storedFor.has(row.id) && judgesEarly(resolveJudge(row.judge)))) return [];
      return [{ row, mode: complete ? ("full" as const) : ("early" as const) }];
    });
    if (looks.length === 0) return;
    // The inputs of every deployment looked at, in two queries for the whole batch.
    const inputs = await judgeInputsOf(
      db,
      looks.map(({ row }) => ({ deployment: row, settings: judgeSettingsOf(row.judgeSettings) })),
      now,
    );
    // Two at a time: the sweep's database pool holds two connections (worker/index.ts).
    await forEachConcurrently(
      looks.map((look, index) => ({ ...look, input: inputs[index] })),
      2,
      async ({ row, mode, input }) => {
        try {
          await judgeAndStore(db, row, now, mode, input);
        } catch (error) {
          log("error", "analysis after samples failed", { deploymentId: row.id, ...describeError(error) });
        }
      },
    );
  } catch (error) {
    log("error", "analysis after samples failed", describeError(error));
  }
}

/**
 * Runs the project's judge (the full one, or its early look) and the other judge as a shadow on
 * the same input, and stores the verdict with its settings, once.
 */
async function judgeAndStore(
  db: Database,
  target: Judgeable,
  now: Date,
  mode: "full" | "early",
  /** Built already for a batch (with the same settings); else read here. */
  prepared?: JudgeInput,
): Promise<AnalyzeOutcome> {
  const judge = resolveJudge(target.judge);
  const settings = judgeSettingsOf(target.judgeSettings);
  const input = prepared ?? (await judgeInputOf(db, target, settings, now));
  const result = mode === "early" ? (judgesEarly(judge) ? judgeEarly(input) : null) : judge.judge(input);
  const early = mode === "early";
  // An early look only ever concludes a rollback: `ok` waits for the whole window.
  if (!result || (early && result.verdict !== "rollback_recommended")) return { status: "inconclusive" };
  const verdictEvent = await planWebhookEvent(db, {
    event: "deployment.verdict",
    projectId: target.projectId,
    data: async () => {
      const deployment = await findDeploymentById(db, target.id);
      if (!deployment) return null;
      const { verdict, confidence, summary } = result;
      const data = { deployment_id: target.id, project_id: target.projectId, env: deployment.env };
      return { ...data, state: "analyzed", verdict, confidence, summary: summary.text };
    },
    now,
  });
  const stored = await storeVerdict(
    db,
    {
      deploymentId: target.id,
      judge: judge.name,
      judgeVersion: judge.version,
      verdict: result.verdict,
      confidence: result.confidence,
      summary: result.summary,
      details: result.details,
      dataQuality: result.dataQuality,
      audit: result.audit,
      settings,
      early,
      shadow: shadowVerdictOf(shadowJudgeOf(judge), input, target.id),
      createdAt: now,
    },
    hintRowsOf(result, now),
    now,
    verdictEvent,
    await verdictEmailJobs(db, { deploymentId: target.id, verdict: result.verdict, now }),
  );
  return stored ? { status: "stored", verdict: result.verdict, early } : { status: "already-analyzed" };
}

/** What the shadow judge says about the same input; null (logged) if it fails, never the verdict lost. */
export function shadowVerdictOf(
  shadow: Judge,
  input: JudgeInput,
  deploymentId: string,
): ShadowVerdict | null {
  try {
    const result = shadow.judge(input);
    return {
      judge: shadow.name,
      judgeVersion: shadow.version,
      verdict: result.verdict,
      confidence: result.confidence,
      summary: result.summary,
    };
  } catch (error) {
    log("error", "shadow judge failed", { deploymentId, judge: shadow.name, ...describeError(error) });
    return null;
  }
}

function hintRowsOf(result: Verdict, now: Date) {
  return result.hints.map((hint) => ({
    metric: hint.metric,
    code: hint.code,
    severity: hint.severity,
    confidence: hint.confidence,
    title: hint.title,
    diagnosis: hint.diagnosis,
    suggestedActions: hint.suggestedActions,
    observedValue: hint.observedValue,
    threshold: hint.threshold,
    evidence: { rule: hint.rule, ...hint.evidence },
    createdAt: now,
  }));
}
