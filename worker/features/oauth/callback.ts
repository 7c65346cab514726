import type * as z from "zod";
import type { Database } from "../../../db/client";
import { findUserById } from "../../../db/queries/users";
import { constantTimeEqualString } from "../../lib/crypto";
import { fetchVerifiedProfile, OAuthFlowError, resolveAccount } from "./oauth";
import type { OAuthSettings, ProviderCredentials } from "./providers";
import type { callbackQuery, FlowCookie, OAuthProvider } from "./schemas";

export type CallbackOutcome =
  /** The identity was added to the signed-in account that started the flow. */
  | { mode: "link"; next: string }
  /** The account to sign in (its second factor, if any, still to come). */
  | { mode: "signin"; next: string; user: { id: string; totpEnabledAt: Date | null } };

/**
 * The provider's answer to an authorization this browser started (`flow`, from its cookie):
 * checks the state, trades the code for a verified profile, and links, finds or creates the
 * account. Every refusal is an `OAuthFlowError` with a stable code.
 */
export async function completeOAuthCallback(
  db: Database,
  params: {
    settings: OAuthSettings;
    provider: OAuthProvider;
    credentials: ProviderCredentials;
    query: z.infer<typeof callbackQuery>;
    flow: FlowCookie | null;
    redirectUri: string;
    /** The signed-in user of this browser's session (never a personal API token's), or null. */
    currentUserId: string | null;
  },
): Promise<CallbackOutcome> {
  const { flow } = params;
  const { code, state, error } = params.query;
  // State bound to this browser: a callback link made in another browser (login CSRF) fails.
  if (!flow || !state || !constantTimeEqualString(flow.state, state)) {
    throw new OAuthFlowError("OAUTH_STATE_MISMATCH", flow ? "state differs" : "no flow cookie");
  }
  if (error) {
    throw new OAuthFlowError(
      error === "access_denied" ? "OAUTH_CANCELLED" : "OAUTH_FAILED",
      "provider error",
    );
  }
  if (!code) throw new OAuthFlowError("OAUTH_FAILED", "no code");
  if (!flow.codeVerifier) throw new OAuthFlowError("OAUTH_STATE_MISMATCH", "no PKCE verifier");

  const profile = await fetchVerifiedProfile(params.settings, params.provider, params.credentials, {
    code,
    codeVerifier: flow.codeVerifier,
    redirectUri: params.redirectUri,
  });
  const userId = await resolveAccount(db, {
    provider: params.provider,
    profile,
    mode: flow.mode,
    currentUserId: params.currentUserId,
    flowUserId: flow.userId,
  });
  // Linking happens inside a session: nothing to sign in.
  if (flow.mode === "link") return { mode: "link", next: flow.next };

  const user = await findUserById(db, userId);
  if (!user) throw new OAuthFlowError("OAUTH_FAILED", "account vanished");
  return { mode: "signin", next: flow.next, user };
}
