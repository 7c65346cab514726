import { sql } from "drizzle-orm";
import type { Database } from "../client";

export interface Ratio {
  numerator: number;
  denominator: number;
}

async function ratio(db: Database, query: ReturnType<typeof sql>): Promise<Ratio> {
  const result = await db.execute<{ numerator: number | string; denominator: number | string }>(query);
  const row = result.rows[0];
  return { numerator: Number(row?.numerator ?? 0), denominator: Number(row?.denominator ?? 0) };
}

/** Accounts created in [from, to], and those that created a project within 24 h of signing up. */
export function signupToProjectWithin24h(db: Database, window: { from: Date; to: Date }): Promise<Ratio> {
  return ratio(
    db,
    sql`select count(*)::int as denominator,
      count(*) filter (where exists (
        select 1 from projects p
        where p.owner_id = u.id and p.created_at <= u.created_at + interval '24 hours'
      ))::int as numerator
    from users u
    where u.created_at >= ${window.from.toISOString()}::timestamptz
      and u.created_at <= ${window.to.toISOString()}::timestamptz`,
  );
}

/** Projects created in [from, to], and those whose first verdict came within 72 h of creation. */
export function projectToFirstVerdictWithin72h(
  db: Database,
  window: { from: Date; to: Date },
): Promise<Ratio> {
  return ratio(
    db,
    sql`select count(*)::int as denominator,
      count(*) filter (where exists (
        select 1 from verdicts v join deployments d on d.id = v.deployment_id
        where d.project_id = p.id and v.created_at <= p.created_at + interval '72 hours'
      ))::int as numerator
    from projects p
    where p.created_at >= ${window.from.toISOString()}::timestamptz
      and p.created_at <= ${window.to.toISOString()}::timestamptz`,
  );
}

/**
 * Projects sent a quota mail (80 % or reached) in [from, to], and those on a paid plan now
 * (pro, or enterprise, which has everything pro has).
 */
export function quotaMailToPaidPlan(
  db: Database,
  window: { from: Date; to: Date },
  emailTypes: readonly string[],
): Promise<Ratio> {
  const types = sql`array[${sql.join(
    emailTypes.map((type) => sql`${type}`),
    sql`, `,
  )}]::text[]`;
  return ratio(
    db,
    sql`select count(*)::int as denominator,
      count(*) filter (where p.plan in ('pro', 'enterprise'))::int as numerator
    from projects p
    where p.id in (
      select e.project_id from email_deliveries e
      where e.status = 'sent' and e.email_type = any(${types})
        and e.sent_at >= ${window.from.toISOString()}::timestamptz
        and e.sent_at <= ${window.to.toISOString()}::timestamptz
    )`,
  );
}
