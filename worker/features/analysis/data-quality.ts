// Data-quality score of a sample set (original-seqpulse.md §10.4): start at 1, subtract a
// penalty per issue, clamp to [0, 1], two decimals.
import { localized, type MessageCode, type MessageParams } from "./messages";
import { clamp, roundHalfEven } from "./rounding";
import { hasTimestamp } from "./samples";
import type { ClassicThresholds } from "./thresholds";
import type { DataQuality, DataQualityIssue, DataQualityIssueKind, JudgeInput, LocalizedText } from "./types";

const ISSUE_CODES: Record<DataQualityIssueKind, { issue: MessageCode; detail: MessageCode }> = {
  min_post_samples: {
    issue: "analysis.dataQuality.issue.minPostSamples",
    detail: "analysis.verdict.details.dataQualityIssue.minPostSamples",
  },
  missing_pre_samples: {
    issue: "analysis.dataQuality.issue.missingPreSamples",
    detail: "analysis.verdict.details.dataQualityIssue.missingPreSamples",
  },
  missing_post_timestamps: {
    issue: "analysis.dataQuality.issue.missingPostTimestamps",
    detail: "analysis.verdict.details.dataQualityIssue.missingPostTimestamps",
  },
  post_before_pre: {
    issue: "analysis.dataQuality.issue.postBeforePre",
    detail: "analysis.verdict.details.dataQualityIssue.postBeforePre",
  },
  stale_post_metrics: {
    issue: "analysis.dataQuality.issue.stalePostMetrics",
    detail: "analysis.verdict.details.dataQualityIssue.stalePostMetrics",
  },
  post_in_future: {
    issue: "analysis.dataQuality.issue.postInFuture",
    detail: "analysis.verdict.details.dataQualityIssue.postInFuture",
  },
  sequence_gaps: {
    issue: "analysis.dataQuality.issue.sequenceGaps",
    detail: "analysis.verdict.details.dataQualityIssue.sequenceGaps",
  },
};

/** Only a gap in the sequence is tolerated by itself; every other issue forbids an `ok`. */
const DOES_NOT_BLOCK_OK: ReadonlySet<DataQualityIssueKind> = new Set(["sequence_gaps"]);

function issue(kind: DataQualityIssueKind, penalty: number, params: MessageParams = {}): DataQualityIssue {
  return {
    ...localized(ISSUE_CODES[kind].issue, params),
    kind,
    penalty,
    blocksOk: !DOES_NOT_BLOCK_OK.has(kind),
  };
}

/**
 * POST samples needed for good quality. The original had 5- and 15-minute windows and required 5;
 * with 1..60-minute windows a window shorter than 5 minutes cannot produce 5 samples.
 */
export function requiredPostSamples(thresholds: ClassicThresholds, windowMinutes: number): number {
  return Math.min(thresholds.minPostSamples, windowMinutes);
}

function times(samples: JudgeInput["pre"]): number[] {
  return samples.filter(hasTimestamp).map((sample) => sample.collectedAt.getTime());
}

export function assessDataQuality(input: JudgeInput, thresholds: ClassicThresholds): DataQuality {
  const issues: DataQualityIssue[] = [];
  const postCount = input.post.length;
  const required = requiredPostSamples(thresholds, input.observationWindowMinutes);

  if (postCount < required) {
    const penalty = Math.min(0.4, (0.4 * (required - postCount)) / required);
    issues.push(issue("min_post_samples", penalty, { count: postCount, required }));
  }
  if (input.pre.length === 0) issues.push(issue("missing_pre_samples", 0.2));
  if (input.post.some((sample) => !hasTimestamp(sample))) issues.push(issue("missing_post_timestamps", 0.25));

  const postTimes = times(input.post).sort((a, b) => a - b);
  const preTimes = times(input.pre);
  const skewMs = thresholds.maxClockSkewSeconds * 1000;
  const earliestPost = postTimes[0];
  const latestPost = postTimes.at(-1);
  if (earliestPost !== undefined && preTimes.length > 0 && earliestPost < Math.min(...preTimes) - skewMs) {
    issues.push(issue("post_before_pre", 0.25));
  }
  if (latestPost !== undefined) {
    const ageSeconds = (input.analyzedAt.getTime() - latestPost) / 1000;
    if (ageSeconds > thresholds.maxPostAgeSeconds) {
      // The original's min(0.25, 0.25 x min(1, age / max)) is always 0.25 once age > max.
      const penalty = Math.min(0.25, 0.25 * Math.min(1, ageSeconds / thresholds.maxPostAgeSeconds));
      issues.push(issue("stale_post_metrics", penalty, { ageSeconds: Math.floor(ageSeconds) }));
    } else if (-ageSeconds > thresholds.maxClockSkewSeconds) {
      issues.push(issue("post_in_future", 0.2));
    }
  }

  const maxGapMs = thresholds.expectedPostIntervalSeconds * thresholds.gapFactor * 1000;
  let gaps = 0;
  for (let index = 1; index < postTimes.length; index += 1) {
    if ((postTimes[index] ?? 0) - (postTimes[index - 1] ?? 0) > maxGapMs) gaps += 1;
  }
  if (gaps > 0)
    issues.push(issue("sequence_gaps", Math.min(0.25, 0.25 * Math.min(1, gaps / 4)), { count: gaps }));

  let score = 1;
  for (const { penalty } of issues) score -= penalty;
  return { score: roundHalfEven(clamp(score, 0, 1), 2), issues };
}

/** An `ok` needs a score of at least 0.90 and no blocking issue. */
export function qualityBlocksOk(quality: DataQuality, thresholds: ClassicThresholds): boolean {
  return quality.score < thresholds.minQualityForOk || quality.issues.some((item) => item.blocksOk);
}

/** The data-quality score (as a percentage), then one line per issue. */
export function dataQualityDetails(quality: DataQuality): LocalizedText[] {
  return [
    localized("analysis.verdict.details.dataQualityScore", {
      score: quality.score.toFixed(2),
      percent: roundHalfEven(quality.score * 100),
    }),
    ...quality.issues.map((item) => localized(ISSUE_CODES[item.kind].detail, item.params)),
  ];
}
