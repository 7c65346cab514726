import { env } from "cloudflare:workers";
import { healthyMetrics } from "../scripts/lib/metrics-payloads.mjs";

/** Programs the stand-in application (scripts/lib/metrics-app.mjs) from inside workerd. */
export interface AppResponse {
  metrics?: Record<string, number | string>;
  status?: number;
  body?: unknown;
  delayMs?: number;
  /** Headers and half the body at once, the rest after this long. */
  trickleMs?: number;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
  redirect?: string;
}

export function metricsAppUrl(): string {
  const url = env.TEST_METRICS_APP_URL;
  if (!url) throw new Error("TEST_METRICS_APP_URL is not set (test/global-setup.ts)");
  return url;
}

export class StandInApp {
  readonly name = `app-${crypto.randomUUID().slice(0, 8)}`;

  get endpoint(): string {
    return `${metricsAppUrl()}/apps/${this.name}/seqpulse-metrics`;
  }

  async configure(config: { secret?: string | null; responses?: AppResponse[] }): Promise<void> {
    const response = await fetch(`${metricsAppUrl()}/__control/apps/${this.name}`, {
      method: "PUT",
      body: JSON.stringify(config),
    });
    if (!response.ok) throw new Error(`could not configure the stand-in app: ${response.status}`);
  }

  async stats(): Promise<{
    requests: number;
    accepted: number;
    rejected: Array<{ reason: string }>;
    /** Every nonce received, in order (repeats included). */
    nonces: string[];
  }> {
    return (await fetch(`${metricsAppUrl()}/__control/apps/${this.name}`)).json();
  }
}

export const healthy = healthyMetrics();
