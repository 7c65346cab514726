// The continuous baseline's capacity: how many idle projects one scheduled event samples, how
// long that takes, and what it costs the database, against a local application answering at
// once, then in 200 ms (a plausible production endpoint), then not at all (hanging).
//
// 400 projects of 40 accounts (10 each: the per-account cap of a run), created and tested through
// the API, none with a deployment: all due at the first event. Events are fired at chosen times
// (`/cdn-cgi/local/scheduled?time=`), so the interval (10 minutes, the default) passes at once.

import { healthyMetrics, startMetricsApp } from "../lib/metrics-app.mjs";
import { benchClient, measureScheduledEvent } from "./http.mjs";

const OWNERS = 40;
const PROJECTS_PER_OWNER = 10;
const PASSWORD = "plausible-walrus-cartography-42";
const MINUTE = 60_000;

const { call } = benchClient("198.20");

/**
 * @param {string} baseUrl
 * @param {string} appUrl
 * @param {number} owner
 * @returns {Promise<string[]>} the stand-in applications' names
 */
async function ownerWithProjects(baseUrl, appUrl, owner) {
  const signup = await call(baseUrl, "/api/auth/signup", {
    method: "POST",
    body: { email: `bench-baseline-${owner}-${Date.now()}@example.com`, password: PASSWORD, name: "Bench" },
  });
  const cookie = signup.cookie.join("; ");
  const apps = [];
  for (let i = 0; i < PROJECTS_PER_OWNER; i++) {
    const name = `baseline-${owner}-${i}`;
    const { json } = await call(baseUrl, "/api/projects", {
      method: "POST",
      headers: { Cookie: cookie },
      body: { name, metricsEndpoint: `${appUrl}/apps/${name}/seqpulse-metrics` },
    });
    await call(baseUrl, `/api/projects/${json.project.id}/endpoint/test`, {
      method: "POST",
      headers: { Cookie: cookie },
    });
    apps.push(name);
  }
  return apps;
}

/**
 * @param {string} appUrl
 * @param {string[]} names
 * @param {import("../lib/metrics-app.mjs").AppResponse} response
 */
async function configureAll(appUrl, names, response) {
  for (const name of names) {
    await fetch(`${appUrl}/__control/apps/${name}`, {
      method: "PUT",
      body: JSON.stringify({ responses: [response] }),
    });
  }
}

/**
 * @param {{ url: string, dbStats: () => Promise<{ connections: number, roundTrips: number } | null> }} stack
 */
export async function benchBaseline(stack) {
  const app = await startMetricsApp();
  try {
    /** @type {string[]} */
    const names = [];
    for (let owner = 0; owner < OWNERS; owner++)
      names.push(...(await ownerWithProjects(stack.url, app.url, owner)));
    const start = Date.now() + MINUTE;
    /** @type {(label: string, at: number) => Promise<{ label: string, ms: number, scrapes: number, roundTrips: number | null }>} */
    const fire = async (label, at) => {
      const { ms, scrapes, roundTrips } = await measureScheduledEvent(stack, app, at);
      console.log(
        `baseline, ${label}: one event ${ms.toFixed(0)} ms, ${scrapes} projects scraped, ` +
          `${roundTrips ?? "?"} database round trips (sweep included)`,
      );
      return { label, ms, scrapes, roundTrips };
    };
    const results = [];
    // 400 due, 200 a run: two events take them all.
    results.push(await fire("instant answers, first event", start));
    results.push(await fire("instant answers, next minute", start + MINUTE));
    results.push(await fire("nothing due", start + 2 * MINUTE));
    await configureAll(app.url, names, { delayMs: 200, metrics: healthyMetrics() });
    results.push(await fire("200 ms answers, first event", start + 10 * MINUTE));
    results.push(await fire("200 ms answers, next minute", start + 11 * MINUTE));
    // Every endpoint hangs past the 5 s timeout: the pass stops at the run's 40 s budget and
    // gives back what it could not start.
    await configureAll(app.url, names, { delayMs: 8_000, metrics: healthyMetrics() });
    results.push(await fire("hanging endpoints", start + 20 * MINUTE));
    return results;
  } finally {
    await app.close();
  }
}
