import type { ProjectRow } from "../../../db/queries/projects";

/**
 * Whether the project's plan includes Slack notifications (pro and enterprise). Every Slack path
 * asks this one function: settings changes, the test message, planning and sending messages.
 * Plans land separately (`projects.plan`, worker/features/plans/); until the integrator wires
 * the plan check in here, every project may use Slack.
 */
export function slackAllowedFor(_project: Pick<ProjectRow, "id">): boolean {
  return true;
}
