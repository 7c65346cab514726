import * as z from "zod";
import { errorResponse, type RouteContract, timestamp } from "../../lib/contract";
import { KPI_MAX_DAYS } from "./kpi";

export const lifecycleQuery = z.object({
  days: z.coerce
    .number({ error: "Give a whole number of days." })
    .int({ error: "Give a whole number of days." })
    .min(1, { error: `Between 1 and ${KPI_MAX_DAYS} days.` })
    .max(KPI_MAX_DAYS, { error: `Between 1 and ${KPI_MAX_DAYS} days.` })
    .default(7),
});

const kpi = z.union([
  z.strictObject({
    value: z.number().min(0).max(100),
    numerator: z.number().int().min(0),
    denominator: z.number().int().min(0),
    available: z.literal(true),
    reason: z.null(),
  }),
  z.strictObject({
    value: z.null(),
    numerator: z.null(),
    denominator: z.null(),
    available: z.literal(false),
    reason: z.string(),
  }),
]);

export const lifecycleResponse = z.strictObject({
  window: z.strictObject({ from: timestamp, to: timestamp, days: z.number().int(), computedAt: timestamp }),
  kpis: z.strictObject({
    signup_to_project_24h: kpi,
    project_to_first_verdict_72h: kpi,
    free_to_pro_from_quota_emails: kpi,
    critical_alert_open_rate: kpi,
  }),
});

export const analyticsContract: RouteContract[] = [
  {
    method: "GET",
    path: "/api/analytics/kpi/lifecycle",
    tag: "Operators",
    summary: "Lifecycle KPIs",
    description:
      "Operators only (`Authorization: Bearer <OPERATOR_TOKEN>`). Percentages over the last `days` days (1-90, default 7): " +
      "accounts with a project within 24 h, projects with a verdict within 72 h, projects sent a quota mail now on a paid plan. " +
      "The open rate of critical-verdict mail is unavailable: opens are not recorded.",
    security: "operator-only",
    request: { query: lifecycleQuery },
    responses: {
      200: { description: "The KPIs and their window.", body: lifecycleResponse },
      429: errorResponse("Too many requests from this address."),
    },
  },
];
