import type { Context } from "hono";
import { Hono } from "hono";
import type * as z from "zod";
import type { AppEnv } from "../../env";
import { validate } from "../../lib/validation";
import { type GateMode, type GateOutcome, gateOnVerdict } from "./gate";
import { authenticateProject } from "./project-key";
import { gateBody } from "./schemas";

/**
 * Gates for deployment controllers that call a webhook and act on its status (Flagger), under
 * the CI paths only. Flagger sends no headers, so the key may come in the body's `metadata`:
 * the body is read before the key is checked (it is small, and nothing is done with it before).
 */
export const gateRoutes = new Hono<AppEnv>();

const STATUS: Record<GateOutcome, 200 | 412 | 423> = { pass: 200, pending: 423, hold: 412 };
/** When a controller should ask again while the verdict is pending. */
const RETRY_AFTER_SECONDS = "30";

async function answerGate(c: Context<AppEnv>, mode: GateMode, body: z.output<typeof gateBody>) {
  const { metadata } = body;
  const project = await authenticateProject(c, metadata.api_key);
  const { outcome, answer } = await gateOnVerdict(c.var.db, {
    projectId: project.id,
    target: { deploymentId: metadata.deployment_id, env: metadata.env, version: metadata.version },
    mode,
    origin: new URL(c.req.url).origin,
  });
  if (outcome === "pending") c.header("Retry-After", RETRY_AFTER_SECONDS);
  return c.json(answer, STATUS[outcome]);
}

gateRoutes.post("/gate", validate("json", gateBody), (c) => answerGate(c, "promote", c.req.valid("json")));
gateRoutes.post("/gate/rollback", validate("json", gateBody), (c) =>
  answerGate(c, "rollback", c.req.valid("json")),
);
