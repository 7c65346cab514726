import type { Context } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import {
  countProjects,
  deleteProject,
  findProject,
  insertProject,
  listProjects,
  type ProjectRow,
  updateProject,
} from "../../../db/queries/projects";
import type { AppEnv } from "../../env";
import { accountLimits } from "../../lib/account-limits";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { decodeCursor, page, paginationQuery } from "../../lib/pagination";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { secretBox } from "../../lib/secret-box";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { fetchMetrics } from "../collection/fetch-metrics";
import { checkOutboundUrl } from "../collection/outbound-url";
import {
  encryptHmacSecret,
  endpointView,
  HMAC_ROTATION_GRACE_MS,
  newApiKey,
  newHmacSecret,
  projectView,
  signingSecrets,
} from "./projects";
import {
  createProjectBody,
  deleteProjectBody,
  endpointBody,
  projectIdParam,
  updateProjectBody,
} from "./schemas";

export const projectRoutes = new Hono<AppEnv>();
projectRoutes.use(requireAuth());

/** The caller's project, or 404 (also for ids that are not even UUIDs, and other owners' ids). */
async function loadProject(c: Context<AppEnv>, id: string): Promise<ProjectRow> {
  const project = isUuid(id) ? await findProject(c.var.db, authOf(c).userId, id) : null;
  if (!project) throw new ApiError("NOT_FOUND", "No such project.");
  return project;
}

async function saveProject(c: Context<AppEnv>, id: string, changes: Parameters<typeof updateProject>[3]) {
  const project = await updateProject(c.var.db, authOf(c).userId, id, changes);
  if (!project) throw new ApiError("NOT_FOUND", "No such project.");
  return project;
}

function allowPrivateTargets(c: Context<AppEnv>) {
  return c.env.ALLOW_PRIVATE_METRICS_URLS === "true";
}

function checkedUrl(c: Context<AppEnv>, url: string, field: string): string {
  const checked = checkOutboundUrl(url, { allowPrivateTargets: allowPrivateTargets(c) });
  if (!checked.ok) {
    throw new ApiError("VALIDATION_FAILED", `The URL is not allowed: ${checked.reason}.`, {
      fields: [{ field, message: checked.reason }],
    });
  }
  return checked.url;
}

projectRoutes.post("/", validate("json", createProjectBody), async (c) => {
  const body = c.req.valid("json");
  const apiKey = await newApiKey();
  const candidate = body.metricsEndpoint ? checkedUrl(c, body.metricsEndpoint, "metricsEndpoint") : null;
  // Checked before the insert, not with it: two creations racing at the limit may both pass,
  // which a limit meant to bound load can afford.
  const projectLimit = accountLimits(c.env).projects;
  if ((await countProjects(c.var.db, authOf(c).userId)) >= projectLimit) {
    throw new ApiError(
      "PROJECT_LIMIT_REACHED",
      `An account can have at most ${projectLimit} projects; delete one to create another.`,
      { details: { limit: projectLimit } },
    );
  }
  const project = await insertProject(c.var.db, {
    ownerId: authOf(c).userId,
    name: body.name,
    description: body.description ?? null,
    envs: body.envs ?? ["prod"],
    observationWindowMinutes: body.observationWindowMinutes ?? 15,
    apiKeyHash: apiKey.hash,
    apiKeyPrefix: apiKey.prefix,
    metricsEndpointCandidate: candidate,
    endpointState: candidate ? "pending_verification" : "none",
  });
  // The key is shown once; only its hash is kept.
  return c.json({ project: projectView(project), apiKey: apiKey.key }, 201);
});

projectRoutes.get("/", validate("query", z.object(paginationQuery)), async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const rows = await listProjects(c.var.db, authOf(c).userId, { limit, before: decodeCursor(cursor) });
  const { items, nextCursor } = page(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  return c.json({ items: items.map(projectView), nextCursor });
});

projectRoutes.get("/:id", validate("param", projectIdParam), async (c) => {
  return c.json({ project: projectView(await loadProject(c, c.req.valid("param").id)) });
});

projectRoutes.patch(
  "/:id",
  validate("param", projectIdParam),
  validate("json", updateProjectBody),
  async (c) => {
    const { id } = c.req.valid("param");
    await loadProject(c, id);
    const body = c.req.valid("json");
    const project = await saveProject(c, id, {
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
    return c.json({ project: projectView(project) });
  },
);

/** Deleting needs the exact name, as a guard against deleting the wrong project. */
projectRoutes.delete(
  "/:id",
  validate("param", projectIdParam),
  validate("json", deleteProjectBody),
  async (c) => {
    const { id } = c.req.valid("param");
    const project = await loadProject(c, id);
    if (c.req.valid("json").confirmName.trim() !== project.name) {
      throw new ApiError("VALIDATION_FAILED", "Type the project's name to confirm.", {
        fields: [{ field: "confirmName", message: "Does not match the project's name." }],
      });
    }
    // Deployments, samples, verdicts and hints go with it (ON DELETE CASCADE); jobs that still
    // name it find nothing and end as no-ops.
    await deleteProject(c.var.db, authOf(c).userId, id);
    return c.body(null, 204);
  },
);

/** The old key stops working at once: rotation is what you do when a key leaked. */
projectRoutes.post("/:id/api-key/rotate", validate("param", projectIdParam), async (c) => {
  const { id } = c.req.valid("param");
  await loadProject(c, id);
  const apiKey = await newApiKey();
  const project = await saveProject(c, id, { apiKeyHash: apiKey.hash, apiKeyPrefix: apiKey.prefix });
  return c.json({ project: projectView(project), apiKey: apiKey.key });
});

projectRoutes.get("/:id/endpoint", validate("param", projectIdParam), async (c) => {
  return c.json({ endpoint: endpointView(await loadProject(c, c.req.valid("param").id)) });
});

/** Sets the candidate; collection keeps using the active URL until a test succeeds. */
projectRoutes.put(
  "/:id/endpoint",
  validate("param", projectIdParam),
  validate("json", endpointBody),
  async (c) => {
    const { id } = c.req.valid("param");
    const current = await loadProject(c, id);
    const url = checkedUrl(c, c.req.valid("json").url, "url");
    const project = await saveProject(c, id, {
      metricsEndpointCandidate: url,
      endpointState: current.metricsEndpointActive === url ? "active" : "pending_verification",
    });
    return c.json({ endpoint: endpointView(project) });
  },
);

/** Fetches the candidate once, exactly as collection will, and activates it if it is valid. */
projectRoutes.post("/:id/endpoint/test", validate("param", projectIdParam), async (c) => {
  const { id } = c.req.valid("param");
  const project = await loadProject(c, id);
  // Each test is an outbound request to a URL of the user's choosing: bounded, so the endpoint
  // cannot be used to probe other hosts at volume.
  await enforceRateLimit(c, RATE_LIMITS.endpointTestPerUser, authOf(c).userId);
  const url = project.metricsEndpointCandidate ?? project.metricsEndpointActive;
  if (!url) {
    throw new ApiError("VALIDATION_FAILED", "Set a metrics endpoint first.", {
      fields: [{ field: "url", message: "No metrics endpoint is set." }],
    });
  }
  const now = new Date();
  const result = await fetchMetrics({
    url,
    projectId: project.id,
    secrets: await signingSecrets(c.env.ENCRYPTION_KEYS, project, now),
    allowPrivateTargets: allowPrivateTargets(c),
  });
  if (!result.ok) {
    const failed = await saveProject(c, id, {
      endpointLastTestedAt: now,
      endpointLastErrorCode: result.code,
      endpointLastErrorMessage: result.message,
    });
    throw new ApiError("ENDPOINT_TEST_FAILED", result.message, {
      details: { reason: result.code, httpStatus: result.httpStatus ?? null, endpoint: endpointView(failed) },
      fields: result.field ? [{ field: result.field, message: result.message }] : undefined,
    });
  }
  const activated = await saveProject(c, id, {
    metricsEndpointActive: url,
    endpointState: "active",
    // A newly activated endpoint gets its continuous baseline from the next scheduled run.
    baselineDueAt: null,
    endpointLastTestedAt: now,
    endpointLastVerifiedAt: now,
    endpointLastErrorCode: null,
    endpointLastErrorMessage: null,
  });
  return c.json({ endpoint: endpointView(activated), sample: result.values });
});

/** Returns the new secret once. */
projectRoutes.post("/:id/hmac/enable", validate("param", projectIdParam), async (c) => {
  const { id } = c.req.valid("param");
  const project = await loadProject(c, id);
  if (project.hmacEnabled)
    throw new ApiError("HMAC_ALREADY_ENABLED", "HMAC signing is already on; rotate the secret instead.");
  const secret = newHmacSecret();
  const updated = await saveProject(c, id, {
    hmacEnabled: true,
    hmacSecretEncrypted: await encryptHmacSecret(secretBox(c.env.ENCRYPTION_KEYS), id, secret),
    hmacPreviousSecretEncrypted: null,
    hmacPreviousValidUntil: null,
  });
  return c.json({ project: projectView(updated), secret });
});

projectRoutes.post("/:id/hmac/disable", validate("param", projectIdParam), async (c) => {
  const { id } = c.req.valid("param");
  await loadProject(c, id);
  const updated = await saveProject(c, id, {
    hmacEnabled: false,
    hmacSecretEncrypted: null,
    hmacPreviousSecretEncrypted: null,
    hmacPreviousValidUntil: null,
  });
  return c.json({ project: projectView(updated) });
});

/**
 * New secret, returned once. The previous one stays valid for a grace period: collection tries
 * the new secret first and falls back to the old one when the application refuses it.
 */
projectRoutes.post("/:id/hmac/rotate", validate("param", projectIdParam), async (c) => {
  const { id } = c.req.valid("param");
  const project = await loadProject(c, id);
  if (!project.hmacEnabled || !project.hmacSecretEncrypted) {
    throw new ApiError("HMAC_NOT_ENABLED", "HMAC signing is off; enable it first.");
  }
  const secret = newHmacSecret();
  const validUntil = new Date(Date.now() + HMAC_ROTATION_GRACE_MS);
  const updated = await saveProject(c, id, {
    hmacSecretEncrypted: await encryptHmacSecret(secretBox(c.env.ENCRYPTION_KEYS), id, secret),
    hmacPreviousSecretEncrypted: project.hmacSecretEncrypted,
    hmacPreviousValidUntil: validUntil,
  });
  return c.json({
    project: projectView(updated),
    secret,
    previousSecretValidUntil: validUntil.toISOString(),
  });
});
