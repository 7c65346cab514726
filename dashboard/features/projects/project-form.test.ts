import { describe, expect, it } from "vitest";
import {
  isHttpUrl,
  parseEnvs,
  parseWindow,
  validateProjectDetails,
  validateProjectForm,
} from "./project-form";

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

describe("the project's name and environments in settings", () => {
  it("builds the PATCH body, clearing an emptied description", () => {
    expect(
      validateProjectDetails({ name: " Checkout ", description: " ", envs: "prod staging,  canary" }),
    ).toEqual({
      ok: true,
      body: { name: "Checkout", description: null, envs: ["prod", "staging", "canary"] },
    });
    const described = validateProjectDetails({ name: "Checkout", description: " Orders ", envs: "prod" });
    expect(described.ok && described.body.description).toBe("Orders");
  });

  it("explains each invalid field with the new-project form's messages", () => {
    expect(validateProjectDetails({ name: "", description: "x".repeat(501), envs: "" })).toEqual({
      ok: false,
      errors: { name: "nameRequired", description: "descriptionTooLong", envs: "envsRequired" },
    });
    const envsOf = (envs: string) => {
      const result = validateProjectDetails({ name: "Checkout", description: "", envs });
      return result.ok ? null : result.errors.envs;
    };
    expect(envsOf("Prod")).toBe("envsInvalid");
    expect(envsOf("prod, prod")).toBe("envsDuplicate");
    expect(envsOf(Array.from({ length: 11 }, (_, i) => `env${i}`).join(","))).toBe("envsTooMany");
  });
});
