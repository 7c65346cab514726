import { describe, expect, it } from "vitest";
import { assessDataQuality } from "./data-quality";
import { at, digest, HEALTHY, input, sample } from "./fixtures";
import { CLASSIC_THRESHOLDS } from "./thresholds";

/** POST samples at the given seconds after the finish. */
function qualityAt(seconds: number[], minutes = 5) {
  const post = seconds.map((second) => sample(second, HEALTHY));
  const last = Math.max(...seconds);
  return assessDataQuality(input(post, { minutes, analyzedAt: at(last + 60) }), CLASSIC_THRESHOLDS);
}

describe("data quality", () => {
  it("counts a gap only beyond 1.8 x the 60 s interval", () => {
    expect(qualityAt([0, 60, 168, 228, 288]).issues).toEqual([]);
    expect(qualityAt([0, 60, 169, 229, 289]).issues.map(digest)).toEqual(["sequence_gaps count=1"]);
  });

  it("caps the gap penalty at 0.25 from four gaps", () => {
    const fourGaps = qualityAt([0, 120, 240, 360, 480], 9);
    expect(fourGaps.issues.map((issue) => [digest(issue), issue.penalty])).toEqual([
      ["sequence_gaps count=4", 0.25],
    ]);
    expect(fourGaps.score).toBe(0.75);
    expect(qualityAt([0, 120, 240, 360, 480, 600], 11).score).toBe(0.75);
  });

  it("adds up the penalties of several issues", () => {
    const post = [0, 60, 300].map((second) => sample(second, HEALTHY));
    const quality = assessDataQuality(
      { pre: [], post, analyzedAt: at(5000), observationWindowMinutes: 60 },
      CLASSIC_THRESHOLDS,
    );
    // 1 - 0.16 (3 of 5 samples) - 0.20 (no PRE) - 0.25 (stale) - 0.0625 (one gap) = 0.3275
    expect(quality.score).toBe(0.33);
    expect(quality.issues.map((issue) => issue.kind)).toEqual([
      "min_post_samples",
      "missing_pre_samples",
      "stale_post_metrics",
      "sequence_gaps",
    ]);
    const empty = assessDataQuality(
      { pre: [], post: [], analyzedAt: at(0), observationWindowMinutes: 5 },
      CLASSIC_THRESHOLDS,
    );
    expect(empty.score).toBe(0.4);
  });
});
