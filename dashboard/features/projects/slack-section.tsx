// A project's Slack notifications: an incoming webhook (one message at the verdict) and/or a bot
// token with a channel id (one message per deployment, updated in place). The secrets are
// write-only: the webhook shows masked, the token as "set". Turn on/off, send a test message,
// remove.
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { errorClass, TextField } from "../../components/ui/text-field";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { cardClass, failureKey } from "../deployments/page-states";
import { isSignedOut, redirectToSignIn } from "../session/session";
import { ConfirmButtons, ConfirmWarning, type TabProps, useAction } from "./settings-section";
import { type SlackFormProblem, type SlackSettingsView, slackBody, slackFormFrom } from "./slack-form";

/** The API's Slack codes that have their own sentence; other failures get the common ones. */
const slackCodes = [
  "SLACK_NOT_CONFIGURED",
  "SLACK_DISABLED",
  "SLACK_WEBHOOK_REJECTED",
  "SLACK_BOT_REJECTED",
  "SLACK_TIMEOUT",
  "SLACK_UNAVAILABLE",
  "VALIDATION_FAILED",
] as const;
type SlackCode = (typeof slackCodes)[number];
const isSlackCode = (code: string): code is SlackCode => (slackCodes as readonly string[]).includes(code);

function useSlackFailureText() {
  const { t } = useTranslation();
  return (failure: ApiFailure) =>
    isSlackCode(failure.code) ? t(`slack.errors.${failure.code}`) : t(failureKey(failure));
}

export function SlackSection({ locale, project, format }: TabProps) {
  const { t } = useTranslation();
  const failureText = useSlackFailureText();
  const { busy, failure, run } = useAction(locale);
  const [settings, setSettings] = useState<SlackSettingsView | null | undefined>(undefined);
  const [form, setForm] = useState(() => slackFormFrom(null));
  const [problems, setProblems] = useState<SlackFormProblem[]>([]);
  const [saved, setSaved] = useState(false);
  const [tested, setTested] = useState<{ sent: Array<"bot" | "webhook"> } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const base = `/api/projects/${project.id}/slack`;

  const show = useCallback((next: SlackSettingsView | null) => {
    setSettings(next);
    setForm(slackFormFrom(next));
  }, []);

  const load = useCallback(async () => {
    const result = await apiRequest<{ slack: SlackSettingsView | null }>("GET", base);
    if (result.ok) show(result.data.slack);
    else if (isSignedOut(result.error)) redirectToSignIn(locale);
  }, [base, locale, show]);
  useEffect(() => void load(), [load]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const body = slackBody(form, settings ?? null);
    setProblems(body.ok ? [] : body.problems);
    if (!body.ok) return;
    const result = await run<{ slack: SlackSettingsView }>("save", "PUT", base, body.body);
    if (!result) return;
    show(result.data.slack);
    setSaved(true);
  };

  const change = async (action: string, method: "POST" | "PUT", path: string, body?: unknown) => {
    setSaved(false);
    const result = await run<{ slack: SlackSettingsView }>(action, method, path, body);
    if (result) show(result.data.slack);
  };

  const test = async () => {
    setTested(null);
    const result = await run<{ sent: Array<"bot" | "webhook"> }>("test", "POST", `${base}/test`);
    if (result) setTested(result.data);
    await load();
  };

  const remove = async () => {
    if (!(await run("delete", "DELETE", base))) return;
    setConfirmDelete(false);
    show(null);
  };

  const problem = (field: SlackFormProblem) =>
    problems.includes(field) ? t(`slack.problems.${field}`) : undefined;

  return (
    <section aria-labelledby="slack-title" className={`${cardClass} p-5 sm:p-6`}>
      <h2 id="slack-title" className="font-semibold text-lg text-slate-900 dark:text-white">
        {t("slack.title")}
      </h2>
      <p className="mt-1 max-w-3xl text-slate-700 text-sm dark:text-slate-300">{t("slack.lead")}</p>
      <div className="mt-4 grid gap-4">
        {settings && (
          <div className="grid gap-1 text-sm" data-testid="slack-status">
            <p>
              <span className="font-medium">
                {settings.enabled ? t("slack.status.enabled") : t("slack.status.disabled")}
              </span>
              {settings.path && <> · {t(`slack.path.${settings.path}`)}</>}
              {settings.onlyProblems && <> · {t("slack.status.onlyProblems")}</>}
            </p>
            {settings.webhookUrl && (
              <p className="break-all">
                {t("slack.status.webhook")}{" "}
                <code className="rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">
                  {settings.webhookUrl}
                </code>
                {settings.channel && <> · {settings.channel}</>}
              </p>
            )}
            {settings.botTokenSet && (
              <p>
                {t("slack.status.botToken")} · {settings.botChannelId}
              </p>
            )}
            {settings.lastDelivery && (
              <p className="text-slate-700 dark:text-slate-300">
                {t("slack.status.lastDelivery", {
                  time: format.dateTime(settings.lastDelivery.at),
                  status: t(`slack.deliveryStatus.${settings.lastDelivery.status}`),
                })}
                {settings.lastDelivery.error && (
                  <span className="break-words"> ({settings.lastDelivery.error})</span>
                )}
              </p>
            )}
          </div>
        )}
        {settings === null && <p className="text-slate-700 text-sm dark:text-slate-300">{t("slack.none")}</p>}

        {settings !== undefined && (
          <form noValidate onSubmit={save} className="grid max-w-2xl gap-3">
            <TextField
              id="slack-webhook-url"
              type="url"
              inputMode="url"
              label={t("slack.form.webhookUrl")}
              hint={settings?.webhookUrl ? t("slack.form.keepHint") : t("slack.form.webhookUrlHint")}
              error={problem("webhookUrl") ?? problem("nothing")}
              value={form.webhookUrl}
              onChange={(event) => setForm({ ...form, webhookUrl: event.target.value })}
              autoComplete="off"
            />
            <TextField
              id="slack-channel"
              label={t("slack.form.channel")}
              hint={t("slack.form.channelHint")}
              error={problem("channel")}
              value={form.channel}
              onChange={(event) => setForm({ ...form, channel: event.target.value })}
              autoComplete="off"
            />
            <TextField
              id="slack-bot-token"
              type="password"
              label={t("slack.form.botToken")}
              hint={settings?.botTokenSet ? t("slack.form.keepHint") : t("slack.form.botTokenHint")}
              error={problem("botToken")}
              value={form.botToken}
              onChange={(event) => setForm({ ...form, botToken: event.target.value })}
              autoComplete="off"
            />
            <TextField
              id="slack-bot-channel"
              label={t("slack.form.botChannelId")}
              hint={t("slack.form.botChannelIdHint")}
              error={problem("botChannelId")}
              value={form.botChannelId}
              onChange={(event) => setForm({ ...form, botChannelId: event.target.value })}
              autoComplete="off"
            />
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="slack-only-problems"
                className="h-4 w-4 shrink-0 accent-sky-700"
                checked={form.onlyProblems}
                onChange={(event) => setForm({ ...form, onlyProblems: event.target.checked })}
              />
              {t("slack.form.onlyProblems")}
            </label>
            {problems.includes("nothing") && <p className={errorClass}>{t("slack.problems.nothing")}</p>}
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" variant="secondary" busy={busy === "save"} busyLabel={t("common.saving")}>
                {t("common.save")}
              </Button>
              <span role="status" className="text-emerald-800 text-sm dark:text-emerald-300">
                {saved ? t("common.saved") : ""}
              </span>
            </div>
          </form>
        )}

        {settings && (
          <div className="flex flex-wrap gap-3">
            <Button variant="secondary" busy={busy === "test"} onClick={() => void test()}>
              {t("slack.test")}
            </Button>
            <Button
              variant="secondary"
              busy={busy === "toggle"}
              onClick={() =>
                void change("toggle", "POST", `${base}/${settings.enabled ? "disable" : "enable"}`)
              }
            >
              {settings.enabled ? t("slack.disable") : t("slack.enable")}
            </Button>
            {settings.webhookUrl && settings.botTokenSet && (
              <Button
                variant="secondary"
                busy={busy === "removeWebhook"}
                onClick={() => void change("removeWebhook", "PUT", base, { webhookUrl: null, channel: null })}
              >
                {t("slack.removeWebhook")}
              </Button>
            )}
            {settings.webhookUrl && settings.botTokenSet && (
              <Button
                variant="secondary"
                busy={busy === "removeBot"}
                onClick={() => void change("removeBot", "PUT", base, { botToken: null, botChannelId: null })}
              >
                {t("slack.removeBot")}
              </Button>
            )}
            <ConfirmButtons
              confirming={confirmDelete}
              onConfirming={setConfirmDelete}
              label={t("slack.delete")}
              confirmLabel={t("slack.confirmDelete")}
              askVariant="danger"
              busy={busy === "delete"}
              onConfirm={() => void remove()}
            />
          </div>
        )}
        <ConfirmWarning confirming={confirmDelete}>{t("slack.deleteWarning")}</ConfirmWarning>
        {tested && (
          <Alert tone="success">
            {t("slack.testSent", { paths: tested.sent.map((path) => t(`slack.path.${path}`)).join(", ") })}
          </Alert>
        )}
        {failure && <Alert tone="error">{failureText(failure.failure)}</Alert>}
      </div>
    </section>
  );
}
