import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { createWebhookBody, deliveryListQuery, deliveryParam, projectParam, webhookParam } from "./schemas";
import {
  createWebhook,
  getOwnedWebhook,
  listProjectWebhooks,
  listWebhookDeliveries,
  redeliver,
  removeWebhook,
  rotateWebhookSecret,
  sendTestEvent,
} from "./webhooks";

/** A project's webhooks, under /api/projects (signed-in user, own projects only). */
export const webhookRoutes = new Hono<AppEnv>();
webhookRoutes.use(requireAuth());

webhookRoutes.post(
  "/:id/webhooks",
  validate("param", projectParam),
  validate("json", createWebhookBody),
  async (c) => {
    const { userId } = authOf(c);
    await enforceRateLimit(c, RATE_LIMITS.webhookSecretPerUser, userId);
    const created = await createWebhook(
      c.var.db,
      c.env,
      userId,
      c.req.valid("param").id,
      c.req.valid("json"),
      new Date(),
    );
    return c.json(created, 201);
  },
);

webhookRoutes.get("/:id/webhooks", validate("param", projectParam), async (c) => {
  return c.json(await listProjectWebhooks(c.var.db, authOf(c).userId, c.req.valid("param").id, new Date()));
});

webhookRoutes.delete("/:id/webhooks/:webhookId", validate("param", webhookParam), async (c) => {
  const { id, webhookId } = c.req.valid("param");
  await removeWebhook(c.var.db, authOf(c).userId, id, webhookId);
  return c.body(null, 204);
});

webhookRoutes.post("/:id/webhooks/:webhookId/rotate-secret", validate("param", webhookParam), async (c) => {
  const { userId } = authOf(c);
  const { id, webhookId } = c.req.valid("param");
  await enforceRateLimit(c, RATE_LIMITS.webhookSecretPerUser, userId);
  return c.json(await rotateWebhookSecret(c.var.db, c.env, userId, id, webhookId, new Date()));
});

webhookRoutes.get(
  "/:id/webhooks/:webhookId/deliveries",
  validate("param", webhookParam),
  validate("query", deliveryListQuery),
  async (c) => {
    const { id, webhookId } = c.req.valid("param");
    return c.json(
      await listWebhookDeliveries(c.var.db, authOf(c).userId, id, webhookId, c.req.valid("query")),
    );
  },
);

webhookRoutes.post(
  "/:id/webhooks/:webhookId/deliveries/:deliveryId/redeliver",
  validate("param", deliveryParam),
  async (c) => {
    const { userId } = authOf(c);
    const { id, webhookId, deliveryId } = c.req.valid("param");
    await enforceRateLimit(c, RATE_LIMITS.webhookSendPerUser, userId);
    return c.json(await redeliver(c.var.db, userId, id, webhookId, deliveryId, new Date()), 202);
  },
);

webhookRoutes.post("/:id/webhooks/:webhookId/test", validate("param", webhookParam), async (c) => {
  const { userId } = authOf(c);
  const { id, webhookId } = c.req.valid("param");
  // Another owner's webhook is a 404 before anything is counted.
  const webhook = await getOwnedWebhook(c.var.db, userId, id, webhookId);
  await enforceRateLimit(c, RATE_LIMITS.webhookSendPerUser, userId);
  return c.json(await sendTestEvent(c.var.db, c.env, webhook, new Date()));
});
