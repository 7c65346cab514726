// Throughput of the CI endpoints against two references, in one run on the same stack: a bare
// route (`/health/live`) and a route doing one plain insert (`/__bench/insert`, mounted when the
// stack runs with BENCH_ROUTES=true). Each phase runs `clients` loops for `durationMs`; a loop
// starts no request after the deadline, and req/s is a route's requests / its phase's wall time.
import { startMetricsApp } from "../lib/metrics-app.mjs";

const LIVE = "GET /health/live";
const INSERT = "POST /__bench/insert";
const TRIGGER = "POST /deployments/trigger";
const FINISH = "POST /deployments/finish";
const RECYCLE = "POST /deployments/finish (recycling a pair during the trigger phase)";
// The endpoint test is limited to 10 a minute per user: one user per 10 projects.
const PROJECTS_PER_USER = 10;
// One running deployment per project and environment: each (project, env) pair is triggered in
// the trigger phase, and that deployment finished in the finish phase (a pair is reused when a
// client runs out, see phaseLoops). Each key's calls stay under its 100 a minute unless a
// client recycles its pairs many times over, which the report shows.
const ENVS = Array.from({ length: 10 }, (_, i) => `env${i}`);

/**
 * @typedef {{ ok: boolean, status: number | string, body: string }} Outcome
 * @typedef {(route: string, url: string, init?: RequestInit) => Promise<Outcome>} Call
 * @typedef {(client: number, until: number, call: Call) => Promise<void>} Loop
 * @typedef {{ n: number, rps: number, p50: number, p99: number, errors: number, firstError: string | null }} RouteResult
 */

/**
 * @param {number[]} sorted
 * @param {number} p
 */
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Addresses for set-up calls (198.19.0.0/16, apart from bench.mjs' 198.18), one each. */
function addresses() {
  let next = 0;
  return () => {
    const n = next++ % 65_536;
    return `198.19.${n >> 8}.${n & 255}`;
  };
}

/**
 * @param {Response} response
 * @param {number} status
 * @param {string} what
 * @returns {Promise<any>} the parsed body
 */
async function expectStatus(response, status, what) {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * Users, each with up to PROJECTS_PER_USER projects whose metrics endpoint (the stand-in app)
 * is tested and active, as triggers require. Returns the projects' API keys.
 * @param {string} baseUrl
 * @param {string} endpoint
 * @param {number} count
 * @param {() => string} nextIp
 */
async function createProjects(baseUrl, endpoint, count, nextIp) {
  /** @type {string[]} */
  const keys = [];
  for (let user = 0; keys.length < count; user++) {
    const json = { Origin: baseUrl, "Content-Type": "application/json" };
    const signup = await fetch(`${baseUrl}/api/auth/signup`, {
      method: "POST",
      headers: { ...json, "CF-Connecting-IP": nextIp() },
      body: JSON.stringify({
        email: `bench-ci-${user}-${Date.now()}@example.com`,
        password: "bench-throughput-walrus-42",
        name: "Bench",
      }),
    });
    await expectStatus(signup, 201, "sign-up");
    const cookie = signup.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const asUser = () => ({ ...json, Cookie: cookie, "CF-Connecting-IP": nextIp() });
    for (let i = 0; i < PROJECTS_PER_USER && keys.length < count; i++) {
      const created = await fetch(`${baseUrl}/api/projects`, {
        method: "POST",
        headers: asUser(),
        body: JSON.stringify({ name: `Bench ${keys.length}`, envs: ENVS, metricsEndpoint: endpoint }),
      });
      const { project, apiKey } = await expectStatus(created, 201, "project");
      const tested = await fetch(`${baseUrl}/api/projects/${project.id}/endpoint/test`, {
        method: "POST",
        headers: asUser(),
      });
      await expectStatus(tested, 200, "endpoint test");
      keys.push(apiKey);
    }
  }
  return keys;
}

/**
 * The loop each client runs in each phase: `loop(client, until, call)`.
 * @param {string} baseUrl
 * @param {string[]} keys
 * @param {number} projectsPerClient
 * @param {() => string} nextIp
 * @returns {Record<"live" | "insert" | "trigger" | "finish", Loop>}
 */
function phaseLoops(baseUrl, keys, projectsPerClient, nextIp) {
  /**
   * Per client, the deployments its trigger phase created, for its finish phase.
   * @type {Array<Array<{ key: string, env: string, id: string }>>}
   */
  const started = keys.map(() => []);
  /** @type {(headers: Record<string, string>, body?: unknown) => RequestInit} */
  const post = (headers, body) => ({
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": nextIp(), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // A pipeline runner calls from one address: each client keeps its own, as CI runners do (its
  // per-address limit, 600 a minute, is far above what one client sends in a phase).
  /** @type {(client: number, key: string, body: unknown) => RequestInit} */
  const ci = (client, key, body) =>
    post({ "X-API-Key": key, "CF-Connecting-IP": `198.19.255.${client}` }, body);
  return {
    async live(_, until, call) {
      while (performance.now() < until) {
        await call(LIVE, `${baseUrl}/health/live`, { headers: { "CF-Connecting-IP": nextIp() } });
      }
    },
    async insert(_, until, call) {
      while (performance.now() < until) await call(INSERT, `${baseUrl}/__bench/insert`, post({}));
    },
    // Each client triggers the (project, env) pairs of its own projects, so no trigger meets
    // another client's running deployment (409). A fast machine can use them all up before
    // the phase ends: the client then finishes its oldest deployment, which frees that pair
    // (one running deployment per pair), and triggers it again. Those finishes are counted
    // apart (RECYCLE) and reported; the finish phase finishes the rest.
    async trigger(client, until, call) {
      const own = keys.slice(client * projectsPerClient, (client + 1) * projectsPerClient);
      const free = own.flatMap((key) => ENVS.map((env) => ({ key, env })));
      const running = /** @type {Array<{ key: string, env: string, id: string }>} */ (started[client]);
      while (performance.now() < until) {
        if (free.length === 0) {
          const oldest = running.shift();
          if (!oldest) throw new Error(`client ${client} has no (project, env) pair`);
          await call(
            RECYCLE,
            `${baseUrl}/deployments/finish`,
            ci(client, oldest.key, { deployment_id: oldest.id, result: "success" }),
          );
          free.push({ key: oldest.key, env: oldest.env });
          continue;
        }
        const pair = /** @type {{ key: string, env: string }} */ (free.shift());
        const trigger = await call(
          TRIGGER,
          `${baseUrl}/deployments/trigger`,
          ci(client, pair.key, { env: pair.env, branch: "main", commit_sha: `bench-${pair.env}` }),
        );
        if (trigger.ok) running.push({ ...pair, id: JSON.parse(trigger.body).deployment_id });
        else free.push(pair);
      }
    },
    async finish(client, until, call) {
      for (const { key, id } of started[client] ?? []) {
        if (performance.now() >= until) return;
        await call(
          FINISH,
          `${baseUrl}/deployments/finish`,
          ci(client, key, { deployment_id: id, result: "success" }),
        );
      }
    },
  };
}

/**
 * Runs `clients` copies of `loop` and summarises each of `routes` (any non-2xx is an error).
 * @param {string[]} routes
 * @param {number} clients
 * @param {number} durationMs
 * @param {Loop} loop
 */
async function runPhase(routes, clients, durationMs, loop) {
  /** @type {Map<string, { samples: number[], errors: number, firstError: string | null }>} */
  const entries = new Map(routes.map((route) => [route, { samples: [], errors: 0, firstError: null }]));
  /** @type {Call} */
  const call = async (route, url, init) => {
    const entry = entries.get(route);
    if (!entry) throw new Error(`${route} is not a route of this phase`);
    const started = performance.now();
    /** @type {Outcome} */
    let outcome;
    try {
      const response = await fetch(url, init);
      outcome = { ok: response.ok, status: response.status, body: await response.text() };
    } catch (error) {
      outcome = { ok: false, status: "network error", body: String(error) };
    }
    entry.samples.push(performance.now() - started);
    if (!outcome.ok) {
      entry.errors += 1;
      entry.firstError ??= `${outcome.status} ${outcome.body}`;
    }
    return outcome;
  };
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(Array.from({ length: clients }, (_, client) => loop(client, until, call)));
  const wallMs = performance.now() - started;
  /** @type {Record<string, RouteResult>} */
  const results = {};
  for (const [route, { samples, errors, firstError }] of entries) {
    const sorted = samples.sort((a, b) => a - b);
    results[route] = {
      n: sorted.length,
      rps: (sorted.length / wallMs) * 1000,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      errors,
      firstError,
    };
  }
  return results;
}

/**
 * @param {string} route
 * @param {RouteResult} result
 */
function print(route, { n, rps, p50, p99, errors, firstError }) {
  console.log(
    `${route.padEnd(28)} n=${String(n).padEnd(6)} ${rps.toFixed(0).padStart(5)} req/s ` +
      `p50=${p50.toFixed(1)}ms p99=${p99.toFixed(1)}ms errors=${errors}`,
  );
  if (firstError) console.log(`  first error: ${firstError.slice(0, 300)}`);
}

/**
 * @param {{ url: string, dbStats: () => Promise<{ connections: number, roundTrips: number } | null> }} stack
 *   started with `vars: { BENCH_ROUTES: "true" }` (scripts/lib/stack.mjs)
 */
export async function benchCiThroughput(
  stack,
  { durationMs = 10_000, clients = 10, projectsPerClient = 10 } = {},
) {
  const nextIp = addresses();
  const app = await startMetricsApp();
  try {
    const endpoint = `${app.url}/apps/bench-ci/seqpulse-metrics`;
    const keys = await createProjects(stack.url, endpoint, clients * projectsPerClient, nextIp);
    const loops = phaseLoops(stack.url, keys, projectsPerClient, nextIp);
    await fetch(`${stack.url}/health/live`);
    await fetch(`${stack.url}/__bench/insert`, { method: "POST", headers: { "CF-Connecting-IP": nextIp() } });

    const phases = [
      { routes: [LIVE], loop: loops.live, per: LIVE },
      { routes: [INSERT], loop: loops.insert, per: "insert" },
      // The trigger's baseline collection runs after its answer: its database traffic counts here.
      { routes: [TRIGGER, RECYCLE], loop: loops.trigger, per: "trigger" },
      // As many finishes as triggers succeeded: the phase may end before its time is up.
      { routes: [FINISH], loop: loops.finish, per: "finish" },
    ];
    /** @type {Record<string, RouteResult>} */
    const results = {};
    /** @param {string} route */
    const resultOf = (route) => /** @type {RouteResult} */ (results[route]);
    /** @type {string[]} */
    const traffic = [];
    for (const { routes, loop, per } of phases) {
      const before = await stack.dbStats();
      Object.assign(results, await runPhase(routes, clients, durationMs, loop));
      const after = await stack.dbStats();
      if (before && after) {
        const n = resultOf(/** @type {string} */ (routes[0])).n;
        const connections = (after.connections - before.connections) / n;
        const roundTrips = (after.roundTrips - before.roundTrips) / n;
        traffic.push(
          `${connections.toFixed(1)} connections, ${roundTrips.toFixed(1)} round trips per ${per}`,
        );
      }
    }

    console.log(`\nCI throughput: ${clients} concurrent clients, ${durationMs / 1000} s per phase`);
    for (const route of [LIVE, INSERT, TRIGGER, FINISH]) print(route, resultOf(route));
    if (resultOf(RECYCLE).n > 0) {
      console.log(
        `  the trigger phase also finished ${resultOf(RECYCLE).n} deployments to reuse their pairs ` +
          `(errors=${resultOf(RECYCLE).errors}; their database traffic is in the trigger line); ` +
          "raise projectsPerClient for a phase of triggers only",
      );
    }
    for (const line of traffic) console.log(`database: ${line}`);
    const triggerToInsert = resultOf(TRIGGER).rps / resultOf(INSERT).rps;
    const targetMet = triggerToInsert >= 0.5;
    console.log(
      `trigger ${resultOf(TRIGGER).rps.toFixed(0)} req/s = ${triggerToInsert.toFixed(2)} x one insert ` +
        `(${resultOf(INSERT).rps.toFixed(0)} req/s): target >= 0.5 ${targetMet ? "met" : "NOT met"}`,
    );
    return { clients, durationMs, routes: results, triggerToInsert, targetMet };
  } finally {
    await app.close();
  }
}
