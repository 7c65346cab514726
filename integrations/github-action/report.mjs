// Reads what `seqpulse ... --json` printed (after the deploy command's own output, which shares
// stdout) and writes the step's outputs and the job summary: the verdict, its top findings and
// the link to the deployment in SeqPulse.
// Usage: node report.mjs <file with the CLI's stdout>
import { appendFileSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * @typedef {{ metric?: string, severity?: string, title?: string }} Finding
 * @typedef {{ deployment_id?: string | null, verdict?: string | null, confidence?: number | null,
 *   summary?: string | null, findings?: Finding[] | null, dashboard_url?: string | null }} Answer
 */

/**
 * The CLI's answer: the last JSON object of the output that has a deployment_id, printed on one
 * line or over several.
 * @param {string} output
 * @returns {Answer | undefined}
 */
export function findAnswer(output) {
  const lines = output.split("\n");
  for (let start = lines.length - 1; start >= 0; start--) {
    if (!lines[start]?.startsWith("{")) continue;
    try {
      const value = JSON.parse(lines.slice(start).join("\n"));
      if (value && typeof value === "object" && "deployment_id" in value) return value;
    } catch {
      // Not the start of the answer: keep looking further up.
    }
  }
  return undefined;
}

const headlines = {
  ok: "✅ SeqPulse: ok",
  warning: "⚠️ SeqPulse: warning",
  rollback_recommended: "🛑 SeqPulse: rollback recommended",
};

/** Text from SeqPulse made inert in Markdown: no HTML, no table breaks, one line. */
const inert = (/** @type {unknown} */ text) =>
  String(text ?? "")
    .replace(/[\\`*_[\]<|]/g, (character) => `\\${character}`)
    .replace(/\s+/g, " ")
    .trim();

/**
 * @param {Answer} answer
 * @returns {string}
 */
export function summaryMarkdown(answer) {
  const verdict = answer.verdict ?? "";
  const lines = [
    `### ${headlines[/** @type {keyof typeof headlines} */ (verdict)] ?? "SeqPulse: no verdict"}`,
    "",
  ];
  if (typeof answer.confidence === "number") {
    const percent = answer.confidence <= 1 ? Math.round(answer.confidence * 100) : answer.confidence;
    lines.push(`Confidence: ${percent}%`, "");
  }
  if (answer.summary) lines.push(inert(answer.summary), "");
  const findings = Array.isArray(answer.findings) ? answer.findings : [];
  if (findings.length > 0) {
    lines.push("| Severity | Metric | Finding |", "| --- | --- | --- |");
    for (const finding of findings) {
      lines.push(`| ${inert(finding.severity)} | ${inert(finding.metric)} | ${inert(finding.title)} |`);
    }
    lines.push("");
  }
  if (answer.dashboard_url && /^https?:\/\//.test(answer.dashboard_url)) {
    lines.push(`[Open the deployment in SeqPulse](${encodeURI(answer.dashboard_url)})`, "");
  }
  return `${lines.join("\n")}\n`;
}

/** One `name=value` line per output; values from SeqPulse are single tokens, never multi-line. */
const outputLine = (/** @type {string} */ name, /** @type {unknown} */ value) =>
  `${name}=${String(value ?? "").replace(/[\r\n]/g, "")}\n`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: node report.mjs <file with the CLI's output>");
  const answer = findAnswer(readFileSync(file, "utf8"));
  if (!answer) process.exit(1);
  if (process.env.GITHUB_OUTPUT) {
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      outputLine("deployment-id", answer.deployment_id) + outputLine("verdict", answer.verdict),
    );
  }
  if (process.env.GITHUB_STEP_SUMMARY)
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, summaryMarkdown(answer));
}
