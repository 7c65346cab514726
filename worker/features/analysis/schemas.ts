import * as z from "zod";
import { hintMetrics, hintSeverities, metricNames, sensitivities, verdictLevels } from "./types";

// The analysis shapes as the API answers them (stored verdicts, hints, replays). The stored ones
// are jsonb the judges wrote (types.ts); fields added later are optional so older rows still fit.

export const verdictLevel = z.enum(verdictLevels);
export const hintSeverity = z.enum(hintSeverities);
export const metricName = z.enum(metricNames);
export const hintMetric = z.enum(hintMetrics);
export const sensitivity = z.enum(sensitivities);

/** A sentence with a stable code: `text` is English, `code` + `params` render it in any locale. */
export const localizedText = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  text: z.string(),
});

/** Judge settings as stored and answered; absent fields are the defaults. */
export const judgeSettingsView = z.object({
  sensitivity: sensitivity.optional(),
  ignoredMetrics: z.array(metricName).optional(),
});

export const dataQuality = z.object({
  score: z.number().describe("0..1, two decimals."),
  issues: z.array(
    localizedText.extend({
      kind: z.string().optional(),
      penalty: z.number().optional(),
      blocksOk: z.boolean().optional(),
    }),
  ),
});

/** What the other judge would have said: stored beside a verdict, never acted on. */
export const shadowVerdict = z.object({
  judge: z.string(),
  judgeVersion: z.number().int(),
  verdict: verdictLevel,
  confidence: z.number(),
  summary: localizedText,
});

export const compositeSignal = z.object({
  metric: metricName,
  observedValue: z.number(),
  threshold: z.number().nullable(),
  securedThreshold: z.number().nullable(),
  exceedRatio: z.number().nullable(),
  tolerance: z.number().nullable(),
});

export const hintEvidence = z.object({
  securedThreshold: z.number().nullable(),
  exceedRatio: z.number().nullable(),
  tolerance: z.number().nullable(),
  preMean: z.number().nullable(),
  postMean: z.number().nullable(),
  deviation: z.number().optional(),
  dataQualityScore: z.number().optional(),
  signals: z.array(compositeSignal).optional(),
});
