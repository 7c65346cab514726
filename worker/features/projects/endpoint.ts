import type { Database } from "../../../db/client";
import type { ProjectRow } from "../../../db/queries/projects";
import { ApiError } from "../../lib/errors";
import { fetchMetrics } from "../collection/fetch-metrics";
import { checkEndpointChange } from "../plans/plans";
import { checkedMetricsUrl, getOwnedProject, saveOwnedProject } from "./project-settings";
import { endpointView, signingSecrets } from "./projects";

// A project's metrics endpoint: a candidate URL is set, tested, and becomes the active one that
// collection uses only when a test succeeds.

/** Sets the candidate; collection keeps using the active URL until a test succeeds. */
export async function setEndpointCandidate(
  db: Database,
  env: Pick<Env, "ALLOW_PRIVATE_METRICS_URLS">,
  ownerId: string,
  id: string,
  url: string,
) {
  const current = await getOwnedProject(db, ownerId, id);
  const checked = checkedMetricsUrl(env, url, "url");
  checkEndpointChange(current, checked);
  const project = await saveOwnedProject(db, ownerId, id, {
    metricsEndpointCandidate: checked,
    endpointState: current.metricsEndpointActive === checked ? "active" : "pending_verification",
  });
  return endpointView(project);
}

/**
 * Fetches the candidate (or the active URL) once, exactly as collection will, and activates it
 * when valid. A failure is recorded on the project and thrown as ENDPOINT_TEST_FAILED.
 */
export async function testEndpoint(
  db: Database,
  env: Pick<Env, "ALLOW_PRIVATE_METRICS_URLS" | "ENCRYPTION_KEYS">,
  project: ProjectRow,
  now: Date,
) {
  const url = project.metricsEndpointCandidate ?? project.metricsEndpointActive;
  if (!url) {
    throw new ApiError("VALIDATION_FAILED", "Set a metrics endpoint first.", {
      fields: [{ field: "url", message: "No metrics endpoint is set." }],
    });
  }
  // Checked again here: the plan (or the active URL) may have changed since the candidate was set.
  const mutation = checkEndpointChange(project, url);
  const result = await fetchMetrics({
    url,
    projectId: project.id,
    secrets: await signingSecrets(env.ENCRYPTION_KEYS, project, now),
    allowPrivateTargets: env.ALLOW_PRIVATE_METRICS_URLS === "true",
  });
  if (!result.ok) {
    const failed = await saveOwnedProject(db, project.ownerId, project.id, {
      endpointLastTestedAt: now,
      endpointLastErrorCode: result.code,
      endpointLastErrorMessage: result.message,
    });
    throw new ApiError("ENDPOINT_TEST_FAILED", result.message, {
      details: { reason: result.code, httpStatus: result.httpStatus ?? null, endpoint: endpointView(failed) },
      fields: result.field ? [{ field: result.field, message: result.message }] : undefined,
    });
  }
  const activated = await saveOwnedProject(db, project.ownerId, project.id, {
    metricsEndpointActive: url,
    endpointState: "active",
    // A newly activated endpoint gets its continuous baseline from the next scheduled run.
    baselineDueAt: null,
    endpointLastTestedAt: now,
    endpointLastVerifiedAt: now,
    endpointLastErrorCode: null,
    endpointLastErrorMessage: null,
    // Counted only when the change takes effect.
    ...(mutation === "path_change" ? { endpointPathChanges: project.endpointPathChanges + 1 } : {}),
    ...(mutation === "host_migration" ? { endpointHostMigrations: project.endpointHostMigrations + 1 } : {}),
  });
  return { endpoint: endpointView(activated), sample: result.values };
}
