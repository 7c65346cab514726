import type { Database } from "../../../db/client";
import { verdictMailFacts } from "../../../db/queries/email";
import type { JobRow } from "../../jobs/enqueue";
import { emailJobRow } from "./queue";

/** The verdicts that alert the project's owner (a data-quality-blocked "ok" is a warning too). */
const CRITICAL_VERDICTS: ReadonlySet<string> = new Set(["warning", "rollback_recommended"]);

export interface VerdictEmailJobs {
  /** Queued with the verdict: the critical-verdict alert, if the verdict is one. */
  always: JobRow[];
  /** Queued with the verdict only when it is the project's first. */
  ifFirstVerdict: JobRow[];
}

/**
 * The mail a verdict may cause, as job rows to store in the verdict's own transaction
 * (db/queries/verdicts.ts `storeVerdict`), so a verdict never exists without its mail queued
 * nor a mail without its verdict. Dedupe keys as the original's (§12.1.1).
 */
export async function verdictEmailJobs(
  db: Database,
  params: { deploymentId: string; verdict: string; now: Date },
): Promise<VerdictEmailJobs> {
  const facts = await verdictMailFacts(db, params.deploymentId);
  if (!facts) return { always: [], ifFirstVerdict: [] };
  const context = {
    project_id: facts.projectId,
    project_name: facts.projectName,
    deployment_id: params.deploymentId,
    deployment_number: facts.number,
    env: facts.env,
    verdict: params.verdict,
  };
  const base = { userId: facts.ownerId, projectId: facts.projectId, context };
  const always = CRITICAL_VERDICTS.has(params.verdict)
    ? [
        emailJobRow(
          { ...base, type: "critical_verdict", dedupeKey: `critical_verdict_alert:${params.deploymentId}` },
          params.now,
        ),
      ]
    : [];
  const first = emailJobRow(
    { ...base, type: "first_verdict", dedupeKey: `first_verdict_available:${facts.projectId}` },
    params.now,
  );
  return { always, ifFirstVerdict: [first] };
}
