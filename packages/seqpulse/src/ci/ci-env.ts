/**
 * What the pipeline's environment tells us: a stable run id for the idempotency key (so a
 * retried step answers the same deployment instead of opening a second one), the branch, the
 * commit and a link to the run. GitHub Actions, GitLab CI, CircleCI, Jenkins and Buildkite.
 */
export type Environment = Record<string, string | undefined>;

const MAX_KEY_LENGTH = 255;

/**
 * `SEQPULSE_IDEMPOTENCY_KEY` as given, else `<ci>-<run id>:<env>`; null outside a known CI.
 * The env is part of the key: one pipeline run may deploy to staging and then production.
 */
export function idempotencyKeyFrom(environment: Environment, env: string): string | null {
  const explicit = environment.SEQPULSE_IDEMPOTENCY_KEY?.trim();
  if (explicit) return explicit.slice(0, MAX_KEY_LENGTH);
  const run = ciRunId(environment);
  return run ? `${run}:${env}`.slice(0, MAX_KEY_LENGTH) : null;
}

function ciRunId(e: Environment): string | null {
  if (e.GITHUB_RUN_ID)
    return `github-${e.GITHUB_RUN_ID}-${e.GITHUB_RUN_ATTEMPT ?? "1"}${e.GITHUB_JOB ? `-${e.GITHUB_JOB}` : ""}`;
  if (e.GITLAB_CI && e.CI_JOB_ID) return `gitlab-${e.CI_JOB_ID}`;
  if (e.CIRCLECI && (e.CIRCLE_WORKFLOW_JOB_ID || e.CIRCLE_BUILD_NUM))
    return `circleci-${e.CIRCLE_WORKFLOW_JOB_ID ?? e.CIRCLE_BUILD_NUM}`;
  if (e.BUILDKITE && e.BUILDKITE_JOB_ID) return `buildkite-${e.BUILDKITE_JOB_ID}`;
  if (e.JENKINS_URL && (e.BUILD_TAG || e.BUILD_ID)) return `jenkins-${e.BUILD_TAG ?? e.BUILD_ID}`;
  return null;
}

export function branchFrom(e: Environment): string | undefined {
  return (
    e.GITHUB_HEAD_REF ||
    e.GITHUB_REF_NAME ||
    e.CI_COMMIT_REF_NAME ||
    e.CIRCLE_BRANCH ||
    e.BUILDKITE_BRANCH ||
    e.BRANCH_NAME ||
    e.GIT_BRANCH ||
    undefined
  );
}

export function commitFrom(e: Environment): string | undefined {
  return e.GITHUB_SHA || e.CI_COMMIT_SHA || e.CIRCLE_SHA1 || e.BUILDKITE_COMMIT || e.GIT_COMMIT || undefined;
}

export function ciRunUrlFrom(e: Environment): string | undefined {
  if (e.GITHUB_SERVER_URL && e.GITHUB_REPOSITORY && e.GITHUB_RUN_ID)
    return `${e.GITHUB_SERVER_URL}/${e.GITHUB_REPOSITORY}/actions/runs/${e.GITHUB_RUN_ID}`;
  return e.CI_JOB_URL || e.CIRCLE_BUILD_URL || e.BUILDKITE_BUILD_URL || e.BUILD_URL || undefined;
}

export function actorFrom(e: Environment): string | undefined {
  return e.GITHUB_ACTOR || e.GITLAB_USER_LOGIN || e.CIRCLE_USERNAME || e.BUILDKITE_BUILD_CREATOR || undefined;
}
