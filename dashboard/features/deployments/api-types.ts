// The API's shapes the dashboard reads: the worker's contract (worker/features/*/schemas.ts),
// imported rather than copied, so a change on either side that breaks the other fails to compile.
// Values (the enums) come from the worker's pure modules; everything else is types only.
import type * as z from "zod";
import type {
  compositeSignal,
  hintEvidence,
  judgeSettingsView,
  localizedText,
  shadowVerdict,
} from "../../../worker/features/analysis/schemas";
import type { MetricName } from "../../../worker/features/analysis/types";
import type {
  collectionErrorSchema,
  deploymentDetailSchema,
  deploymentMetricsResponse,
  deploymentSchema,
  deploymentStatsResponse,
  hintSchema,
  sampleSchema,
  storedVerdict,
} from "../../../worker/features/deployments/schemas";
import type { endpointSchema, projectSchema } from "../../../worker/features/projects/schemas";
import type { feedbackSchema, verdictStatsResponse } from "../../../worker/features/verdict-review/schemas";

export {
  type HintMetric,
  type HintSeverity,
  hintMetrics,
  hintSeverities,
  metricNames as sampleMetrics,
  type Sensitivity,
  sensitivities,
  type VerdictLevel,
  verdictLevels,
} from "../../../worker/features/analysis/types";
export { type DeploymentState, deploymentStates } from "../../../worker/features/deployments/states";
export type SampleMetric = MetricName;

/** A sentence with a stable code: `text` is English, `code` + `params` render it in any locale. */
export type LocalizedText = z.output<typeof localizedText>;
/**
 * The stored verdict. Its later fields stay optional here: an open page may read an answer of the
 * Worker version before them, and the components show nothing for them then.
 */
type StoredVerdict = z.output<typeof storedVerdict>;
type LaterVerdictFields = "shadow" | "early" | "settings";
export type Verdict = Omit<StoredVerdict, LaterVerdictFields> &
  Partial<Pick<StoredVerdict, LaterVerdictFields>>;
/** Another judge's verdict on the same samples, stored for comparison and never acted on. */
export type ShadowVerdict = z.output<typeof shadowVerdict>;

/** The judges a project may choose (worker/features/analysis/judge.ts). */
export const judgeNames = ["robust", "classic"] as const;
export type JudgeName = (typeof judgeNames)[number];

/** A project's judge settings; absent fields are the defaults. */
export type JudgeSettings = z.output<typeof judgeSettingsView>;

/** A person's answer to "was this verdict right?" (one per deployment, the latest wins). */
export type VerdictFeedback = z.output<typeof feedbackSchema>;

/** `GET /api/projects/:id/verdict-stats`. */
export type VerdictStats = z.output<typeof verdictStatsResponse>;
export type FeedbackCounts = Omit<VerdictStats, "projectId" | "byVerdict">;

export type Deployment = Omit<z.output<typeof deploymentSchema>, "verdict"> & { verdict: Verdict | null };
export type CompositeSignal = z.output<typeof compositeSignal>;
export type HintEvidence = z.output<typeof hintEvidence>;
export type Hint = z.output<typeof hintSchema>;
export type CollectionError = z.output<typeof collectionErrorSchema>;
export type DeploymentDetail = Deployment &
  Pick<z.output<typeof deploymentDetailSchema>, "hints" | "collectionErrors">;
export type Sample = z.output<typeof sampleSchema>;
export type DeploymentMetrics = z.output<typeof deploymentMetricsResponse>;

/** One page of a list (worker/lib/contract.ts `pageOf`). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type DeploymentStats = z.output<typeof deploymentStatsResponse>;
export type DayCount = DeploymentStats["days"][number];

export type EndpointView = z.output<typeof endpointSchema>;
export type EndpointState = EndpointView["state"];
export type Project = z.output<typeof projectSchema>;
