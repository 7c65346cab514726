import { and, asc, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { baselineSamples, deployments, projects } from "../schema";

/** A project whose continuous-baseline sample this run has claimed. */
export interface BaselineClaim {
  projectId: string;
  ownerId: string;
  metricsEndpoint: string;
  /** When it was due before the claim moved it (null: never sampled), to give it back. */
  previousDueAt: Date | null;
  /** When the claim made it due next: a release only undoes its own claim. */
  nextDueAt: Date;
  project: {
    id: string;
    hmacEnabled: boolean;
    hmacSecretEncrypted: string | null;
    hmacPreviousSecretEncrypted: string | null;
    hmacPreviousValidUntil: Date | null;
    collectionBackoffUntil: Date | null;
  };
}

/**
 * A deployment finished this long ago and still not judged has lost its analysis (dead job):
 * it no longer keeps its project out of the continuous baseline.
 */
const UNJUDGED_FINISH_IGNORED_AFTER = "3 hours";

/**
 * Claims, in one statement, up to `limit` projects whose continuous-baseline sample is due, and
 * moves each one's due time a full interval past `now` whatever the sample's fate: a dead
 * endpoint is tried once per interval, never every minute, and two overlapping runs never take
 * the same project (the row lock skips what another run holds; the due time, rechecked on the
 * locked row, excludes what it has just taken).
 *
 * Due: an active endpoint, an interval (baseline on), `baseline_due_at` null (never sampled, e.g.
 * an endpoint just activated) or past, no collection backoff in force, and no deployment of the
 * project running or finished and waiting for its verdict: that deployment samples the endpoint
 * already, and an idle sample taken during a rollout would not be a baseline.
 *
 * Fair between accounts: due projects are ranked within their owner (longest due first) and
 * taken rank by rank, at most `perOwnerLimit` per owner.
 */
export async function claimDueBaselines(
  db: Database,
  params: { now: Date; limit: number; perOwnerLimit: number },
): Promise<BaselineClaim[]> {
  if (params.limit <= 0) return [];
  const now = sql`${params.now.toISOString()}::timestamptz`;
  const isDue = (alias: string) => {
    const p = sql.identifier(alias);
    return sql`(
      ${p}.baseline_interval_minutes > 0 and ${p}.endpoint_state = 'active'
      and ${p}.metrics_endpoint_active is not null
      and (${p}.baseline_due_at is null or ${p}.baseline_due_at <= ${now})
      and (${p}.collection_backoff_until is null or ${p}.collection_backoff_until <= ${now})
      and not exists (
        select 1 from ${deployments} d
        where d.project_id = ${p}.id
          and ((d.state = 'running' and d.expires_at > ${now})
            or (d.state = 'finished' and d.finished_at > ${now} - ${UNJUDGED_FINISH_IGNORED_AFTER}::interval))))`;
  };
  const result = await db.execute<{
    id: string;
    owner_id: string;
    metrics_endpoint_active: string;
    previous_due_at: string | Date | null;
    baseline_due_at: string | Date;
    hmac_enabled: boolean;
    hmac_secret_encrypted: string | null;
    hmac_previous_secret_encrypted: string | null;
    hmac_previous_valid_until: string | Date | null;
    collection_backoff_until: string | Date | null;
  }>(sql`
    with ranked as (
      select p.id, p.baseline_due_at,
        row_number() over (partition by p.owner_id order by p.baseline_due_at nulls first, p.id) as turn
      from ${projects} p
      where ${isDue("p")}
    ),
    chosen as (
      select q.id, ranked.baseline_due_at as previous_due_at
      from ${projects} q join ranked on ranked.id = q.id
      where ranked.turn <= ${params.perOwnerLimit} and ${isDue("q")}
      order by ranked.turn, ranked.baseline_due_at nulls first, q.id
      limit ${params.limit}
      for update of q skip locked
    )
    update ${projects} set
      baseline_due_at = ${now} + make_interval(mins => ${projects.baselineIntervalMinutes})
    from chosen
    where ${projects.id} = chosen.id
    returning ${projects.id}, ${projects.ownerId}, ${projects.metricsEndpointActive}, chosen.previous_due_at,
      ${projects.baselineDueAt}, ${projects.hmacEnabled}, ${projects.hmacSecretEncrypted},
      ${projects.hmacPreviousSecretEncrypted}, ${projects.hmacPreviousValidUntil},
      ${projects.collectionBackoffUntil}`);
  const date = (value: string | Date | null) => (value === null ? null : new Date(value));
  return result.rows.map((row) => ({
    projectId: row.id,
    ownerId: row.owner_id,
    metricsEndpoint: row.metrics_endpoint_active,
    previousDueAt: date(row.previous_due_at),
    nextDueAt: new Date(row.baseline_due_at),
    project: {
      id: row.id,
      hmacEnabled: row.hmac_enabled,
      hmacSecretEncrypted: row.hmac_secret_encrypted,
      hmacPreviousSecretEncrypted: row.hmac_previous_secret_encrypted,
      hmacPreviousValidUntil: date(row.hmac_previous_valid_until),
      collectionBackoffUntil: date(row.collection_backoff_until),
    },
  }));
}

/**
 * Gives back claims this run could not start (its time ran out): each project is due again as
 * before, unless something else (a newer claim, a settings change) has moved it since.
 */
export async function releaseBaselineClaims(db: Database, claims: BaselineClaim[]): Promise<void> {
  if (claims.length === 0) return;
  const values = sql.join(
    claims.map(
      (c) =>
        sql`(${c.projectId}::uuid, ${c.previousDueAt?.toISOString() ?? null}::timestamptz, ${c.nextDueAt.toISOString()}::timestamptz)`,
    ),
    sql`, `,
  );
  await db.execute(sql`
    update ${projects} set baseline_due_at = r.previous
    from (values ${values}) as r (id, previous, claimed)
    where ${projects.id} = r.id and ${projects.baselineDueAt} = r.claimed`);
}

export type NewBaselineSample = typeof baselineSamples.$inferInsert;

export async function insertBaselineSamples(db: Database, samples: NewBaselineSample[]): Promise<number> {
  if (samples.length === 0) return 0;
  const rows = await db.insert(baselineSamples).values(samples).returning({ id: baselineSamples.id });
  return rows.length;
}

/** Deletes up to `limit` samples collected before `before` (oldest first); returns how many. */
export async function deleteBaselineSamplesBefore(
  db: Database,
  params: { before: Date; limit: number },
): Promise<number> {
  const old = db
    .select({ id: baselineSamples.id })
    .from(baselineSamples)
    .where(lt(baselineSamples.collectedAt, params.before))
    .orderBy(asc(baselineSamples.collectedAt))
    .limit(params.limit);
  const rows = await db
    .delete(baselineSamples)
    .where(inArray(baselineSamples.id, old))
    .returning({ id: baselineSamples.id });
  return rows.length;
}

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** The hour before the trigger. */
export const HISTORY_RECENT_MS = 60 * MINUTE_MS;
/** Around the same time a day and a week earlier: this far either side. */
export const HISTORY_AROUND_MS = 30 * MINUTE_MS;
export const HISTORY_DAYS_BACK = [1, 7] as const;

/**
 * The continuous-baseline windows a judge reads for a deployment triggered at `triggeredAt`,
 * each half-open [from, to): the hour before the trigger, and an hour centred on the same time
 * a day and a week earlier.
 */
export function historyWindows(triggeredAt: Date): Array<{ from: Date; to: Date }> {
  const at = triggeredAt.getTime();
  return [
    ...HISTORY_DAYS_BACK.map((days) => ({
      from: new Date(at - days * DAY_MS - HISTORY_AROUND_MS),
      to: new Date(at - days * DAY_MS + HISTORY_AROUND_MS),
    })).reverse(),
    { from: new Date(at - HISTORY_RECENT_MS), to: triggeredAt },
  ];
}

/** The project's baseline samples in `historyWindows(triggeredAt)`, oldest first, in one query. */
export async function listBaselineHistory(db: Database, projectId: string, triggeredAt: Date) {
  const [history = []] = await listBaselineHistories(db, [{ projectId, triggeredAt }]);
  return history;
}

/**
 * `listBaselineHistory` for many deployments in one query: one list per target, in the targets'
 * order, each oldest first. Two targets of the same project get each the samples of their own
 * windows.
 */
export async function listBaselineHistories(
  db: Database,
  targets: ReadonlyArray<{ projectId: string; triggeredAt: Date }>,
) {
  if (targets.length === 0) return [];
  const windowsOf = targets.map((target) => historyWindows(target.triggeredAt));
  const rows = await db
    .select({
      projectId: baselineSamples.projectId,
      collectedAt: baselineSamples.collectedAt,
      requestsPerSec: baselineSamples.requestsPerSec,
      latencyP95: baselineSamples.latencyP95,
      errorRate: baselineSamples.errorRate,
      cpuUsage: baselineSamples.cpuUsage,
      memoryUsage: baselineSamples.memoryUsage,
    })
    .from(baselineSamples)
    .where(
      or(
        ...targets.map((target, index) =>
          and(
            eq(baselineSamples.projectId, target.projectId),
            or(
              ...(windowsOf[index] ?? []).map(({ from, to }) =>
                and(gte(baselineSamples.collectedAt, from), lt(baselineSamples.collectedAt, to)),
              ),
            ),
          ),
        ),
      ),
    )
    .orderBy(asc(baselineSamples.collectedAt), asc(baselineSamples.id));
  return targets.map((target, index) =>
    rows
      .filter(
        (row) =>
          row.projectId === target.projectId &&
          (windowsOf[index] ?? []).some(({ from, to }) => row.collectedAt >= from && row.collectedAt < to),
      )
      .map(({ projectId: _projectId, ...sample }) => sample),
  );
}
