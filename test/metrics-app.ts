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

/** A stand-in webhook receiver on the same server (scripts/lib/metrics-app.mjs). */
export class StandInReceiver {
  readonly name = `hook-${crypto.randomUUID().slice(0, 8)}`;

  get url(): string {
    return `${metricsAppUrl()}/hooks/${this.name}`;
  }

  /** The n-th delivery is answered `statuses[n]`; past the end, the last one repeats. */
  async answer(statuses: number[]): Promise<void> {
    const response = await fetch(`${metricsAppUrl()}/__control/hooks/${this.name}`, {
      method: "PUT",
      body: JSON.stringify({ statuses }),
    });
    if (!response.ok) throw new Error(`could not configure the stand-in receiver: ${response.status}`);
  }

  /** Every request received, in order, with the raw body and the status it was answered. */
  async received(): Promise<Array<{ headers: Record<string, string>; body: string; status: number }>> {
    const response = await fetch(`${metricsAppUrl()}/__control/hooks/${this.name}`);
    return (
      await response.json<{
        received: Array<{ headers: Record<string, string>; body: string; status: number }>;
      }>()
    ).received;
  }
}

export const healthy = healthyMetrics();
