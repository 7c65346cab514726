import { request, uniqueClientIp } from "./helpers";

/**
 * A browser-like client for route tests: one client address, a cookie jar fed by Set-Cookie,
 * and JSON requests that pass the CSRF rules the way a same-origin page would.
 */
export class TestClient {
  readonly ip = uniqueClientIp();
  readonly cookies = new Map<string, string>();
  bearer: string | null = null;

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("CF-Connecting-IP", this.ip);
    if (this.cookies.size > 0 && !headers.has("Cookie")) {
      headers.set("Cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    if (this.bearer && !headers.has("Authorization")) headers.set("Authorization", `Bearer ${this.bearer}`);
    const response = await request(path, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const separator = pair!.indexOf("=");
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  json(method: string, path: string, body?: unknown): Promise<Response> {
    return this.fetch(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Signs up a fresh account (unique email) and keeps its session cookie. */
  async signUp(overrides: { email?: string; password?: string; name?: string } = {}) {
    const email = overrides.email ?? `user-${crypto.randomUUID().slice(0, 12)}@example.com`;
    const password = overrides.password ?? "correct horse battery staple";
    const response = await this.json("POST", "/api/auth/signup", {
      email,
      password,
      name: overrides.name ?? "Ada",
    });
    if (response.status !== 201)
      throw new Error(`signup failed: ${response.status} ${await response.text()}`);
    const { user } = await response.json<{ user: { id: string; email: string } }>();
    return { user, email, password };
  }
}

export async function errorCode(response: Response): Promise<string | undefined> {
  const body = await response.json<{ error?: { code?: string } }>();
  return body.error?.code;
}
