/** Slack's incoming-webhook URLs: `https://hooks.slack.com/services/T…/B…/<secret>`, nothing else. */
export function isSlackWebhookUrl(value: string): boolean {
  return /^https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{1,20}\/B[A-Z0-9]{1,20}\/[A-Za-z0-9]{8,64}$/.test(
    value,
  );
}
