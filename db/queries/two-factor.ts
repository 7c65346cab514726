import type { Database } from "../client";
import { twoFactorChallenges } from "../schema";

export async function insertTwoFactorChallenge(
  db: Database,
  values: { id: string; userId: string; secretHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(twoFactorChallenges).values(values);
}
