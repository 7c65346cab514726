// Per-account limits that bound the load one account puts on the sweeps: each project is an
// endpoint sampled while it deploys (and between deploys, for its baseline), each deployment in
// flight a sample a minute. Operators may set them per deployment of SeqPulse (wrangler [vars]),
// e.g. higher for a self-hosted instance or a load test.

export const DEFAULT_PROJECT_LIMIT = 100;
export const DEFAULT_DEPLOYMENTS_IN_FLIGHT_LIMIT = 100;

export interface AccountLimits {
  projects: number;
  deploymentsInFlight: number;
}

/** A positive whole number, or the default: a mistyped variable never lifts a limit to nothing. */
function limitOf(value: string | undefined, fallback: number): number {
  if (!value || !/^\d{1,7}$/.test(value.trim())) return fallback;
  const parsed = Number(value.trim());
  return parsed > 0 ? parsed : fallback;
}

export function accountLimits(env: {
  ACCOUNT_PROJECT_LIMIT?: string;
  ACCOUNT_DEPLOYMENTS_IN_FLIGHT_LIMIT?: string;
}): AccountLimits {
  return {
    projects: limitOf(env.ACCOUNT_PROJECT_LIMIT, DEFAULT_PROJECT_LIMIT),
    deploymentsInFlight: limitOf(
      env.ACCOUNT_DEPLOYMENTS_IN_FLIGHT_LIMIT,
      DEFAULT_DEPLOYMENTS_IN_FLIGHT_LIMIT,
    ),
  };
}
