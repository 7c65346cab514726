import type { Database } from "../../../db/client";
import { listLinkedProviders, type UserSummary } from "../../../db/queries/users";
import type { UserView } from "./schemas";

/** The user as the API shows it (/api/auth/me, signup, login, 2FA login): fields listed explicitly. */
export async function userView(db: Database, user: UserSummary): Promise<UserView> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    twoFactorEnabled: user.totpEnabledAt !== null,
    hasPassword: user.hasPassword,
    linkedProviders: await listLinkedProviders(db, user.id),
  };
}
