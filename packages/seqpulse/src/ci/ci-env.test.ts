import { describe, expect, it } from "vitest";
import { branchFrom, ciRunUrlFrom, idempotencyKeyFrom } from "./ci-env";

describe("idempotencyKeyFrom", () => {
  it.each([
    [{ GITHUB_RUN_ID: "123", GITHUB_RUN_ATTEMPT: "2", GITHUB_JOB: "deploy" }, "github-123-2-deploy:prod"],
    [{ GITLAB_CI: "true", CI_JOB_ID: "987", CI_PIPELINE_ID: "55" }, "gitlab-987:prod"],
    [{ CIRCLECI: "true", CIRCLE_WORKFLOW_JOB_ID: "d9c1", CIRCLE_BUILD_NUM: "12" }, "circleci-d9c1:prod"],
    [{ CIRCLECI: "true", CIRCLE_BUILD_NUM: "12" }, "circleci-12:prod"],
    [
      { JENKINS_URL: "https://ci/", BUILD_TAG: "jenkins-app-deploy-41" },
      "jenkins-jenkins-app-deploy-41:prod",
    ],
    [{ BUILDKITE: "true", BUILDKITE_JOB_ID: "0190-aa" }, "buildkite-0190-aa:prod"],
  ])("%j -> %s", (environment, key) => {
    expect(idempotencyKeyFrom(environment, "prod")).toBe(key);
  });

  it("takes SEQPULSE_IDEMPOTENCY_KEY as given, before any CI's id", () => {
    expect(idempotencyKeyFrom({ SEQPULSE_IDEMPOTENCY_KEY: "release-7", GITHUB_RUN_ID: "1" }, "prod")).toBe(
      "release-7",
    );
  });

  it("is null outside a known CI, and never longer than the API accepts", () => {
    expect(idempotencyKeyFrom({ BUILD_ID: "3" }, "prod")).toBeNull();
    expect(idempotencyKeyFrom({ SEQPULSE_IDEMPOTENCY_KEY: "k".repeat(300) }, "prod")).toHaveLength(255);
  });
});

describe("pipeline context", () => {
  it("reads the branch and the run's link", () => {
    const github = {
      GITHUB_REF_NAME: "main",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_RUN_ID: "123",
    };
    expect(branchFrom(github)).toBe("main");
    expect(ciRunUrlFrom(github)).toBe("https://github.com/acme/shop/actions/runs/123");
    expect(branchFrom({ CI_COMMIT_REF_NAME: "feature/x" })).toBe("feature/x");
    expect(ciRunUrlFrom({ CI_JOB_URL: "https://gitlab.com/acme/shop/-/jobs/9" })).toBe(
      "https://gitlab.com/acme/shop/-/jobs/9",
    );
  });
});
