// Confidence arithmetic shared by verdicts and hints (original-seqpulse.md §10.5 and §11.2).
import { clamp, roundHalfEven } from "./rounding";
import type { HintSeverity } from "./types";

export const MIN_CONFIDENCE = 0.2;
export const MAX_CONFIDENCE = 0.95;

function qualityFactor(quality: number): number {
  return 0.5 + 0.5 * clamp(quality, 0, 1);
}

/** A verdict's base confidence scaled by data quality, capped harder when quality is poor. */
export function adjustVerdictConfidence(base: number, quality: number): number {
  let adjusted = base * qualityFactor(quality);
  if (quality < 0.4) adjusted = Math.min(adjusted, 0.45);
  else if (quality < 0.6) adjusted = Math.min(adjusted, 0.55);
  return roundHalfEven(clamp(adjusted, MIN_CONFIDENCE, MAX_CONFIDENCE), 2);
}

const SEVERITY_BASE: Record<HintSeverity, number> = { info: 0.45, warning: 0.55, critical: 0.7 };

function deviationBonus(deviation: number): number {
  if (deviation >= 1) return 0.2;
  if (deviation >= 0.5) return 0.15;
  if (deviation >= 0.3) return 0.1;
  if (deviation >= 0.1) return 0.05;
  return 0;
}

/** A hint's confidence before data quality: severity base + deviation bonus + signal bonus. */
export function hintConfidence(severity: HintSeverity, deviation: number, signals = 1): number {
  let confidence = SEVERITY_BASE[severity] + deviationBonus(deviation);
  if (signals >= 2) confidence += 0.08;
  if (signals >= 3) confidence += 0.05;
  return roundHalfEven(Math.min(confidence, MAX_CONFIDENCE), 2);
}

export function adjustHintConfidence(confidence: number, quality: number): number {
  return roundHalfEven(clamp(confidence * qualityFactor(quality), MIN_CONFIDENCE, MAX_CONFIDENCE), 2);
}

/** max(0, (observed - threshold) / threshold) */
export function deviationAbove(observed: number, threshold: number): number {
  return threshold > 0 ? Math.max(0, (observed - threshold) / threshold) : 0;
}

/** max(0, (baseline - observed) / baseline) */
export function deviationBelow(observed: number, baseline: number): number {
  return baseline > 0 ? Math.max(0, (baseline - observed) / baseline) : 0;
}

/** How far an exceed ratio is past its tolerance: max(0, (ratio - tolerance) / tolerance). */
export function ratioDeviation(exceedRatio: number, tolerance: number): number {
  return tolerance > 0 ? Math.max(0, (exceedRatio - tolerance) / tolerance) : 0;
}
