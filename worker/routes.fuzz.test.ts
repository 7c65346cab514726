import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../test/client";
import { request, uniqueClientIp } from "../test/helpers";
import { projectWithActiveEndpoint } from "../test/projects";
import { appRoutes } from "../test/routes";

/**
 * Every route of the app, fed hostile input (NUL, lone surrogates, huge and wrongly typed values,
 * deep nesting, odd content types, path ids, cookies and credentials), anonymous and signed in:
 * no answer may be a 5xx (a health check reporting a degraded dependency excepted). Seeded, so a
 * failure replays: FUZZ_SEED=<seed printed on failure> npx vitest run worker/routes.fuzz.test.ts
 */
const RUNS_PER_ROUTE = 6;
const DEFAULT_SEED = 20261205;
const seed = Number(env.FUZZ_SEED) || DEFAULT_SEED;

// Routes that end the fuzzer's own session go last, so the others are fuzzed signed in too.
const endsSession = (path: string) => path.endsWith("/logout") || path.includes("/sessions/");
const routes = appRoutes().sort((a, b) => Number(endsSession(a.path)) - Number(endsSession(b.path)));

/** Percent-encodes anything, lone surrogates included (encodeURIComponent throws on those). */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value]
      .map((char) => {
        const code = char.codePointAt(0) ?? 0;
        return code >= 0xd800 && code <= 0xdfff ? "%ED%A0%80" : encodeURIComponent(char);
      })
      .join("");
  }
}

const hostileText = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfffy",
    "\ufeff",
    "%00",
    "\\u0000",
    "null",
    "' OR 1=1 --",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "🙂".repeat(300),
    "x".repeat(5_000),
    "prod",
    "success",
    "00000000-0000-4000-8000-000000000000",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(true, false, null, -1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.array(hostileText, { maxLength: 12 }),
  fc.dictionary(hostileText, hostileText, { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 4 }),
);

/** Field names the routes read, so generated bodies reach past "unknown field". */
const FIELD_NAMES = [
  "email",
  "password",
  "name",
  "locale",
  "currentPassword",
  "newPassword",
  "code",
  "description",
  "envs",
  "metricsEndpoint",
  "observationWindowMinutes",
  "url",
  "events",
  "confirmName",
  "expiresInDays",
  "env",
  "branch",
  "commit_sha",
  "idempotency_key",
  "metrics_endpoint",
  "deployment_id",
  "result",
];

const QUERY_NAMES = [
  "q",
  "env",
  "project",
  "deployment",
  "verdict",
  "state",
  "severity",
  "metric",
  "limit",
  "cursor",
  "days",
  "mode",
  "next",
  "code",
  "error",
];

const body = fc.oneof(
  fc.constant(undefined),
  fc
    .dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), hostileText), hostileValue, { maxKeys: 6 })
    .map((value) => JSON.stringify(value)),
  hostileValue.map((value) => JSON.stringify(value) ?? "null"),
  fc.integer({ min: 1, max: 30_000 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
  fc.integer({ min: 1, max: 5_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
  fc.constantFrom("{", "nul\u0000l", '{"env":"prod"', "x".repeat(70_000), "", "[]", "env=prod&branch=main"),
);

// Mostly JSON, so most requests get past the content-type check to the validators and handlers.
const contentType = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "application/merge-patch+json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=utf-16",
      "garbage",
      undefined,
    ),
    weight: 2,
  },
);

type Identity = "anonymous" | "cookie" | "bearer" | "ci" | "garbage-cookie" | "garbage-bearer";
const identity = fc.oneof(
  { arbitrary: fc.constantFrom<Identity>("cookie", "bearer"), weight: 3 },
  { arbitrary: fc.constantFrom<Identity>("anonymous", "ci", "garbage-cookie", "garbage-bearer"), weight: 2 },
);

describe("every route, fuzzed", () => {
  const known: { ids: string[]; cookie: string; sessionToken: string; apiKey: string } = {
    ids: [],
    cookie: "",
    sessionToken: "",
    apiKey: "",
  };

  beforeAll(async () => {
    const { owner, project, apiKey, ci } = await projectWithActiveEndpoint();
    const triggered = await ci.trigger({ env: "prod" });
    const { deployment_id } = await triggered.json<{ deployment_id: string }>();
    // A second signed-in client for Bearer: logout fuzzing cannot end both sessions.
    const scripted = new TestClient();
    await scripted.json("POST", "/api/auth/login", {
      email: (await owner.json("GET", "/api/auth/me").then((r) => r.json<{ user: { email: string } }>())).user
        .email,
      password: "correct horse battery staple",
    });
    known.ids = [project.id, deployment_id, "github", "google"];
    known.cookie = [...owner.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    known.sessionToken = [...scripted.cookies.values()][0] ?? "";
    known.apiKey = apiKey;
  });

  const pathId = fc.oneof(
    fc.constantFrom(0, 1, 2, 3).map((index) => ({ known: index })),
    hostileText.filter((text) => text.length > 0).map((text) => ({ raw: encodeSegment(text) })),
    fc
      .constantFrom("%00", "%ED%A0%80", "%FF", "..", "%2F", "%2e%2e", "a".repeat(3_000))
      .map((raw) => ({ raw })),
  );

  const input = fc.record({
    ids: fc.array(pathId, { minLength: 3, maxLength: 3 }),
    query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), hostileText), hostileText), {
      maxLength: 4,
    }),
    body,
    contentType,
    identity,
    idempotencyKey: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
  });

  it(`answers no route with a 5xx (${RUNS_PER_ROUTE} runs per route, seed ${seed})`, {
    timeout: 120_000,
  }, async () => {
    expect(routes.length).toBeGreaterThan(40);
    const started = Date.now();
    let sent = 0;
    const statuses: Record<number, number> = {};
    for (const [index, route] of routes.entries()) {
      await fc.assert(
        fc.asyncProperty(input, async (generated) => {
          let param = 0;
          const path = route.path.replace(/:[A-Za-z]+/g, () => {
            const id = generated.ids[param++ % generated.ids.length];
            if (!id) return "x";
            return "known" in id ? (known.ids[id.known] ?? "x") : id.raw;
          });
          const search = new URLSearchParams();
          for (const [name, value] of generated.query) search.append(name, value);
          const headers = new Headers({ "CF-Connecting-IP": uniqueClientIp() });
          if (generated.contentType) headers.set("Content-Type", generated.contentType);
          if (generated.idempotencyKey !== undefined) {
            headers.set("X-Idempotency-Key", generated.idempotencyKey.replace(/[^\x20-\x7e]/g, "?"));
          }
          switch (generated.identity) {
            case "cookie":
              headers.set("Cookie", known.cookie);
              break;
            case "bearer":
              headers.set("Authorization", `Bearer ${known.sessionToken}`);
              break;
            case "ci":
              headers.set("X-API-Key", known.apiKey);
              break;
            case "garbage-cookie":
              headers.set("Cookie", "seqpulse_session=a%00b.c; seqpulse_session=%ED%A0%80; x=%FF");
              break;
            case "garbage-bearer":
              headers.set("Authorization", "Bearer spt_\u00e9_x");
              break;
          }
          const hasBody = route.method !== "GET" && generated.body !== undefined;
          const query = search.toString();
          const url = query ? `${path}?${query}` : path;
          const response = await request(url, {
            method: route.method,
            headers,
            body: hasBody ? generated.body : undefined,
            redirect: "manual",
          });
          sent++;
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          const text = await response.text();
          const degradedHealth =
            response.status === 503 && /^\/(api\/)?health/.test(route.path) && text.includes('"checks"');
          if (response.status >= 500 && !degradedHealth) {
            throw new Error(`${route.method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
          }
        }),
        { seed: seed + index, numRuns: RUNS_PER_ROUTE },
      );
    }
    // Logged so the suite's cost stays visible.
    console.info(
      `fuzzed ${routes.length} routes with ${sent} requests in ${Date.now() - started} ms; statuses`,
      statuses,
    );
  });
});
