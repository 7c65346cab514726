import * as z from "zod";
import { errorResponse, type RouteContract } from "../../lib/contract";
import { optionalEmailCategories } from "./types";

const tag = "Email";

export const emailPreferencesSchema = z.strictObject({
  product: z.boolean().describe("Onboarding, first-verdict, quota and plan mail."),
  alerts: z.boolean().describe("Critical verdict alerts."),
});

export const emailPreferencesResponse = z.strictObject({ preferences: emailPreferencesSchema });

export const updateEmailPreferencesBody = z
  .strictObject({ product: z.boolean().optional(), alerts: z.boolean().optional() })
  .refine((body) => body.product !== undefined || body.alerts !== undefined, {
    message: "Give product, alerts or both.",
  });

/** An unsubscribe link's token: `<user id>.<category>.<version>.<hex>`, bounded here, checked by HMAC. */
const unsubscribeToken = z.string().min(1).max(200);

export const unsubscribeBody = z.strictObject({ token: unsubscribeToken });
export const oneClickQuery = z.object({ token: unsubscribeToken });

export const unsubscribeResponse = z.strictObject({
  unsubscribed: z.enum(optionalEmailCategories).describe("The category of mail now turned off."),
});

export const emailContract: RouteContract[] = [
  {
    method: "GET",
    path: "/api/account/email-preferences",
    tag,
    summary: "The signed-in user's email preferences",
    description: "Essential mail (verification, password reset, security notices) cannot be turned off.",
    security: "session",
    responses: { 200: { description: "The preferences.", body: emailPreferencesResponse } },
  },
  {
    method: "PUT",
    path: "/api/account/email-preferences",
    tag,
    summary: "Turn non-essential mail on or off",
    security: "session",
    request: { body: updateEmailPreferencesBody },
    responses: { 200: { description: "The preferences after the change.", body: emailPreferencesResponse } },
  },
  {
    method: "POST",
    path: "/api/email/unsubscribe",
    tag,
    summary: "Unsubscribe with a mail's link",
    description:
      "The token of an unsubscribe link turns off the category of mail it names, without signing in. The page at `/unsubscribe/?token=` asks for one click before calling this: a GET never changes anything (mail scanners follow links).",
    security: "public",
    request: { body: unsubscribeBody },
    responses: {
      200: { description: "Turned off.", body: unsubscribeResponse },
      400: errorResponse("The token is not valid (INVALID_UNSUBSCRIBE_TOKEN), or the body is malformed."),
    },
  },
  {
    method: "POST",
    path: "/api/email/unsubscribe/one-click",
    tag,
    summary: "RFC 8058 one-click unsubscribe",
    description:
      "The `List-Unsubscribe` target of non-essential mail: mail clients POST `List-Unsubscribe=One-Click` (form-encoded) to it. The token is in the query.",
    security: "public",
    request: { query: oneClickQuery },
    responses: {
      200: { description: "Turned off.", body: unsubscribeResponse },
      400: errorResponse("The token is not valid (INVALID_UNSUBSCRIBE_TOKEN)."),
    },
  },
];
