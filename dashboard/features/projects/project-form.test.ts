import { describe, expect, it } from "vitest";
import { isHttpUrl, parseEnvs, parseWindow, validateProjectForm } from "./project-form";

const valid = {
  name: "  Checkout API ",
  description: "",
  envs: "prod, staging",
  observationWindowMinutes: "5",
  metricsEndpoint: "https://checkout.example.com/seqpulse-metrics",
};

describe("the new-project form", () => {
  it("builds the API body from valid values", () => {
    expect(validateProjectForm(valid)).toEqual({
      ok: true,
      body: {
        name: "Checkout API",
        envs: ["prod", "staging"],
        observationWindowMinutes: 5,
        metricsEndpoint: "https://checkout.example.com/seqpulse-metrics",
      },
    });
  });

  it("leaves out an empty endpoint and description", () => {
    const result = validateProjectForm({ ...valid, metricsEndpoint: " ", description: " " });
    expect(result.ok && result.body).toEqual({
      name: "Checkout API",
      envs: ["prod", "staging"],
      observationWindowMinutes: 5,
    });
  });

  it("explains each invalid field", () => {
    expect(
      validateProjectForm({
        name: " ",
        description: "x".repeat(501),
        envs: "Prod",
        observationWindowMinutes: "61",
        metricsEndpoint: "ftp://example.com",
      }),
    ).toEqual({
      ok: false,
      errors: {
        name: "nameRequired",
        description: "descriptionTooLong",
        envs: "envsInvalid",
        observationWindowMinutes: "windowRange",
        metricsEndpoint: "endpointInvalid",
      },
    });
    expect(validateProjectForm({ ...valid, envs: "prod prod" })).toMatchObject({
      errors: { envs: "envsDuplicate" },
    });
    expect(validateProjectForm({ ...valid, envs: "" })).toMatchObject({ errors: { envs: "envsRequired" } });
  });

  it("parses environments, windows and URLs like the API", () => {
    expect(parseEnvs(" prod,staging  dev ,")).toEqual(["prod", "staging", "dev"]);
    expect(parseWindow("1")).toBe(1);
    expect(parseWindow("60")).toBe(60);
    expect(parseWindow("0")).toBeNull();
    expect(parseWindow("2.5")).toBeNull();
    expect(isHttpUrl("http://127.0.0.1:8080/apps/demo/seqpulse-metrics")).toBe(true);
    expect(isHttpUrl("example.com/metrics")).toBe(false);
  });
});
