import { describe, expect, it } from "vitest";
import { apiRequest, failureOf, parseRetryAfter } from "./api-client";

function recordingFetch(response: () => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    return response();
  };
  return { calls, fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("apiRequest", () => {
  it("sends JSON with its content type on state-changing requests (the CSRF rule)", async () => {
    const { calls, fetch } = recordingFetch(() => json(200, { twoFactorRequired: true }));
    const result = await apiRequest("POST", "/api/auth/login", { body: { email: "a@b.co" }, fetch });
    expect(result).toEqual({ ok: true, status: 200, data: { twoFactorRequired: true } });
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers["content-type"]).toBe("application/json");
    expect(calls[0]?.init.body).toBe('{"email":"a@b.co"}');
    expect(calls[0]?.init.credentials).toBe("same-origin");
  });

  it("sends an empty JSON object on a POST without a body", async () => {
    const { calls, fetch } = recordingFetch(() => new Response(null, { status: 204 }));
    expect(await apiRequest("POST", "/api/auth/logout", { fetch })).toEqual({
      ok: true,
      status: 204,
      data: null,
    });
    expect(calls[0]?.init.body).toBe("{}");
  });

  it("sends no body on GET and DELETE", async () => {
    const { calls, fetch } = recordingFetch(() => new Response(null, { status: 204 }));
    await apiRequest("DELETE", "/api/auth/tokens/x", { fetch });
    expect(calls[0]?.init.body).toBeUndefined();
    expect((calls[0]!.init.headers as Record<string, string>)["content-type"]).toBeUndefined();
  });

  it("reads the error body, its field errors and Retry-After", async () => {
    const { fetch } = recordingFetch(() =>
      json(
        429,
        { error: { code: "RATE_LIMITED", message: "Too many requests; try again later.", requestId: "r1" } },
        { "retry-after": "17" },
      ),
    );
    const result = await apiRequest("POST", "/api/auth/login", { body: {}, fetch });
    expect(result).toEqual({
      ok: false,
      error: {
        status: 429,
        code: "RATE_LIMITED",
        message: "Too many requests; try again later.",
        fields: [],
        retryAfterSeconds: 17,
      },
    });
  });

  it("turns a network failure into NETWORK instead of throwing", async () => {
    const fetch: typeof globalThis.fetch = async () => {
      throw new TypeError("Failed to fetch");
    };
    const result = await apiRequest("GET", "/api/auth/me", { fetch });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe("NETWORK");
  });

  it("does not mistake an HTML page answered with 200 for the API", async () => {
    const { fetch } = recordingFetch(() => new Response("<!doctype html>", { status: 200 }));
    const result = await apiRequest("GET", "/api/auth/oauth/providers", { fetch });
    expect(!result.ok && result.error.code).toBe("UNEXPECTED_RESPONSE");
  });
});

describe("failureOf", () => {
  it("derives a code from the status when the body has none", () => {
    expect(failureOf(404, "<html>", null).code).toBe("NOT_FOUND");
    expect(failureOf(502, null, null).code).toBe("INTERNAL_ERROR");
  });

  it("keeps only well-formed field errors", () => {
    const body = {
      error: { code: "VALIDATION_FAILED", fields: [{ field: "email", message: "x" }, { nope: 1 }, "y"] },
    };
    expect(failureOf(400, body, null).fields).toEqual([{ field: "email", message: "x" }]);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, and ignores the rest", () => {
    expect(parseRetryAfter("30")).toBe(30);
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(parseRetryAfter("Tue, 01 Jan 2030 00:01:00 GMT", now)).toBe(60);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
