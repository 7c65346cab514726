// The integration tab's copy-ready snippets, with the project's values filled in. The API key
// is never in them (it is shown once, at creation or rotation): they read it from a CI secret
// named SEQPULSE_API_KEY. Pure: unit-tested, and e2e/snippets.test.ts runs every one of them as
// pasted, against a running stack.

export const API_KEY_SECRET = "SEQPULSE_API_KEY";

export interface SnippetValues {
  /** Where SeqPulse answers, e.g. https://seqpulse.example.com (no trailing slash). */
  baseUrl: string;
  env: string;
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/** A JSON string literal that is safe inside single quotes in a shell. */
function shellJson(value: string): string {
  return JSON.stringify(value).replace(/'/g, "'\\''");
}

/**
 * The shell lines every snippet runs after the trigger call, whose answer is in RESPONSE: a
 * refused call stops the job with SeqPulse's error, and an answer without a deployment id stops
 * it too, before anything is deployed (an answer that is not JSON makes jq fail: errexit and
 * pipefail stop it). printf, not echo: busybox's echo would expand backslashes in the JSON.
 */
function readDeploymentId(indent: string): string {
  return `${indent}DEPLOYMENT_ID=$(printf '%s' "$RESPONSE" | jq -r .deployment_id)
${indent}if [ -z "$DEPLOYMENT_ID" ] || [ "$DEPLOYMENT_ID" = null ]; then
${indent}  echo "SeqPulse did not return a deployment id: not deploying. $RESPONSE" >&2
${indent}  exit 1
${indent}fi`;
}

const refused = (call: string) => `|| { echo "SeqPulse refused the ${call}: $RESPONSE" >&2; exit 1; }`;

/**
 * A bash script. Fails fast: `set -euo pipefail`, curl's `--fail-with-body` (an HTTP error
 * stops the script and prints SeqPulse's error), and no deployment without a deployment id.
 */
export function curlSnippet({ baseUrl, env }: SnippetValues): string {
  const base = trimBase(baseUrl);
  return `#!/usr/bin/env bash
# Needs curl 7.76+ and jq; ${API_KEY_SECRET} holds the project's API key.
set -euo pipefail

# 1. When the deployment starts: SeqPulse records the baseline.
RESPONSE=$(curl -sS --fail-with-body -X POST "${base}/deployments/trigger" \\
  -H "X-API-Key: $${API_KEY_SECRET}" \\
  -H "Content-Type: application/json" \\
  -d '{"env": ${shellJson(env)}, "branch": "main", "commit_sha": "'"$(git rev-parse HEAD)"'"}') \\
  ${refused("trigger")}
${readDeploymentId("")}

# 2. Your deployment.
if ./deploy.sh; then RESULT=success; else RESULT=failed; fi

# 3. When the deployment is done ("success" or "failed"): the observation starts.
curl -sS --fail-with-body -X POST "${base}/deployments/finish" \\
  -H "X-API-Key: $${API_KEY_SECRET}" \\
  -H "Content-Type: application/json" \\
  -d '{"deployment_id": "'"$DEPLOYMENT_ID"'", "result": "'"$RESULT"'"}'
[ "$RESULT" = success ]
`;
}

/**
 * Values reach the shell through `env:` and are read as "$VAR", never as `\${{ }}` inside
 * `run:` (GitHub's script-injection guidance); bodies are built by jq, so a branch name with
 * quotes stays a string.
 */
export function githubActionsSnippet({ baseUrl, env }: SnippetValues): string {
  const base = trimBase(baseUrl);
  return `# .github/workflows/deploy.yml
# Add the project's API key as a repository secret named ${API_KEY_SECRET}.
name: Deploy
on:
  push:
    branches: [main]

env:
  SEQPULSE_URL: ${base}

jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4

      - name: SeqPulse - deployment starts
        id: seqpulse
        env:
          ${API_KEY_SECRET}: \${{ secrets.${API_KEY_SECRET} }}
          SEQPULSE_ENV: ${JSON.stringify(env)}
        run: |
          set -euo pipefail
          body=$(jq -n --arg env "$SEQPULSE_ENV" --arg branch "$GITHUB_REF_NAME" --arg sha "$GITHUB_SHA" \\
            '{env: $env, branch: $branch, commit_sha: $sha}')
          RESPONSE=$(curl -sS --fail-with-body -X POST "$SEQPULSE_URL/deployments/trigger" \\
            -H "X-API-Key: $${API_KEY_SECRET}" \\
            -H "X-Idempotency-Key: $GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT" \\
            -H "Content-Type: application/json" \\
            -d "$body") ${refused("trigger")}
${readDeploymentId("          ")}
          echo "deployment_id=$DEPLOYMENT_ID" >> "$GITHUB_OUTPUT"

      - name: Deploy
        run: ./deploy.sh # your deployment

      - name: SeqPulse - deployment finished
        if: always() && steps.seqpulse.outputs.deployment_id != ''
        env:
          ${API_KEY_SECRET}: \${{ secrets.${API_KEY_SECRET} }}
          DEPLOYMENT_ID: \${{ steps.seqpulse.outputs.deployment_id }}
          RESULT: \${{ job.status == 'success' && 'success' || 'failed' }}
        run: |
          set -euo pipefail
          curl -sS --fail-with-body -X POST "$SEQPULSE_URL/deployments/finish" \\
            -H "X-API-Key: $${API_KEY_SECRET}" \\
            -H "Content-Type: application/json" \\
            -d "$(jq -n --arg id "$DEPLOYMENT_ID" --arg result "$RESULT" '{deployment_id: $id, result: $result}')"
`;
}

/** POSIX sh (the alpine image has no bash) with pipefail, which busybox's and bash's sh have. */
export function gitlabCiSnippet({ baseUrl, env }: SnippetValues): string {
  const base = trimBase(baseUrl);
  return `# .gitlab-ci.yml
# Add the project's API key as a masked CI/CD variable named ${API_KEY_SECRET}.
deploy:
  stage: deploy
  image: alpine:3.20
  variables:
    SEQPULSE_URL: ${base}
    SEQPULSE_ENV: ${JSON.stringify(env)}
  before_script:
    - apk add --no-cache curl jq
  script:
    - |
      set -euo pipefail
      BODY=$(jq -n --arg env "$SEQPULSE_ENV" --arg branch "$CI_COMMIT_REF_NAME" --arg sha "$CI_COMMIT_SHA" \\
        '{env: $env, branch: $branch, commit_sha: $sha}')
      RESPONSE=$(curl -sS --fail-with-body -X POST "$SEQPULSE_URL/deployments/trigger" \\
        -H "X-API-Key: $${API_KEY_SECRET}" \\
        -H "X-Idempotency-Key: $CI_PIPELINE_ID-$CI_JOB_ID" \\
        -H "Content-Type: application/json" \\
        -d "$BODY") ${refused("trigger")}
${readDeploymentId("      ")}
      if ./deploy.sh; then RESULT=success; else RESULT=failed; fi
      curl -sS --fail-with-body -X POST "$SEQPULSE_URL/deployments/finish" \\
        -H "X-API-Key: $${API_KEY_SECRET}" \\
        -H "Content-Type: application/json" \\
        -d "$(jq -n --arg id "$DEPLOYMENT_ID" --arg result "$RESULT" '{deployment_id: $id, result: $result}')"
      test "$RESULT" = success
`;
}

/** The `seqpulse` npm package version the CLI snippets run (`npx --yes seqpulse@<version>`). */
export const CLI_VERSION = "1";

/** Where the GitHub Action and the GitLab template are published, and at which tag. */
export const INTEGRATIONS_REPOSITORY = "seqpulse/seqpulse";
const INTEGRATIONS_TAG = "v1";

/**
 * The GitHub Action (integrations/github-action): the deploy command runs inside `seqpulse run`,
 * the job waits for the verdict and fails on a rollback. The same text as the example in the
 * action's README (a test holds them together), with this project's values.
 */
export function githubActionSnippet({ baseUrl, env }: SnippetValues): string {
  return `# .github/workflows/deploy.yml
# Add the project's API key as a repository secret named ${API_KEY_SECRET}.
name: Deploy
on:
  push:
    branches: [main]

jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - name: Deploy, verified by SeqPulse
        id: seqpulse
        uses: ${INTEGRATIONS_REPOSITORY}/integrations/github-action@${INTEGRATIONS_TAG}
        with:
          api-key: \${{ secrets.${API_KEY_SECRET} }}
          base-url: ${trimBase(baseUrl)}
          env: ${JSON.stringify(env)}
          command: ./deploy.sh
      - name: Roll back
        if: failure() && steps.seqpulse.outputs.verdict == 'rollback_recommended'
        run: ./rollback.sh
`;
}

/** A `.gitlab-ci.yml` that includes the template (integrations/gitlab) and extends its job. */
export function gitlabTemplateSnippet({ baseUrl, env }: SnippetValues): string {
  return `# .gitlab-ci.yml
# Add the project's API key as a masked CI/CD variable named ${API_KEY_SECRET}.
include:
  - remote: https://raw.githubusercontent.com/${INTEGRATIONS_REPOSITORY}/${INTEGRATIONS_TAG}/integrations/gitlab/seqpulse.gitlab-ci.yml

deploy:
  extends: .seqpulse-deploy
  variables:
    SEQPULSE_BASE_URL: ${trimBase(baseUrl)}
    SEQPULSE_ENV: ${JSON.stringify(env)}
    SEQPULSE_DEPLOY_COMMAND: ./deploy.sh
`;
}

/** integrations/circleci/config.yml with this project's values (a test holds them together). */
export function circleCiSnippet({ baseUrl, env }: SnippetValues): string {
  return `# .circleci/config.yml: the deploy job, verified by SeqPulse. \`seqpulse run\` triggers a
# deployment, runs the deploy command, finishes it with the command's result, waits for the
# verdict and exits 1 on rollback_recommended (add \`--fail-on warning\` to fail on warnings too).
# ${API_KEY_SECRET}: the project's API key, in the \`seqpulse\` context.
version: 2.1

jobs:
  deploy:
    docker:
      - image: cimg/node:22.12
    environment:
      SEQPULSE_BASE_URL: ${trimBase(baseUrl)}
      SEQPULSE_ENV: ${JSON.stringify(env)}
    steps:
      - checkout
      - run:
          name: Deploy, verified by SeqPulse
          command: npx --yes seqpulse@${CLI_VERSION} run --env "$SEQPULSE_ENV" -- ./deploy.sh

workflows:
  deploy:
    jobs:
      - deploy:
          context: seqpulse
          filters:
            branches:
              only: main
`;
}

/**
 * integrations/jenkins/Jenkinsfile with this project's values (a test holds them together).
 * Environment names are lower-case letters, digits, - and _: safe inside Groovy's quotes.
 */
export function jenkinsSnippet({ baseUrl, env }: SnippetValues): string {
  return `// Jenkinsfile: the deploy stage, verified by SeqPulse. \`seqpulse run\` triggers a deployment,
// runs the deploy command, finishes it with the command's result, waits for the verdict and
// exits 1 on rollback_recommended (add \`--fail-on warning\` to fail on warnings too). Needs Node
// on the agent; ${API_KEY_SECRET} comes from a "Secret text" credential named seqpulse-api-key.
pipeline {
  agent any
  environment {
    SEQPULSE_BASE_URL = '${trimBase(baseUrl)}'
    SEQPULSE_ENV = '${env}'
    ${API_KEY_SECRET} = credentials('seqpulse-api-key')
  }
  stages {
    stage('Deploy') {
      steps {
        sh 'npx --yes seqpulse@${CLI_VERSION} run --env "$SEQPULSE_ENV" -- ./deploy.sh'
      }
    }
  }
}
`;
}

/** What the application's metrics endpoint answers (worker/features/collection/metrics-payload.ts). */
export const metricsExample = `{
  "metrics": {
    "requests_per_sec": 12.3,
    "latency_p95": 220,
    "error_rate": 0.01,
    "cpu_usage": 0.32,
    "memory_usage": 0.45
  }
}`;

/**
 * A minimal endpoint in Node, verifying SeqPulse's HMAC v2 signature when a secret is set. This
 * is the file's text inside a template literal: a backslash or a backtick in it is escaped
 * once more here (the tests save it as server.mjs and run it).
 */
export const nodeEndpointExample = `// server.mjs: GET /seqpulse-metrics (Node 22, no dependencies)
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";

const secret = process.env.SEQPULSE_HMAC_SECRET; // unset: no signature check
const seen = new Map(); // nonce -> expiry, against replays

// The path requested, without a trailing slash: what SeqPulse signs.
function canonicalPath(url) {
  const path = new URL(url, "http://app").pathname;
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

function signatureIsValid(req) {
  const headers = req.headers;
  const timestamp = headers["x-seqpulse-timestamp"];
  const nonce = headers["x-seqpulse-nonce"];
  const signature = headers["x-seqpulse-signature"] ?? "";
  if (headers["x-seqpulse-signature-version"] !== "v2" || !timestamp || !nonce) return false;
  const now = Date.now();
  const age = now - Date.parse(timestamp);
  for (const [old, expiry] of seen) if (expiry < now) seen.delete(old);
  if (!(age < 300_000 && age > -30_000) || seen.has(nonce)) return false;
  const expected = "sha256=" + createHmac("sha256", secret)
    .update(\`\${timestamp}|GET|\${canonicalPath(req.url)}|\${nonce}\`).digest("hex");
  if (expected.length !== signature.length) return false;
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return false;
  seen.set(nonce, now + 330_000);
  return true;
}

const server = http.createServer((req, res) => {
  if (req.method !== "GET" || canonicalPath(req.url) !== "/seqpulse-metrics") return res.writeHead(404).end();
  if (secret && !signatureIsValid(req)) return res.writeHead(401).end();
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({
    metrics: {
      requests_per_sec: 12.3, // from your own instrumentation
      latency_p95: 220,       // milliseconds
      error_rate: 0.01,       // 0..1
      cpu_usage: 0.32,        // 0..1
      memory_usage: 0.45,     // 0..1
    },
  }));
});
server.listen(Number(process.env.PORT ?? 8080), () => {
  console.log(\`SeqPulse metrics on http://localhost:\${server.address().port}/seqpulse-metrics\`);
});
`;

export const hmacHeaders = [
  ["X-SeqPulse-Timestamp", "2026-05-04T10:00:00Z"],
  ["X-SeqPulse-Nonce", "3f1c…"],
  ["X-SeqPulse-Signature", "sha256=<hex>"],
  ["X-SeqPulse-Signature-Version", "v2"],
  ["X-SeqPulse-Canonical-Path", "/seqpulse-metrics"],
  ["X-SeqPulse-Method", "GET"],
  ["X-SeqPulse-Nonce-TTL", "330"],
  ["X-SeqPulse-Project-Id", "<project id>"],
] as const;
