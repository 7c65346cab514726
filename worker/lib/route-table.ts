import { TrieRouter } from "hono/router/trie-router";

export interface Route {
  method: string;
  path: string;
}

export type RouteLookup =
  | { kind: "found" }
  | { kind: "wrong-method"; allow: string[]; suggestions: string[] }
  | { kind: "not-found"; suggestions: string[] };

/** Hono registers `use()` middleware under this method; it is not a route of its own. */
const MIDDLEWARE_METHOD = "ALL";
const MAX_SUGGESTIONS = 3;

/**
 * The app's routes (method + path pattern, as `app.routes` lists them), matched the way Hono
 * matches them, so a request can be told "no such path" or "wrong method" before any
 * authentication runs: anonymous and signed-in callers learn the same thing about a path.
 */
export function routeTableOf(routes: readonly Route[]): {
  lookup(method: string, path: string): RouteLookup;
} {
  const known = uniqueRoutes(routes.filter((route) => route.method !== MIDDLEWARE_METHOD));
  const router = new TrieRouter<Route>();
  for (const route of known) router.add(route.method, route.path, route);
  const methods = [...new Set(known.map((route) => route.method))];
  const allowed = (path: string) => methods.filter((method) => router.match(method, path)[0].length > 0);

  return {
    lookup(method, path) {
      const asked = method === "HEAD" ? "GET" : method;
      const allow = allowed(path);
      if (allow.includes(asked)) return { kind: "found" };
      if (allow.length > 0) {
        const sameMethod = known.filter((route) => route.method === asked);
        return { kind: "wrong-method", allow, suggestions: closestRoutes(sameMethod, asked, path) };
      }
      return { kind: "not-found", suggestions: closestRoutes(known, asked, path) };
    },
  };
}

function uniqueRoutes(routes: readonly Route[]): Route[] {
  const seen = new Map<string, Route>();
  for (const route of routes) seen.set(`${route.method} ${route.path}`, route);
  return [...seen.values()];
}

/**
 * Up to three routes whose path is within a few edits of the one asked for (a parameter such
 * as `:id` stands for whatever the caller put there), closest first, the asked method first on
 * ties. Internal paths (`/__...`) are never suggested.
 */
function closestRoutes(routes: readonly Route[], method: string, path: string): string[] {
  const threshold = Math.max(2, Math.floor(path.length / 4));
  return routes
    .filter((route) => !route.path.startsWith("/__"))
    .map((route) => ({ route, distance: editDistance(path, renderedFor(route.path, path)) }))
    .filter(({ distance }) => distance <= threshold)
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        Number(b.route.method === method) - Number(a.route.method === method) ||
        a.route.path.localeCompare(b.route.path),
    )
    .slice(0, MAX_SUGGESTIONS)
    .map(({ route }) => `${route.method} ${route.path}`);
}

/** The pattern with each `:param` replaced by the caller's segment at the same place. */
function renderedFor(pattern: string, path: string): string {
  const given = path.split("/");
  return pattern
    .split("/")
    .map((segment, index) => (segment.startsWith(":") && given[index] ? given[index] : segment))
    .join("/");
}

/** Levenshtein distance, bounded input: paths are short and the route list is small. */
export function editDistance(a: string, b: string): number {
  if (a.length > 512 || b.length > 512) return Math.max(a.length, b.length);
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
