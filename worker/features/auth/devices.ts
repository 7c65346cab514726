// Browsers an account has signed in from, to tell the owner about a sign-in from a new one.
import type { Database } from "../../../db/client";
import { recordUserDevice } from "../../../db/queries/account-tokens";
import { randomSecret, sha256Hex } from "../../lib/crypto";
import { queueAccountMail } from "./account-mail";
import type { SignInClient } from "./sign-in";

/** The `sp_device` cookie lives this long; each sign-in renews it. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;
const DEVICE_ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** The user agent as the notice shows it: enough to recognise a browser, no more. */
const USER_AGENT_MAX = 200;

/**
 * Records a completed sign-in (every factor done) from the browser whose device id is
 * `deviceId` (from its cookie; anything not of our shape counts as none) and returns the id the
 * browser keeps. A browser the account has not signed in from before gets a new id, and the
 * owner a "new sign-in" notice, except for the account's first browser (nothing to compare with).
 */
export async function noteSignIn(
  db: Database,
  params: { userId: string; deviceId: string | undefined; client: SignInClient; now: Date },
): Promise<string> {
  const deviceId =
    params.deviceId && DEVICE_ID_SHAPE.test(params.deviceId) ? params.deviceId : randomSecret();
  const { known, firstOfAccount } = await recordUserDevice(db, {
    userId: params.userId,
    deviceHash: await sha256Hex(deviceId),
    now: params.now,
  });
  if (!known && !firstOfAccount) {
    await queueAccountMail(
      db,
      {
        type: "new_sign_in",
        userId: params.userId,
        context: {
          at: params.now.toISOString(),
          user_agent: params.client.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
          ip_address: params.client.ipAddress,
        },
      },
      params.now,
    );
  }
  return deviceId;
}
