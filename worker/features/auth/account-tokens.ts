// Minting the tokens of mailed links. Apart from email-links.ts (which spends them) so that the
// mail templates can mint without importing the code that queues mail (no import cycle).
import type { Database } from "../../../db/client";
import { replaceAccountToken } from "../../../db/queries/account-tokens";
import type { AccountTokenPurpose } from "../../../db/schema";
import { randomSecret, sha256Hex } from "../../lib/crypto";

export const ACCOUNT_TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  password_reset: 30 * 60 * 1000,
};

/** `randomSecret()`: 32 random bytes, base64url without padding. */
export const ACCOUNT_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new token for the user, valid for its purpose's lifetime; older unused ones of the same
 * purpose stop working. Returns the token, to put in the mail and nowhere else.
 */
export async function mintAccountToken(
  db: Database,
  params: { userId: string; purpose: AccountTokenPurpose; now: Date },
): Promise<string> {
  const token = randomSecret();
  await replaceAccountToken(db, {
    userId: params.userId,
    purpose: params.purpose,
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(params.now.getTime() + ACCOUNT_TOKEN_TTL_MS[params.purpose]),
  });
  return token;
}
