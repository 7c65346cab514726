import { createApp } from "../worker/app";

export interface AppRoute {
  method: string;
  path: string;
}

/** Hono lists `use()` middleware under this method; it is not a route of its own. */
const MIDDLEWARE_METHOD = "ALL";

/**
 * Every route the app serves (method and path pattern, e.g. `GET /api/projects/:id`), once each,
 * read from the app's own router: suites that walk the whole app cover a route the day it is
 * mounted, without anyone adding it to a list.
 */
export function appRoutes(): AppRoute[] {
  const seen = new Map<string, AppRoute>();
  for (const { method, path } of createApp().routes) {
    if (method !== MIDDLEWARE_METHOD) seen.set(routeKey({ method, path }), { method, path });
  }
  return [...seen.values()];
}

/** `METHOD /path/:pattern`, the way test lists name a route. */
export function routeKey(route: AppRoute): string {
  return `${route.method} ${route.path}`;
}
