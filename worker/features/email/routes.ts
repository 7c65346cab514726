import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { validate } from "../../lib/validation";
import { authOf, requireAuth, requireSession } from "../../middleware/authenticate";
import { changeEmailPreferences, emailPreferencesOf, unsubscribeWithToken } from "./preferences";
import { oneClickQuery, unsubscribeBody, updateEmailPreferencesBody } from "./schemas";

/** The signed-in user's email preferences, under /api/account. */
export const emailPreferenceRoutes = new Hono<AppEnv>();
emailPreferenceRoutes.use(requireAuth(), requireSession());

emailPreferenceRoutes.get("/email-preferences", async (c) => {
  return c.json({ preferences: await emailPreferencesOf(c.var.db, authOf(c).userId) });
});

emailPreferenceRoutes.put("/email-preferences", validate("json", updateEmailPreferencesBody), async (c) => {
  const preferences = await changeEmailPreferences(
    c.var.db,
    authOf(c).userId,
    c.req.valid("json"),
    new Date(),
  );
  return c.json({ preferences });
});

/** Unsubscribe links, under /api/email: the token is the authority, no session. */
export const unsubscribeRoutes = new Hono<AppEnv>();

unsubscribeRoutes.post("/unsubscribe", validate("json", unsubscribeBody), async (c) => {
  const { category } = await unsubscribeWithToken(c.var.db, c.env, c.req.valid("json").token, new Date());
  return c.json({ unsubscribed: category });
});

/**
 * RFC 8058: mail clients POST `List-Unsubscribe=One-Click` from their servers, form-encoded and
 * cross-site, so this route is mounted before the CSRF rule (it acts on the token alone, never on
 * a cookie). The body is not needed to act and is not read.
 */
export const oneClickUnsubscribeRoutes = new Hono<AppEnv>();

oneClickUnsubscribeRoutes.post("/", validate("query", oneClickQuery), async (c) => {
  const { category } = await unsubscribeWithToken(c.var.db, c.env, c.req.valid("query").token, new Date());
  return c.json({ unsubscribed: category });
});
