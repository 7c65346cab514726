import type { Context } from "hono";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { validate } from "../../lib/validation";
import type { ProjectRow } from "../projects/projects";
import { recordDeploymentFinish } from "./finish";
import { authenticateProject } from "./project-key";
import { finishBody, triggerBody } from "./schemas";
import { triggerDeployment } from "./trigger";

/**
 * The CI contract: `POST /deployments/trigger` and `/finish`, also under `/api`. Paths, headers
 * (`X-API-Key`, `X-Idempotency-Key`) and body fields are those of the earlier SeqPulse, so
 * existing pipelines and SDKs keep working; `status` in the answers too.
 */
type CiEnv = { Bindings: Env; Variables: AppEnv["Variables"] & { project: ProjectRow } };
export const ciRoutes = new Hono<CiEnv>();

// Authentication before validation: callers without a valid key learn nothing about the body.
// Scoped to the CI paths: the dashboard's reads share the /api/deployments prefix.
const requireProjectKey = createMiddleware<CiEnv>(async (c, next) => {
  c.set("project", await authenticateProject(c as unknown as Context<AppEnv>));
  await next();
});
ciRoutes.use("/trigger", requireProjectKey);
ciRoutes.use("/finish", requireProjectKey);

ciRoutes.post("/trigger", validate("json", triggerBody), async (c) => {
  const body = c.req.valid("json");
  const { deploymentId, replayed, envForced } = await triggerDeployment(c.var.db, c.env, {
    project: c.var.project,
    input: { ...body, idempotencyKey: c.req.header("X-Idempotency-Key") ?? body.idempotency_key ?? null },
    now: new Date(),
    // After the answer, on the request's own connection (kept open until this settles).
    inBackground: c.var.inBackground,
  });
  if (replayed) c.header("Idempotent-Replayed", "true");
  return c.json({
    deployment_id: deploymentId,
    status: "created",
    message: envForced
      ? `Deployment created. Environment was forced from '${envForced.from}' to '${envForced.to}' (${c.var.project.plan} plan).`
      : null,
  });
});

ciRoutes.post("/finish", validate("json", finishBody), async (c) => {
  const outcome = await recordDeploymentFinish(c.var.db, {
    project: c.var.project,
    input: c.req.valid("json"),
    now: new Date(),
  });
  if (outcome.status === "accepted") {
    return c.json({
      status: "accepted",
      message: `Deployment finished. Analysis scheduled in ${outcome.windowMinutes} minutes.`,
    });
  }
  if (outcome.status === "not_found") {
    return c.json(
      {
        status: "not_found",
        message: "Deployment not found",
        error: {
          code: "NOT_FOUND",
          message: "No such deployment in this project.",
          requestId: c.var.requestId,
        },
      },
      404,
    );
  }
  return c.json({
    status: "ignored",
    message: `Deployment state is '${outcome.state}', finish ignored`,
  });
});
