// A sweep of 1,000 due collection jobs against a local application: how long one scheduled
// event takes to scrape and store them all, and how many database round trips it costs.
//
// The jobs come from the real path: 20 projects with a 50-minute observation window, each
// triggered and finished once, so each has 50 post-deploy samples queued a minute apart. One
// scheduled event fired 49 minutes after the finishes finds all 1,000 due (and the 20 baseline
// re-checks, already stored).

import { startMetricsApp } from "../lib/metrics-app.mjs";
import { benchClient, measureScheduledEvent } from "./http.mjs";

const PROJECTS = 20;
const WINDOW_MINUTES = 50;
const PASSWORD = "plausible-walrus-cartography-42";

const { call, clientIp } = benchClient("198.19");

/**
 * Signs up an owner and creates `count` projects whose endpoints are tested and active.
 * @param {string} baseUrl
 * @param {string} appUrl
 * @param {number} count
 * @param {string} tag
 * @returns {Promise<string[]>} the projects' API keys
 */
async function projectsOfNewOwner(baseUrl, appUrl, count, tag) {
  const signup = await call(baseUrl, "/api/auth/signup", {
    method: "POST",
    body: { email: `bench-sweep-${tag}-${Date.now()}@example.com`, password: PASSWORD, name: "Bench" },
  });
  const cookie = signup.cookie.join("; ");
  const keys = [];
  for (let i = 0; i < count; i++) {
    const { json } = await call(baseUrl, "/api/projects", {
      method: "POST",
      headers: { Cookie: cookie },
      body: {
        name: `sweep ${tag}-${i}`,
        observationWindowMinutes: WINDOW_MINUTES,
        metricsEndpoint: `${appUrl}/apps/sweep-${tag}-${i}/seqpulse-metrics`,
      },
    });
    await call(baseUrl, `/api/projects/${json.project.id}/endpoint/test`, {
      method: "POST",
      headers: { Cookie: cookie },
    });
    keys.push(json.apiKey);
  }
  return keys;
}

/** The stack's OPERATOR_TOKEN under `npm run bench`: the job counts are for operators only. */
export const BENCH_OPERATOR_TOKEN = "bench-operator-token";

/**
 * @param {{ url: string, dbStats: () => Promise<{ connections: number, roundTrips: number } | null> }} stack
 */
export async function benchSweep(stack) {
  const app = await startMetricsApp();
  try {
    // The endpoint test is limited to 10 a minute per user: two owners of ten projects each.
    const keys = [
      ...(await projectsOfNewOwner(stack.url, app.url, PROJECTS / 2, "a")),
      ...(await projectsOfNewOwner(stack.url, app.url, PROJECTS / 2, "b")),
    ];
    let lastFinish = 0;
    for (const key of keys) {
      const ci = { "X-API-Key": key };
      const { json } = await call(stack.url, "/deployments/trigger", {
        method: "POST",
        headers: ci,
        body: { env: "prod" },
      });
      await call(stack.url, "/deployments/finish", {
        method: "POST",
        headers: ci,
        body: { deployment_id: json.deployment_id, result: "success" },
      });
      lastFinish = Date.now();
    }
    // Wait for the baselines (collected after the trigger's answer).
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const at = lastFinish + (WINDOW_MINUTES - 1) * 60_000 + 1000;
    const { ms, scrapes, roundTrips, connections } = await measureScheduledEvent(stack, app, at);

    const healthResponse = await fetch(`${stack.url}/health/scheduler`, {
      headers: { "CF-Connecting-IP": clientIp(), Authorization: `Bearer ${BENCH_OPERATOR_TOKEN}` },
    });
    const health = /** @type {{ jobs?: { pending?: number } }} */ (await healthResponse.json());
    console.log(
      `sweep of ${PROJECTS * WINDOW_MINUTES} due samples: ${ms.toFixed(0)} ms, ${scrapes} scrapes, ` +
        `${roundTrips ?? "?"} database round trips (${roundTrips === null ? "?" : (roundTrips / scrapes).toFixed(3)} per job) ` +
        `on ${connections ?? "?"} connection(s); jobs still pending: ${health.jobs?.pending}`,
    );
    return { ms, scrapes, roundTrips, connections, pendingAfter: health.jobs?.pending };
  } finally {
    await app.close();
  }
}
