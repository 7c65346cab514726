import * as z from "zod";

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

export const updateProjectBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    envs: createProjectBody.shape.envs,
    observationWindowMinutes: z.number().int().min(1).max(60).optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "Send at least one field.",
  });

export const deleteProjectBody = z.object({ confirmName: z.string() });

export const endpointBody = z.object({ url: metricsUrl });

export const projectIdParam = z.object({ id: z.string() });
