// Sign-in providers. Which ones are configured is asked of the API; a missing route or any
// error means "none" (the buttons simply do not appear).
import { apiRequest } from "../../lib/api-client";
import { sanitizeNextPath } from "./next-path";

export const oauthProviders = ["github", "google"] as const;
export type OAuthProvider = (typeof oauthProviders)[number];

export const providerNames: Record<OAuthProvider, string> = { github: "GitHub", google: "Google" };

export function isOAuthProvider(value: unknown): value is OAuthProvider {
  return typeof value === "string" && (oauthProviders as readonly string[]).includes(value);
}

/** The configured providers in a fixed order, from the API's answer (unknown names dropped). */
export function configuredProviders(body: unknown): OAuthProvider[] {
  const listed =
    typeof body === "object" && body !== null && Array.isArray((body as { providers?: unknown }).providers)
      ? ((body as { providers: unknown[] }).providers as unknown[])
      : [];
  return oauthProviders.filter((provider) => listed.includes(provider));
}

let pending: Promise<OAuthProvider[]> | null = null;

export function loadOAuthProviders(): Promise<OAuthProvider[]> {
  pending ??= apiRequest<unknown>("GET", "/api/auth/oauth/providers").then((result) =>
    result.ok ? configuredProviders(result.data) : [],
  );
  return pending;
}

/** A full-page navigation target: the Worker redirects to the provider from there. */
export function oauthStartUrl(provider: OAuthProvider, mode: "signin" | "link", next: string | null): string {
  const params = new URLSearchParams({ mode });
  const safe = sanitizeNextPath(next);
  if (safe) params.set("next", safe);
  return `/api/auth/oauth/${provider}/start?${params.toString()}`;
}
