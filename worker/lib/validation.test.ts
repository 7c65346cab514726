import { beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../../test/client";
import { errorOf } from "../../test/helpers";
import { type CiClient, projectWithActiveEndpoint } from "../../test/projects";

describe("validation messages", () => {
  let ci: CiClient;
  beforeAll(async () => {
    ci = (await projectWithActiveEndpoint()).ci;
  });

  it("say what is wrong with which field, for people", async () => {
    const missing = await ci.trigger({ branch: "main" });
    expect(missing.status).toBe(400);
    const error = await errorOf(missing);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.message).toBe("env is required.");
    expect(error.fields).toEqual([{ field: "env", message: "env is required." }]);

    const long = await errorOf(await ci.trigger({ env: "prod", branch: "b".repeat(256) }));
    expect(long.fields).toEqual([{ field: "branch", message: "branch must be at most 255 characters." }]);

    const wrongType = await errorOf(await ci.trigger({ env: 7 }));
    expect(wrongType.fields).toEqual([{ field: "env", message: "env must be a string." }]);

    const finish = await errorOf(
      await ci.post("/deployments/finish", { deployment_id: "x", result: "maybe" }),
    );
    expect(finish.fields).toEqual([
      { field: "deployment_id", message: "deployment_id must be a UUID." },
      { field: "result", message: "result must be one of: success, failed." },
    ]);
    expect(finish.message).toBe("deployment_id must be a UUID. result must be one of: success, failed.");
  });

  it("sum up at most three in the top-level message; every field is listed", async () => {
    const owner = new TestClient();
    await owner.signUp();
    const error = await errorOf(
      await owner.json("POST", "/api/projects", {
        name: 7,
        description: 5,
        envs: "prod",
        metricsEndpoint: 3,
        observationWindowMinutes: "a",
      }),
    );
    expect(error.fields?.map((field) => field.field).sort()).toEqual([
      "description",
      "envs",
      "metricsEndpoint",
      "name",
      "observationWindowMinutes",
    ]);
    expect(error.message).toMatch(
      /^\w+ must be [^.]+\. \w+ must be [^.]+\. \w+ must be [^.]+\. And 2 more: see fields\.$/,
    );
  });

  it("keep a schema's own message", async () => {
    const client = new TestClient();
    const response = await client.json("POST", "/api/auth/signup", {
      email: "not-an-email",
      password: "correct horse battery staple",
      name: "Ada",
    });
    expect((await errorOf(response)).fields).toEqual([
      { field: "email", message: "Enter a valid email address." },
    ]);
  });
});
