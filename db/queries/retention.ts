import { sql } from "drizzle-orm";
import type { Database } from "../client";
import { deployments, metricSamples, projects } from "../schema";

/**
 * Deletes up to `limit` metric samples of `plan`'s projects collected before `before`, oldest
 * first; returns how many. Deployments, verdicts and hints are kept: only the raw samples go.
 */
export async function deleteMetricSamplesBefore(
  db: Database,
  params: { plan: string; before: Date; limit: number },
): Promise<number> {
  const result = await db.execute(sql`
    delete from ${metricSamples}
    where (deployment_id, phase, sequence) in (
      select s.deployment_id, s.phase, s.sequence
      from ${metricSamples} s
      join ${deployments} d on d.id = s.deployment_id
      join ${projects} p on p.id = d.project_id
      where p.plan = ${params.plan} and s.collected_at < ${params.before.toISOString()}::timestamptz
      order by s.collected_at
      limit ${params.limit}
    )
    returning 1`);
  return result.rows.length;
}
