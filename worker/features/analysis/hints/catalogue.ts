// The SDH catalogue (original-seqpulse.md §11.3-11.4): one entry per rule, with its stable code,
// the catalogue id of the reference document and the message codes of its sentences.
import type { MessageCode } from "../messages";

export interface HintRule {
  /** Stable machine code, persisted with the hint. */
  code: string;
  /** A1-A5 (audit-driven) or B1-B10 (absolute thresholds on POST means). */
  rule: string;
  title: MessageCode;
  diagnosis: MessageCode;
  actions: readonly MessageCode[];
  /** A positive finding: always `info`, never presented as a problem. */
  positive?: true;
}

const CRITICAL_BREACH_ACTIONS: readonly MessageCode[] = [
  "analysis.sdh.actions.inspectFailingSequencesInMetricsAudit",
  "analysis.sdh.actions.checkRecentReleaseAndInfrastructureChanges",
  "analysis.sdh.actions.runTargetedRollbackChecksForImpactedPaths",
  "analysis.sdh.actions.rollbackIfCriticalBreachesContinue",
];

const METRIC_BREACH_ACTIONS: readonly MessageCode[] = [
  "analysis.sdh.actions.reviewSequenceLevelMetricsForThisDeployment",
  "analysis.sdh.actions.compareWithPreBaselineAndSecuredThreshold",
  "analysis.sdh.actions.investigateRecentCodeAndConfigChanges",
  "analysis.sdh.actions.scaleOrRollbackIfPersistenceRemainsHigh",
];

export const HINT_RULES = {
  persistentCriticalBreaches: {
    code: "persistent_critical_breaches",
    rule: "A1",
    title: "analysis.sdh.title.persistentCriticalThresholdBreaches",
    diagnosis: "analysis.sdh.diagnosis.persistentCriticalMetricsBreaches",
    actions: CRITICAL_BREACH_ACTIONS,
  },
  persistentErrorRateBreach: {
    code: "persistent_critical_breach",
    rule: "A2",
    title: "analysis.sdh.title.persistentCriticalThresholdBreach",
    diagnosis: "analysis.sdh.diagnosis.persistentCriticalThresholdBreach.errorRate",
    actions: CRITICAL_BREACH_ACTIONS,
  },
  persistentTrafficBreach: {
    code: "persistent_critical_breach",
    rule: "A2",
    title: "analysis.sdh.title.persistentCriticalThresholdBreach",
    diagnosis: "analysis.sdh.diagnosis.persistentCriticalThresholdBreach.requestsPerSec",
    actions: CRITICAL_BREACH_ACTIONS,
  },
  persistentLatencyBreaches: {
    code: "persistent_metric_breaches",
    rule: "A3",
    title: "analysis.sdh.title.persistentMetricBreaches.latencyP95",
    diagnosis: "analysis.sdh.diagnosis.persistentMetricBreaches.latencyP95",
    actions: METRIC_BREACH_ACTIONS,
  },
  persistentCpuBreaches: {
    code: "persistent_metric_breaches",
    rule: "A3",
    title: "analysis.sdh.title.persistentMetricBreaches.cpuUsage",
    diagnosis: "analysis.sdh.diagnosis.persistentMetricBreaches.cpuUsage",
    actions: METRIC_BREACH_ACTIONS,
  },
  persistentMemoryBreaches: {
    code: "persistent_metric_breaches",
    rule: "A3",
    title: "analysis.sdh.title.persistentMetricBreaches.memoryUsage",
    diagnosis: "analysis.sdh.diagnosis.persistentMetricBreaches.memoryUsage",
    actions: METRIC_BREACH_ACTIONS,
  },
  latencyImproved: {
    code: "latency_improved",
    rule: "A4",
    title: "analysis.sdh.title.latencyImprovedAfterDeployment",
    diagnosis: "analysis.sdh.diagnosis.latencyImprovedAfterDeployment",
    actions: [
      "analysis.sdh.actions.documentTheOptimizationsMade",
      "analysis.sdh.actions.continueMonitoringPerformanceTrends",
      "analysis.sdh.actions.shareBestPracticesWithOtherTeams",
    ],
    positive: true,
  },
  criticalVerdictRequiresInvestigation: {
    code: "critical_verdict_requires_investigation",
    rule: "A5",
    title: "analysis.sdh.title.criticalVerdictRequiresInvestigation",
    diagnosis: "analysis.sdh.diagnosis.criticalVerdictRequiresInvestigation",
    actions: [
      "analysis.sdh.actions.inspectMetricsAuditDetailsForThisDeployment",
      "analysis.sdh.actions.correlateFailingMetricsWithLogsAndTraces",
      "analysis.sdh.actions.validateRollbackReadiness",
    ],
  },
  serviceDegradation: {
    code: "service_degradation",
    rule: "B1",
    title: "analysis.sdh.title.serviceDegradationDetected",
    diagnosis: "analysis.sdh.diagnosis.serviceDegradationDetected",
    actions: [
      "analysis.sdh.actions.checkApplicationErrorLogs",
      "analysis.sdh.actions.verifyDatabaseConnectivityAndQueryPerformance",
      "analysis.sdh.actions.checkExternalApiDependenciesForTimeoutsOrFailures",
      "analysis.sdh.actions.reviewRecentCodeChangesForErrorHandlingOrTimeoutConfig",
      "analysis.sdh.actions.considerRollbackIfErrorsPersistAfterFiveMinutes",
    ],
  },
  computeSaturation: {
    code: "compute_saturation",
    rule: "B2",
    title: "analysis.sdh.title.computeSaturationSuspected",
    diagnosis: "analysis.sdh.diagnosis.computeSaturationSuspected",
    actions: [
      "analysis.sdh.actions.profileCpuToIdentifyHotMethods",
      "analysis.sdh.actions.checkForBlockingIoOperations",
      "analysis.sdh.actions.verifyConnectionPoolSettings",
      "analysis.sdh.actions.considerHorizontalScalingIfCpuAboveEighty",
      "analysis.sdh.actions.reviewRecentCodeChangesForAlgorithmicComplexityIncreases",
    ],
  },
  partialOutage: {
    code: "partial_outage",
    rule: "B3",
    title: "analysis.sdh.title.partialOutageSuspected",
    diagnosis: "analysis.sdh.diagnosis.partialOutageSuspected",
    actions: [
      "analysis.sdh.actions.checkLoadBalancerHealthChecks",
      "analysis.sdh.actions.verifyIngressRoutingRulesPointToCorrectServiceVersion",
      "analysis.sdh.actions.checkApplicationStartupLogsForCrashLoops",
      "analysis.sdh.actions.validateEnvironmentVariablesAndConfigMaps",
      "analysis.sdh.actions.considerImmediateRollbackIfTrafficImpacted",
    ],
  },
  highErrorRate: {
    code: "high_error_rate",
    rule: "B4",
    title: "analysis.sdh.title.highErrorRateAfterDeployment",
    diagnosis: "analysis.sdh.diagnosis.highErrorRateAfterDeployment",
    actions: [
      "analysis.sdh.actions.checkApplicationLogsForExceptions",
      "analysis.sdh.actions.verifyDatabaseMigrationsCompletedSuccessfully",
      "analysis.sdh.actions.checkExternalServiceDependencies",
      "analysis.sdh.actions.reviewEnvironmentVariablesAndSecretsConfiguration",
      "analysis.sdh.actions.considerRollbackIfErrorRateAboveTenPercent",
    ],
  },
  highLatency: {
    code: "high_latency",
    rule: "B5",
    title: "analysis.sdh.title.highLatencyDetected",
    diagnosis: "analysis.sdh.diagnosis.highLatencyDetected",
    actions: [
      "analysis.sdh.actions.checkDatabaseSlowQueryLogs",
      "analysis.sdh.actions.verifyExternalApiResponseTimesAndTimeoutConfigurations",
      "analysis.sdh.actions.checkForMemoryPressureCausingGcPauses",
      "analysis.sdh.actions.enableDistributedTracingToIdentifyBottleneckSpans",
      "analysis.sdh.actions.considerRollbackIfP95LatencyAboveBaseline",
    ],
  },
  cpuSpike: {
    code: "cpu_spike",
    rule: "B6",
    title: "analysis.sdh.title.cpuUsageSpikeDetected",
    diagnosis: "analysis.sdh.diagnosis.cpuUsageSpikeDetected",
    actions: [
      "analysis.sdh.actions.profileCpuToIdentifyTopConsumingMethods",
      "analysis.sdh.actions.checkForNPlusOneQueryProblems",
      "analysis.sdh.actions.lookForInfiniteLoopsOrRecursiveCalls",
      "analysis.sdh.actions.verifyNoUnauthorizedProcessesRunning",
      "analysis.sdh.actions.considerHorizontalScalingIfLegitimateLoadIncrease",
    ],
  },
  memoryAboveThreshold: {
    code: "memory_above_threshold",
    rule: "B7",
    title: "analysis.sdh.title.memoryUsageAboveThreshold",
    diagnosis: "analysis.sdh.diagnosis.memoryUsageAboveThreshold",
    actions: [
      "analysis.sdh.actions.checkHeapDumpsForGrowingObjectTypes",
      "analysis.sdh.actions.monitorGarbageCollectionFrequencyAndPauseTimes",
      "analysis.sdh.actions.reviewRecentChangesForUnboundedDataStructures",
      "analysis.sdh.actions.checkForConnectionLeaks",
      "analysis.sdh.actions.considerIncreasingMemoryLimitsOrCacheEvictionPolicies",
    ],
  },
  memoryApproachingThreshold: {
    code: "memory_approaching_threshold",
    rule: "B8",
    title: "analysis.sdh.title.memoryUsageApproachingThreshold",
    diagnosis: "analysis.sdh.diagnosis.memoryUsageApproachingThreshold",
    actions: [
      "analysis.sdh.actions.checkHeapAndMemoryAllocation",
      "analysis.sdh.actions.reviewRecentCodeChanges",
      "analysis.sdh.actions.monitorGarbageCollectionActivity",
      "analysis.sdh.actions.ensureMemoryLimitsAreCorrectlySet",
    ],
  },
  memoryWithinNormalRange: {
    code: "memory_within_normal_range",
    rule: "B9",
    title: "analysis.sdh.title.memoryUsageWithinNormalRange",
    diagnosis: "analysis.sdh.diagnosis.memoryUsageWithinNormalRange",
    actions: [
      "analysis.sdh.actions.continueMonitoringMemoryTrends",
      "analysis.sdh.actions.noImmediateActionRequired",
      "analysis.sdh.actions.considerOptimizationIfUsageTrendsUpward",
    ],
    positive: true,
  },
  trafficBelowBaseline: {
    code: "traffic_below_baseline",
    rule: "B10",
    title: "analysis.sdh.title.trafficLowerThanBaselineAfterDeployment",
    diagnosis: "analysis.sdh.diagnosis.trafficLowerThanBaselineAfterDeployment",
    actions: [
      "analysis.sdh.actions.compareTrafficWithPreviousTimePeriods",
      "analysis.sdh.actions.checkIngressOrRoutingConfiguration",
      "analysis.sdh.actions.verifyMainEndpointsAvailability",
      "analysis.sdh.actions.monitorErrorRateAndLatencyForFurtherSignals",
    ],
  },
} as const satisfies Record<string, HintRule>;
