import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { projectParam, saveSlackBody } from "./schemas";
import {
  getOwnedSlackProject,
  getSlackSettings,
  removeSlackSettings,
  saveSlackSettings,
  sendSlackTest,
  setSlackEnabled,
} from "./slack";

/** A project's Slack notifications, under /api/projects (signed-in user, own projects only). */
export const slackRoutes = new Hono<AppEnv>();
slackRoutes.use(requireAuth());

slackRoutes.get("/:id/slack", validate("param", projectParam), async (c) => {
  return c.json(await getSlackSettings(c.var.db, authOf(c).userId, c.req.valid("param").id));
});

slackRoutes.put("/:id/slack", validate("param", projectParam), validate("json", saveSlackBody), async (c) => {
  const { userId } = authOf(c);
  return c.json(
    await saveSlackSettings(c.var.db, c.env, userId, c.req.valid("param").id, c.req.valid("json")),
  );
});

slackRoutes.delete("/:id/slack", validate("param", projectParam), async (c) => {
  await removeSlackSettings(c.var.db, authOf(c).userId, c.req.valid("param").id);
  return c.body(null, 204);
});

slackRoutes.post("/:id/slack/enable", validate("param", projectParam), async (c) => {
  return c.json(await setSlackEnabled(c.var.db, authOf(c).userId, c.req.valid("param").id, true));
});

slackRoutes.post("/:id/slack/disable", validate("param", projectParam), async (c) => {
  return c.json(await setSlackEnabled(c.var.db, authOf(c).userId, c.req.valid("param").id, false));
});

slackRoutes.post("/:id/slack/test", validate("param", projectParam), async (c) => {
  const { userId } = authOf(c);
  // Another owner's project is a 404 before anything is counted.
  const target = await getOwnedSlackProject(c.var.db, userId, c.req.valid("param").id);
  await enforceRateLimit(c, RATE_LIMITS.slackSendPerUser, userId);
  return c.json(await sendSlackTest(c.env, target));
});
