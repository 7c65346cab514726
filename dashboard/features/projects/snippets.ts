// The integration tab's copy-ready snippets, with the project's values filled in. The API key
// is never in them (it is shown once, at creation or rotation): they read it from a CI secret
// named SEQPULSE_API_KEY. Pure: unit-tested, and the browser journey runs the curl one.

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

export function curlSnippet({ baseUrl, env }: SnippetValues): string {
  const base = trimBase(baseUrl);
  return `# 1. When the deployment starts: SeqPulse records the baseline.
DEPLOYMENT_ID=$(curl -sS --fail-with-body -X POST "${base}/deployments/trigger" \\
  -H "X-API-Key: $${API_KEY_SECRET}" \\
  -H "Content-Type: application/json" \\
  -d '{"env": ${shellJson(env)}, "branch": "main", "commit_sha": "'"$(git rev-parse HEAD)"'"}' \\
  | sed -n 's/.*"deployment_id": *"\\([^"]*\\)".*/\\1/p')

# 2. When the deployment is done ("success" or "failed"): the observation starts.
curl -sS --fail-with-body -X POST "${base}/deployments/finish" \\
  -H "X-API-Key: $${API_KEY_SECRET}" \\
  -H "Content-Type: application/json" \\
  -d '{"deployment_id": "'"$DEPLOYMENT_ID"'", "result": "success"}'
`;
}

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
        run: |
          response=$(curl -sS --fail-with-body -X POST "$SEQPULSE_URL/deployments/trigger" \\
            -H "X-API-Key: \${{ secrets.${API_KEY_SECRET} }}" \\
            -H "X-Idempotency-Key: \${{ github.run_id }}-\${{ github.run_attempt }}" \\
            -H "Content-Type: application/json" \\
            -d '{"env": ${shellJson(env)}, "branch": "\${{ github.ref_name }}", "commit_sha": "\${{ github.sha }}"}')
          echo "deployment_id=$(echo "$response" | jq -r .deployment_id)" >> "$GITHUB_OUTPUT"

      - name: Deploy
        run: ./deploy.sh # your deployment

      - name: SeqPulse - deployment finished
        if: always() && steps.seqpulse.outputs.deployment_id != ''
        run: |
          curl -sS --fail-with-body -X POST "$SEQPULSE_URL/deployments/finish" \\
            -H "X-API-Key: \${{ secrets.${API_KEY_SECRET} }}" \\
            -H "Content-Type: application/json" \\
            -d '{"deployment_id": "\${{ steps.seqpulse.outputs.deployment_id }}", "result": "\${{ job.status == 'success' && 'success' || 'failed' }}"}'
`;
}

export function gitlabCiSnippet({ baseUrl, env }: SnippetValues): string {
  const base = trimBase(baseUrl);
  return `# .gitlab-ci.yml
# Add the project's API key as a masked CI/CD variable named ${API_KEY_SECRET}.
deploy:
  stage: deploy
  image: alpine:3.20
  variables:
    SEQPULSE_URL: ${base}
  before_script:
    - apk add --no-cache curl jq
  script:
    - |
      DEPLOYMENT_ID=$(curl -sS --fail-with-body -X POST "$SEQPULSE_URL/deployments/trigger" \\
        -H "X-API-Key: $${API_KEY_SECRET}" \\
        -H "X-Idempotency-Key: $CI_PIPELINE_ID-$CI_JOB_ID" \\
        -H "Content-Type: application/json" \\
        -d '{"env": ${shellJson(env)}, "branch": "'"$CI_COMMIT_REF_NAME"'", "commit_sha": "'"$CI_COMMIT_SHA"'"}' \\
        | jq -r .deployment_id)
      if ./deploy.sh; then RESULT=success; else RESULT=failed; fi
      curl -sS --fail-with-body -X POST "$SEQPULSE_URL/deployments/finish" \\
        -H "X-API-Key: $${API_KEY_SECRET}" \\
        -H "Content-Type: application/json" \\
        -d '{"deployment_id": "'"$DEPLOYMENT_ID"'", "result": "'"$RESULT"'"}'
      test "$RESULT" = success
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
