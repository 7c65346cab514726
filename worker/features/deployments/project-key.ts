import type { Context } from "hono";
import type { DeploymentScope } from "../../../db/queries/deployment-views";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { findProjectByApiKey, type ProjectRow } from "../projects/projects";

/** The project's CI key the caller presents (`X-API-Key`, or `Authorization: Bearer sp_...`), if any. */
function presentedProjectKey(c: Context<AppEnv>): string | undefined {
  const bearer = /^Bearer\s+(sp_\S+)$/i.exec(c.req.header("Authorization") ?? "")?.[1];
  return c.req.header("X-API-Key")?.trim() || bearer;
}

/**
 * The project whose key the caller presents. A valid key is limited per key
 * (`RATE_LIMITS.ciPerProject`); failures are limited per address (`ciAuthFailuresPerIp`), so
 * guessing keys stops there while a runner's other pipelines keep working. One Durable Object
 * call per request either way.
 */
export async function authenticateProject(
  c: Context<AppEnv>,
  /** A key sent elsewhere than the headers (a gate's webhook body); the headers' one first. */
  keyInBody?: string,
): Promise<ProjectRow> {
  const key = presentedProjectKey(c) ?? keyInBody;
  const project = await findProjectByApiKey(c.var.db, key);
  if (!project) {
    await enforceRateLimit(c, RATE_LIMITS.ciAuthFailuresPerIp);
    throw new ApiError(
      "UNAUTHENTICATED",
      key ? "Invalid API key." : "Send the project's API key in X-API-Key.",
    );
  }
  await enforceRateLimit(c, RATE_LIMITS.ciPerProject, project.id);
  return project;
}

/**
 * Who reads a deployment: a signed-in user sees the deployments of every project they own, a
 * pipeline those of its key's project only. Either way the scope is part of the query, so a
 * deployment outside it is a 404 by construction.
 */
export type DeploymentReader = { kind: "user"; userId: string } | { kind: "project"; projectId: string };

export function scopeOf(reader: DeploymentReader): DeploymentScope {
  return reader.kind === "user" ? { ownerId: reader.userId } : { projectId: reader.projectId };
}

/**
 * The reader of a request: the project when a CI key is presented (a wrong key is a 401, never a
 * fallback to the session beside it), else the signed-in user the `authenticate` middleware
 * found (only under `/api`; the CI paths read no session), else a 401.
 */
export async function authenticateDeploymentReader(c: Context<AppEnv>): Promise<DeploymentReader> {
  if (presentedProjectKey(c) !== undefined) {
    return { kind: "project", projectId: (await authenticateProject(c)).id };
  }
  const auth = c.var.auth;
  if (auth) return { kind: "user", userId: auth.userId };
  throw new ApiError("UNAUTHENTICATED", "Send the project's API key in X-API-Key, or sign in.");
}
