import { describe, expect, it } from "vitest";
import { TestClient } from "../../test/client";
import { errorOf, request } from "../../test/helpers";

describe("unknown paths and methods", () => {
  it("a typo'd CI path is a JSON 404 suggesting the right one", async () => {
    const response = await request("/deployment/trigger", { method: "POST" });
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("No such route. Did you mean POST /deployments/trigger?");
    expect(error.details?.suggestions).toContain("POST /deployments/trigger");
  });

  it("an unknown /api path is a 404 before authentication, the same for anonymous and signed-in", async () => {
    const anonymous = await request("/api/deployments/trigger/now", { method: "POST" });
    const signedIn = new TestClient();
    await signedIn.signUp();
    const known = await signedIn.json("POST", "/api/deployments/trigger/now", {});
    expect(anonymous.status).toBe(404);
    expect(known.status).toBe(404);
    expect(await errorOf(anonymous)).toMatchObject({ code: "NOT_FOUND" });
    expect((await errorOf(known)).code).toBe("NOT_FOUND");
    // A known protected path is still a 401 for anonymous callers.
    expect((await request("/api/projects")).status).toBe(401);
  });

  it("a wrong method on a known path is a JSON 405 with Allow, suggesting a close route", async () => {
    const response = await request("/api/deployments/triggerr", { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD");
    const error = await errorOf(response);
    expect(error.code).toBe("METHOD_NOT_ALLOWED");
    expect(error.message).toContain("Did you mean POST /api/deployments/trigger?");

    const put = await request("/deployments/finish", { method: "PUT" });
    expect(put.status).toBe(405);
    // GET reads a deployment by id there (`GET /deployments/:id`).
    expect(put.headers.get("Allow")).toBe("GET, POST, HEAD");
    expect((await errorOf(put)).code).toBe("METHOD_NOT_ALLOWED");
  });
});
