// The API's shapes the dashboard reads (worker/features/deployments/views.ts,
// worker/features/projects/projects.ts). Only what the pages use; the server may add fields.

/** A sentence with a stable code: `text` is English, `code` + `params` render it in any locale. */
export interface LocalizedText {
  code: string;
  params: Record<string, string | number>;
  text: string;
}

export const verdictLevels = ["ok", "warning", "rollback_recommended"] as const;
export type VerdictLevel = (typeof verdictLevels)[number];

export const deploymentStates = ["running", "finished", "analyzed", "expired", "cancelled"] as const;
export type DeploymentState = (typeof deploymentStates)[number];

export const hintSeverities = ["critical", "warning", "info"] as const;
export type HintSeverity = (typeof hintSeverities)[number];

export const sampleMetrics = [
  "latency_p95",
  "error_rate",
  "cpu_usage",
  "memory_usage",
  "requests_per_sec",
] as const;
export type SampleMetric = (typeof sampleMetrics)[number];

export const hintMetrics = [...sampleMetrics, "composite"] as const;
export type HintMetric = (typeof hintMetrics)[number];

export interface Verdict {
  verdict: VerdictLevel;
  confidence: number;
  summary: LocalizedText;
  details: LocalizedText[];
  dataQuality: { score: number; issues: LocalizedText[] };
  judge: string;
  /** What the other judge would have said (null or absent when it did not run). */
  shadow?: ShadowVerdict | null;
  /** Decided before the observation window was over: the regression was overwhelming. */
  early?: boolean;
  /** The judge settings the verdict was given with. */
  settings?: JudgeSettings;
}

/** Another judge's verdict on the same samples, stored for comparison and never acted on. */
export interface ShadowVerdict {
  judge: string;
  judgeVersion: number;
  verdict: VerdictLevel;
  confidence: number;
  summary: LocalizedText;
}

export const judgeNames = ["robust", "classic"] as const;
export type JudgeName = (typeof judgeNames)[number];

export const sensitivities = ["low", "medium", "high"] as const;
export type Sensitivity = (typeof sensitivities)[number];

/** A project's judge settings (worker/features/analysis/types.ts); absent fields are the defaults. */
export interface JudgeSettings {
  sensitivity?: Sensitivity;
  ignoredMetrics?: SampleMetric[];
}

/** A person's answer to "was this verdict right?" (one per deployment, the latest wins). */
export interface VerdictFeedback {
  deploymentId: string;
  correct: boolean;
  note: string | null;
  /** The verdict the answer was about. */
  verdict: VerdictLevel;
  userId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FeedbackCounts {
  analyzed: number;
  marked: number;
  markedCorrect: number;
}

/** `GET /api/projects/:id/verdict-stats`. */
export interface VerdictStats extends FeedbackCounts {
  projectId: string;
  byVerdict: Record<VerdictLevel, FeedbackCounts>;
}

export interface Deployment {
  id: string;
  number: number;
  project: { id: string; name: string };
  env: string;
  state: DeploymentState;
  pipelineResult: "success" | "failed" | null;
  branch: string | null;
  commitSha: string | null;
  observationWindowMinutes: number;
  startedAt: string;
  finishedAt: string | null;
  analyzedAt: string | null;
  durationMs: number | null;
  verdict: Verdict | null;
}

export interface CompositeSignal {
  metric: SampleMetric;
  observedValue: number;
  threshold: number | null;
  securedThreshold: number | null;
  exceedRatio: number | null;
  tolerance: number | null;
}

export interface HintEvidence {
  securedThreshold: number | null;
  exceedRatio: number | null;
  tolerance: number | null;
  preMean: number | null;
  postMean: number | null;
  deviation?: number;
  dataQualityScore?: number;
  signals?: CompositeSignal[];
}

export interface Hint {
  deployment: { id: string; number: number; env: string };
  project: { id: string; name: string };
  metric: HintMetric;
  code: string;
  severity: HintSeverity;
  confidence: number;
  title: LocalizedText;
  diagnosis: LocalizedText;
  suggestedActions: LocalizedText[];
  observedValue: number | null;
  threshold: number | null;
  evidence: HintEvidence | null;
  createdAt: string;
}

export interface CollectionError {
  phase: "pre" | "post";
  sequence: number;
  code: string;
  message: string;
  attempt: number;
  final: boolean;
  occurredAt: string;
}

export interface DeploymentDetail extends Deployment {
  hints: Hint[];
  collectionErrors: CollectionError[];
}

export interface Sample {
  phase: "pre" | "post";
  sequence: number;
  requestsPerSec: number;
  latencyP95: number;
  errorRate: number;
  cpuUsage: number;
  memoryUsage: number;
  collectedAt: string;
}

export interface DeploymentMetrics {
  deploymentId: string;
  pre: Sample[];
  post: Sample[];
  /** Per metric, the value the verdict compares POST samples with; null when not judged. */
  lines: Record<SampleMetric, number | null>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface DayCount {
  day: string;
  ok: number;
  warning: number;
  rollback_recommended: number;
  pending: number;
  total: number;
}

export interface DeploymentStats {
  since: string;
  days: DayCount[];
  totals: Omit<DayCount, "day">;
}

export type EndpointState = "none" | "pending_verification" | "active";

export interface EndpointView {
  state: EndpointState;
  candidate: string | null;
  active: string | null;
  lastTestedAt: string | null;
  lastVerifiedAt: string | null;
  lastError: { code: string; message: string | null } | null;
}

export interface Project {
  id: string;
  name: string;
  description: string | null;
  envs: string[];
  observationWindowMinutes: number;
  judge: string;
  judgeSettings: JudgeSettings;
  /** Minutes between two continuous-baseline samples; 0 = off. */
  baselineIntervalMinutes: number;
  apiKeyPrefix: string;
  endpoint: EndpointView;
  /** Timeouts in a row; while backed off, samples are tried once, briefly (worker/features/collection). */
  collection: { consecutiveTimeouts: number; backedOffUntil: string | null };
  hmac: { enabled: boolean; previousSecretValidUntil: string | null };
  createdAt: string;
  updatedAt: string;
}
