import type * as z from "zod";
import type { Database } from "../../../db/client";
import {
  countProjects,
  deleteProject,
  findProject,
  insertProject,
  listProjects,
  type ProjectRow,
  updateProject,
} from "../../../db/queries/projects";
import { accountLimits } from "../../lib/account-limits";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { decodeCursor, page } from "../../lib/pagination";
import { checkOutboundUrl } from "../collection/outbound-url";
import { limitsOf } from "../plans/limits";
import { checkSettingsAgainstPlan } from "../plans/plans";
import { newApiKey, projectView } from "./projects";
import type { createProjectBody, updateProjectBody } from "./schemas";

// The owner's projects: every function takes the owner's id, and another owner's project (or an
// id that is not even a UUID) is NOT_FOUND, as an unknown one.

/** The owner's project, or NOT_FOUND. */
export async function getOwnedProject(db: Database, ownerId: string, id: string): Promise<ProjectRow> {
  const project = isUuid(id) ? await findProject(db, ownerId, id) : null;
  if (!project) throw new ApiError("NOT_FOUND", "No such project.");
  return project;
}

/** Applies `changes` to the owner's project, or NOT_FOUND when it is gone. */
export async function saveOwnedProject(
  db: Database,
  ownerId: string,
  id: string,
  changes: Parameters<typeof updateProject>[3],
): Promise<ProjectRow> {
  const project = await updateProject(db, ownerId, id, changes);
  if (!project) throw new ApiError("NOT_FOUND", "No such project.");
  return project;
}

/** The normalised URL, or VALIDATION_FAILED naming `field` when collection may not call it. */
export function checkedMetricsUrl(
  env: Pick<Env, "ALLOW_PRIVATE_METRICS_URLS">,
  url: string,
  field: string,
): string {
  const checked = checkOutboundUrl(url, { allowPrivateTargets: env.ALLOW_PRIVATE_METRICS_URLS === "true" });
  if (!checked.ok) {
    throw new ApiError("VALIDATION_FAILED", `The URL is not allowed: ${checked.reason}.`, {
      fields: [{ field, message: checked.reason }],
    });
  }
  return checked.url;
}

/** A new project and its CI API key, which is returned once: only its hash is kept. */
export async function createProject(
  db: Database,
  env: Pick<Env, "ALLOW_PRIVATE_METRICS_URLS" | "ACCOUNT_PROJECT_LIMIT">,
  ownerId: string,
  body: z.infer<typeof createProjectBody>,
) {
  const apiKey = await newApiKey();
  const candidate = body.metricsEndpoint
    ? checkedMetricsUrl(env, body.metricsEndpoint, "metricsEndpoint")
    : null;
  // Checked before the insert, not with it: two creations racing at the limit may both pass,
  // which a limit meant to bound load can afford.
  const projectLimit = accountLimits(env).projects;
  if ((await countProjects(db, ownerId)) >= projectLimit) {
    throw new ApiError(
      "PROJECT_LIMIT_REACHED",
      `An account can have at most ${projectLimit} projects; delete one to create another.`,
      { details: { limit: projectLimit } },
    );
  }
  // New projects start on the free plan; an operator moves them to another.
  const plan = "free";
  checkSettingsAgainstPlan(plan, body);
  const project = await insertProject(db, {
    ownerId,
    name: body.name,
    description: body.description ?? null,
    envs: body.envs ?? ["prod"],
    observationWindowMinutes:
      body.observationWindowMinutes ?? Math.min(15, limitsOf(plan).maxObservationWindowMinutes),
    apiKeyHash: apiKey.hash,
    apiKeyPrefix: apiKey.prefix,
    metricsEndpointCandidate: candidate,
    endpointState: candidate ? "pending_verification" : "none",
  });
  return { project: projectView(project), apiKey: apiKey.key };
}

/** A page of the owner's projects, newest first. */
export async function listOwnedProjects(
  db: Database,
  ownerId: string,
  query: { limit: number; cursor?: string },
) {
  const rows = await listProjects(db, ownerId, { limit: query.limit, before: decodeCursor(query.cursor) });
  const { items, nextCursor } = page(rows, query.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return { items: items.map(projectView), nextCursor };
}

export async function updateProjectSettings(
  db: Database,
  ownerId: string,
  id: string,
  body: z.infer<typeof updateProjectBody>,
) {
  const current = await getOwnedProject(db, ownerId, id);
  checkSettingsAgainstPlan(current.plan, body);
  const project = await saveOwnedProject(db, ownerId, id, {
    name: body.name,
    description: body.description,
    envs: body.envs,
    observationWindowMinutes: body.observationWindowMinutes,
    judge: body.judge,
    judgeSettings: body.judgeSettings,
    baselineIntervalMinutes: body.baselineIntervalMinutes,
    // A new interval starts now: the next run samples, not one old interval later.
    ...(body.baselineIntervalMinutes !== undefined ? { baselineDueAt: null } : {}),
  });
  return projectView(project);
}

/** Deleting needs the exact name, as a guard against deleting the wrong project. */
export async function deleteOwnedProject(db: Database, ownerId: string, id: string, confirmName: string) {
  const project = await getOwnedProject(db, ownerId, id);
  if (confirmName.trim() !== project.name) {
    throw new ApiError("VALIDATION_FAILED", "Type the project's name to confirm.", {
      fields: [{ field: "confirmName", message: "Does not match the project's name." }],
    });
  }
  // Deployments, samples, verdicts and hints go with it (ON DELETE CASCADE); jobs that still
  // name it find nothing and end as no-ops.
  await deleteProject(db, ownerId, id);
}

/**
 * A new CI API key, returned once. The old key stops working at once: rotation is what you do
 * when a key leaked.
 */
export async function rotateApiKey(db: Database, ownerId: string, id: string) {
  await getOwnedProject(db, ownerId, id);
  const apiKey = await newApiKey();
  const project = await saveOwnedProject(db, ownerId, id, {
    apiKeyHash: apiKey.hash,
    apiKeyPrefix: apiKey.prefix,
  });
  return { project: projectView(project), apiKey: apiKey.key };
}
