import { describe, expect, it } from "vitest";
import { TestClient } from "../../test/client";
import { errorOf, request, uniqueClientIp } from "../../test/helpers";
import { MAX_BODY_BYTES } from "./body-limit";

describe("body size", () => {
  const big = JSON.stringify({ email: "a@example.com", password: "x".repeat(MAX_BODY_BYTES) });

  it("over 64 KiB is a 413 PAYLOAD_TOO_LARGE with a clear message", async () => {
    const response = await request("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": uniqueClientIp() },
      body: big,
    });
    expect(response.status).toBe(413);
    const error = await errorOf(response);
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toMatch(/at most 64 KiB/);
  });

  it("is checked on chunked bodies too (no Content-Length)", async () => {
    const bytes = new TextEncoder().encode(big);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 8192) {
          controller.enqueue(bytes.slice(offset, offset + 8192));
        }
        controller.close();
      },
    });
    const response = await request("/deployments/trigger", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-Key": `sp_${"a".repeat(43)}` },
      body,
    });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("a body under the limit goes through", async () => {
    const client = new TestClient();
    const response = await client.json("POST", "/api/auth/login", {
      email: "nobody@example.com",
      password: "y".repeat(200),
    });
    expect(response.status).toBe(401);
  });
});
