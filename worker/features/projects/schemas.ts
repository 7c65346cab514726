import * as z from "zod";
import { isJudgeName, judges } from "../analysis/judge";
import type { JudgeSettings, MetricName } from "../analysis/types";

export const envName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { message: "Use lower-case letters, digits, - and _." });

export const metricsUrl = z.string().trim().min(1).max(2048);

export const createProjectBody = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).optional(),
  envs: z
    .array(envName)
    .min(1)
    .max(10)
    .refine((envs) => new Set(envs).size === envs.length, { message: "Environments must be unique." })
    .optional(),
  metricsEndpoint: metricsUrl.optional(),
  observationWindowMinutes: z.number().int().min(1).max(60).optional(),
});

/** The judges a project may choose (worker/features/analysis/judge.ts). */
export const judgeName = z.string().refine(isJudgeName, {
  message: `judge must be one of: ${Object.keys(judges).join(", ")}.`,
});

export const judgedMetrics = [
  "latency_p95",
  "error_rate",
  "cpu_usage",
  "memory_usage",
  "requests_per_sec",
] as const satisfies readonly MetricName[];

/**
 * JudgeSettings as a client may send them: strict (an unknown key is a 400, not silently kept),
 * duplicates in `ignoredMetrics` collapsed, and at least one metric left to judge.
 */
export const judgeSettings = z
  .strictObject({
    sensitivity: z.enum(["low", "medium", "high"]).optional(),
    ignoredMetrics: z
      .array(z.enum(judgedMetrics))
      .max(20)
      .transform((metrics) => judgedMetrics.filter((metric) => metrics.includes(metric)))
      .refine((metrics) => metrics.length < judgedMetrics.length, {
        message: "Leave at least one metric for the judge: ignoring all five would judge nothing.",
      })
      .optional(),
  })
  .transform((settings): JudgeSettings => {
    const result: JudgeSettings = {};
    if (settings.sensitivity) result.sensitivity = settings.sensitivity;
    if (settings.ignoredMetrics && settings.ignoredMetrics.length > 0) {
      result.ignoredMetrics = settings.ignoredMetrics;
    }
    return result;
  });

/** Minutes between two continuous-baseline samples; 0 turns it off. */
export const baselineIntervals = [0, 5, 10, 30] as const;

export const updateProjectBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    envs: createProjectBody.shape.envs,
    observationWindowMinutes: z.number().int().min(1).max(60).optional(),
    judge: judgeName.optional(),
    judgeSettings: judgeSettings.optional(),
    baselineIntervalMinutes: z
      .number()
      .int()
      .refine((minutes) => (baselineIntervals as readonly number[]).includes(minutes), {
        message: "baselineIntervalMinutes must be one of: 0 (off), 5, 10, 30.",
      })
      .optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "Send at least one field.",
  });

export const deleteProjectBody = z.object({ confirmName: z.string() });

export const endpointBody = z.object({ url: metricsUrl });

export const projectIdParam = z.object({ id: z.string() });
