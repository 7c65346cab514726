#!/usr/bin/env node
// Operator commands against a running SeqPulse (`npm run dev`, or production):
//
//   npm run admin -- plan <project-id> <free|pro|enterprise>
//
// SEQPULSE_URL: the instance (default http://127.0.0.1:$PORT, PORT default 8787).
// OPERATOR_TOKEN: its operator token; locally, when unset, the one in .dev.vars or the one
// `npm run dev` generated for the data folder (.pglite-operator-token beside SEQPULSE_DATA_DIR).
import { findOperatorToken } from "./lib/operator-token.mjs";

const plans = ["free", "pro", "enterprise"];
const usage = `usage: npm run admin -- plan <project-id> <${plans.join("|")}>`;

/**
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>} the exit code
 */
export async function main(args, env = process.env) {
  const [command, projectId, plan, ...rest] = args;
  if (command !== "plan" || !projectId || !plan || rest.length > 0) {
    console.error(usage);
    return 2;
  }
  if (!plans.includes(plan)) {
    console.error(`unknown plan '${plan}': one of ${plans.join(", ")}`);
    return 2;
  }
  const token = findOperatorToken(env);
  if (!token) {
    console.error(
      "no operator token: set OPERATOR_TOKEN (locally, start `npm run dev` once to generate one)",
    );
    return 2;
  }
  const base = (env.SEQPULSE_URL || `http://127.0.0.1:${env.PORT || 8787}`).replace(/\/+$/, "");
  let response;
  try {
    response = await fetch(`${base}/api/admin/projects/${encodeURIComponent(projectId)}/plan`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ plan }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    console.error(`could not reach ${base}: ${error instanceof Error ? error.message : error}`);
    return 1;
  }
  /** @type {any} the route's answer or error body (worker/features/plans/schemas.ts) */
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const reason = body?.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`;
    console.error(`refused (${response.status}) ${reason}`);
    return 1;
  }
  const limits = body.limits;
  const deployments =
    limits.deploymentsPerMonth === null ? "unlimited" : `${limits.deploymentsPerMonth}/month`;
  console.log(
    `project ${body.projectId}: ${body.previousPlan} -> ${body.plan} ` +
      `(deployments ${deployments}, window up to ${limits.maxObservationWindowMinutes} min, ` +
      `samples kept ${limits.sampleRetentionDays} days; ${body.usage.deploymentsThisMonth} deployments this month)`,
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
