// The Block Kit of a deployment's message, and the text Slack shows where blocks are not
// (notifications, old clients). Pure: the job reads the rows, this renders them.
import type { SlackMessageStage } from "../../../db/schema";
import type { SlackMessageBody } from "./slack-api";

export interface SlackDeploymentView {
  deployment: {
    id: string;
    number: number;
    env: string;
    state: string;
    branch: string | null;
    commitSha: string | null;
    version: string | null;
  };
  project: { name: string };
  verdict: { verdict: string; confidence: number; summary: unknown } | null;
  hints: Array<{ title: unknown; severity: string }>;
}

/**
 * Slack reads `&`, `<` and `>` as control characters in mrkdwn (`<!channel>`, `<url|label>`):
 * a user's value goes through this so it is shown, never interpreted.
 */
export function escapeSlackText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A user value inside inline code: escaped, backticks dropped (they would close it), one line. */
function code(value: string, max = 80): string {
  return `\`${escapeSlackText(truncate(value.replace(/[`\r\n]+/g, " "), max))}\``;
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** What the deployment's message shows now. */
export function stageOf(view: Pick<SlackDeploymentView, "deployment" | "verdict">): SlackMessageStage {
  if (view.verdict) return "verdict";
  if (view.deployment.state === "cancelled" || view.deployment.state === "expired") return "cancelled";
  return "observing";
}

const verdictLabels: Record<string, { emoji: string; label: string }> = {
  ok: { emoji: ":white_check_mark:", label: "OK" },
  warning: { emoji: ":warning:", label: "Warning" },
  rollback_recommended: { emoji: ":rotating_light:", label: "Rollback recommended" },
};

function textOf(value: unknown): string {
  if (value && typeof value === "object" && "text" in value && typeof value.text === "string")
    return value.text;
  return "";
}

/** The deployment's page on the dashboard; null without a public origin (Slack needs absolute links). */
export function deploymentLink(publicBaseUrl: string | undefined, deploymentId: string): string | null {
  const base = (publicBaseUrl ?? "").trim().replace(/\/+$/, "");
  if (!/^https?:\/\//.test(base)) return null;
  return `${base}/deployments/view/?id=${encodeURIComponent(deploymentId)}`;
}

/** The message of a deployment at its current stage. */
export function renderDeploymentMessage(view: SlackDeploymentView, link: string | null): SlackMessageBody {
  const { deployment, project } = view;
  const stage = stageOf(view);
  const name = escapeSlackText(truncate(project.name, 100));
  const what = [
    `*${name}* · ${code(deployment.env, 40)} · deployment #${deployment.number}`,
    deployment.version ? `version ${code(deployment.version)}` : null,
    deployment.commitSha ? `commit ${code(deployment.commitSha.slice(0, 12))}` : null,
    deployment.branch ? `branch ${code(deployment.branch)}` : null,
  ]
    .filter(Boolean)
    .join(" · ");

  let status: string;
  let fallback: string;
  const plainName = truncate(project.name, 100);
  if (stage === "verdict" && view.verdict) {
    const label = verdictLabels[view.verdict.verdict] ?? {
      emoji: ":grey_question:",
      label: view.verdict.verdict,
    };
    const confidence = Math.round(view.verdict.confidence * 100);
    const summary = textOf(view.verdict.summary);
    status = `${label.emoji} *${label.label}* (confidence ${confidence} %)${summary ? `\n${escapeSlackText(truncate(summary, 600))}` : ""}`;
    fallback = `SeqPulse: ${label.label} for ${plainName} (${deployment.env}) #${deployment.number}`;
  } else if (stage === "cancelled") {
    status =
      deployment.state === "expired"
        ? ":heavy_minus_sign: *Expired*: the finish never came."
        : ":heavy_minus_sign: *Cancelled*";
    fallback = `SeqPulse: ${plainName} (${deployment.env}) #${deployment.number} ${deployment.state}`;
  } else {
    status = ":hourglass_flowing_sand: *Observing…* the verdict comes when the observation window closes.";
    fallback = `SeqPulse: observing ${plainName} (${deployment.env}) #${deployment.number}`;
  }

  const blocks: unknown[] = [
    { type: "section", text: { type: "mrkdwn", text: what } },
    { type: "section", text: { type: "mrkdwn", text: status } },
  ];
  if (stage === "verdict") {
    const findings = view.hints
      .map((hint) => textOf(hint.title))
      .filter(Boolean)
      .slice(0, 3)
      .map((title) => `• ${escapeSlackText(truncate(title, 200))}`);
    if (findings.length > 0)
      blocks.push({
        type: "section",
        text: { type: "mrkdwn", text: `*Top findings*\n${findings.join("\n")}` },
      });
  }
  if (link) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Open in SeqPulse" },
          url: link,
          action_id: "open_deployment",
        },
      ],
    });
  }
  return { text: fallback, blocks };
}

/** The test message: plain, so it proves the path and nothing else. */
export function renderTestMessage(projectName: string): SlackMessageBody {
  const name = escapeSlackText(truncate(projectName, 100));
  const text = `SeqPulse test message for *${name}*: deployment notifications will arrive here.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}
