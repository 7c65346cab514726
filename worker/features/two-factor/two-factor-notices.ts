// Turning 2FA on or off, with the security notice the owner gets for each. Apart from
// two-factor.ts, which the request schemas (and so the dashboard's types) import: the mail
// queue brings the job system with it.
import type { Database } from "../../../db/client";
import type { SecretBox } from "../../lib/secret-box";
import { queueAccountMail } from "../auth/account-mail";
import type { RecoveryCodes } from "./schemas";
import { confirmTotpSetup, turnOffTwoFactor } from "./two-factor";

/** `confirmTotpSetup`, then a "2FA turned on" notice. */
export async function enableTwoFactor(
  db: Database,
  box: SecretBox,
  params: { userId: string; code: string; now?: Date },
): Promise<RecoveryCodes> {
  const codes = await confirmTotpSetup(db, box, params);
  await queueAccountMail(db, { type: "two_factor_enabled", userId: params.userId }, params.now ?? new Date());
  return codes;
}

/** `turnOffTwoFactor`, then a "2FA turned off" notice. */
export async function disableTwoFactor(
  db: Database,
  box: SecretBox,
  params: { userId: string; password?: string; code: string; now?: Date },
): Promise<void> {
  await turnOffTwoFactor(db, box, params);
  await queueAccountMail(
    db,
    { type: "two_factor_disabled", userId: params.userId },
    params.now ?? new Date(),
  );
}
