import type { DeploymentAnswer, Finding, VerdictAnswer } from "../ci/client.js";

const MAX_FINDINGS_SHOWN = 5;

/** One progress line while waiting: "collecting, 7/15 min, no finding yet". */
export function progressLine(deployment: DeploymentAnswer): string {
  const findings = Array.isArray(deployment.hints) ? deployment.hints.length : 0;
  const found = findings === 0 ? "no finding yet" : `${findings} finding${findings === 1 ? "" : "s"} so far`;
  if (deployment.state === "running") return `waiting for the deploy to finish, ${found}`;
  const window = deployment.observationWindowMinutes;
  if (deployment.state === "finished" && deployment.finishedAt && window) {
    const minutes = Math.min(window, Math.floor((Date.now() - Date.parse(deployment.finishedAt)) / 60_000));
    return `collecting ${minutes}/${window} min, ${found}`;
  }
  return `${deployment.state}, ${found}`;
}

/** The verdict for a person: level, summary, top findings and the dashboard link. */
export function verdictText(answer: VerdictAnswer): string {
  const lines: string[] = [];
  const confidence =
    typeof answer.confidence === "number" ? ` (confidence ${answer.confidence.toFixed(2)})` : "";
  lines.push(
    `SeqPulse verdict: ${answer.verdict ?? "none"}${confidence}${answer.early ? ", decided early" : ""}`,
  );
  if (answer.summary) lines.push(answer.summary);
  for (const finding of answer.findings.slice(0, MAX_FINDINGS_SHOWN))
    lines.push(`  - ${findingText(finding)}`);
  if (answer.findings.length > MAX_FINDINGS_SHOWN)
    lines.push(`  (${answer.findings.length - MAX_FINDINGS_SHOWN} more on the dashboard)`);
  if (answer.dashboard_url) lines.push(`Details: ${answer.dashboard_url}`);
  return lines.join("\n");
}

function findingText(finding: Finding | string): string {
  if (typeof finding === "string") return finding;
  const text = [finding.title, finding.summary, finding.message, finding.diagnosis].find(
    (value): value is string => typeof value === "string" && value.length > 0,
  );
  const severity = typeof finding.severity === "string" ? `[${finding.severity}] ` : "";
  const metric = typeof finding.metric === "string" ? `${finding.metric}: ` : "";
  return `${severity}${metric}${text ?? JSON.stringify(finding)}`;
}
