// A project's webhooks: add one (URL and events; its signing secret is shown once), rotate its
// secret (the previous one keeps signing for a day), send a test event, delete it, and read its
// delivery log with a "redeliver" action per delivery.
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { errorClass, inputClass, TextField } from "../../components/ui/text-field";
import { apiRequest } from "../../lib/api-client";
import { isSignedOut, redirectToSignIn } from "../session/session";
import {
  ConfirmButtons,
  ConfirmWarning,
  RevealedSecret,
  Section,
  type TabProps,
  useAction,
  useRevealedSecret,
} from "./settings-section";
import { emptyWebhookForm, type WebhookEvent, webhookBody, webhookEvents } from "./webhook-form";

interface WebhookView {
  id: string;
  url: string;
  events: WebhookEvent[];
  enabled: boolean;
  previousSecretValidUntil: string | null;
}

interface DeliveryView {
  id: string;
  event: WebhookEvent;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
}

const MAX_WEBHOOKS = 10;

export function WebhooksSection({ locale, project, format }: TabProps) {
  const { t } = useTranslation();
  const { busy, failure, run } = useAction(locale);
  const revealed = useRevealedSecret();
  const [webhooks, setWebhooks] = useState<WebhookView[] | null>(null);
  const [form, setForm] = useState(emptyWebhookForm);
  const [missing, setMissing] = useState<"url" | "events" | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [tested, setTested] = useState<{ id: string; delivered: boolean; detail: string } | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const base = `/api/projects/${project.id}/webhooks`;

  const load = useCallback(async () => {
    const result = await apiRequest<{ items: WebhookView[] }>("GET", base);
    if (result.ok) setWebhooks(result.data.items);
    else if (isSignedOut(result.error)) redirectToSignIn(locale);
  }, [base, locale]);
  useEffect(() => void load(), [load]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const body = webhookBody(form);
    setMissing(body.ok ? null : body.missing);
    if (!body.ok) return;
    const result = await run<{ secret: string }>("add", "POST", base, body.body);
    if (!result) return;
    revealed.show(result.data.secret);
    setForm(emptyWebhookForm());
    await load();
  };

  const rotate = async (id: string) => {
    const result = await run<{ secret: string }>(`rotate:${id}`, "POST", `${base}/${id}/rotate-secret`);
    if (!result) return;
    revealed.show(result.data.secret);
    await load();
  };

  const remove = async (id: string) => {
    if (!(await run(`delete:${id}`, "DELETE", `${base}/${id}`))) return;
    setConfirmDelete(null);
    if (logOf === id) setLogOf(null);
    await load();
  };

  const test = async (id: string) => {
    const result = await run<{ delivered: boolean; statusCode: number | null; error: string | null }>(
      `test:${id}`,
      "POST",
      `${base}/${id}/test`,
    );
    if (!result) return;
    const { delivered, statusCode, error } = result.data;
    setTested({ id, delivered, detail: error ?? (statusCode === null ? "" : `HTTP ${statusCode}`) });
    await load();
  };

  return (
    <Section id="webhooks-title" name="webhooks" failure={failure}>
      <RevealedSecret
        title={t("projects.settings.webhooks.secretTitle")}
        testId="webhook-secret"
        revealed={revealed}
      />
      {webhooks && webhooks.length === 0 && (
        <p className="text-slate-700 text-sm dark:text-slate-300">{t("projects.settings.webhooks.none")}</p>
      )}
      <ul className="mt-4 grid gap-4">
        {webhooks?.map((webhook) => (
          <li key={webhook.id} className="rounded-lg border border-slate-200 p-4 dark:border-slate-700">
            <p className="break-all font-medium font-mono text-sm">{webhook.url}</p>
            <p className="mt-1 text-slate-700 text-sm dark:text-slate-300">
              {webhook.events.map((event) => t(`projects.settings.webhooks.events.${event}`)).join(", ")}
              {" · "}
              {webhook.enabled
                ? t("projects.settings.webhooks.enabled")
                : t("projects.settings.webhooks.disabled")}
            </p>
            {webhook.previousSecretValidUntil && (
              <p className="mt-1 text-slate-700 text-sm dark:text-slate-300">
                {t("projects.settings.webhooks.previousValid", {
                  time: format.dateTime(webhook.previousSecretValidUntil),
                })}
              </p>
            )}
            <div className="mt-3 flex flex-wrap gap-3">
              <Button
                variant="secondary"
                busy={busy === `test:${webhook.id}`}
                onClick={() => void test(webhook.id)}
              >
                {t("projects.settings.webhooks.test")}
              </Button>
              <Button
                variant="secondary"
                busy={busy === `rotate:${webhook.id}`}
                onClick={() => void rotate(webhook.id)}
              >
                {t("projects.settings.webhooks.rotate")}
              </Button>
              <Button variant="secondary" onClick={() => setLogOf(logOf === webhook.id ? null : webhook.id)}>
                {logOf === webhook.id
                  ? t("projects.settings.webhooks.hideLog")
                  : t("projects.settings.webhooks.showLog")}
              </Button>
              <ConfirmButtons
                confirming={confirmDelete === webhook.id}
                onConfirming={(confirming) => setConfirmDelete(confirming ? webhook.id : null)}
                label={t("projects.settings.webhooks.delete")}
                confirmLabel={t("projects.settings.webhooks.confirmDelete")}
                askVariant="danger"
                busy={busy === `delete:${webhook.id}`}
                onConfirm={() => void remove(webhook.id)}
              />
            </div>
            <ConfirmWarning confirming={confirmDelete === webhook.id}>
              {t("projects.settings.webhooks.deleteWarning")}
            </ConfirmWarning>
            {tested?.id === webhook.id && (
              <div className="mt-3">
                <Alert tone={tested.delivered ? "success" : "error"}>
                  {tested.delivered
                    ? t("projects.settings.webhooks.testDelivered")
                    : t("projects.settings.webhooks.testFailed")}{" "}
                  {tested.detail && <span className="break-words">({tested.detail})</span>}
                </Alert>
              </div>
            )}
            {logOf === webhook.id && <DeliveryLog {...{ locale, format, base }} webhookId={webhook.id} />}
          </li>
        ))}
      </ul>
      {webhooks && webhooks.length < MAX_WEBHOOKS && (
        <form noValidate onSubmit={add} className="mt-5 grid gap-3">
          <TextField
            id="webhook-url"
            type="url"
            inputMode="url"
            label={t("projects.settings.webhooks.url")}
            hint={t("projects.settings.webhooks.urlHint")}
            error={missing === "url" ? t("projects.settings.webhooks.urlMissing") : undefined}
            value={form.url}
            onChange={(event) => setForm({ ...form, url: event.target.value })}
            autoComplete="off"
          />
          <fieldset>
            <legend className="font-medium text-slate-800 text-sm dark:text-slate-200">
              {t("projects.settings.webhooks.eventsLegend")}
            </legend>
            <div className="mt-2 flex flex-wrap gap-4">
              {webhookEvents.map((event) => (
                <label key={event} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name={`webhook-${event}`}
                    className={`${inputClass} w-auto`}
                    checked={form.events[event]}
                    onChange={(change) =>
                      setForm({ ...form, events: { ...form.events, [event]: change.target.checked } })
                    }
                  />
                  {t(`projects.settings.webhooks.events.${event}`)}
                </label>
              ))}
            </div>
            {missing === "events" && (
              <p className={errorClass}>{t("projects.settings.webhooks.eventsMissing")}</p>
            )}
          </fieldset>
          <div>
            <Button type="submit" busy={busy === "add"}>
              {t("projects.settings.webhooks.add")}
            </Button>
          </div>
        </form>
      )}
    </Section>
  );
}

function DeliveryLog({
  locale,
  format,
  base,
  webhookId,
}: Pick<TabProps, "locale" | "format"> & { base: string; webhookId: string }) {
  const { t } = useTranslation();
  const { busy, run } = useAction(locale);
  const [deliveries, setDeliveries] = useState<DeliveryView[] | null>(null);
  const path = `${base}/${webhookId}/deliveries`;

  const load = useCallback(async () => {
    const result = await apiRequest<{ items: DeliveryView[] }>("GET", path);
    if (result.ok) setDeliveries(result.data.items);
    else if (isSignedOut(result.error)) redirectToSignIn(locale);
  }, [path, locale]);
  useEffect(() => void load(), [load]);

  const redeliver = async (id: string) => {
    if (await run(`redeliver:${id}`, "POST", `${path}/${id}/redeliver`)) await load();
  };

  if (!deliveries) return null;
  if (deliveries.length === 0)
    return (
      <p className="mt-3 text-slate-700 text-sm dark:text-slate-300">
        {t("projects.settings.webhooks.noDeliveries")}
      </p>
    );
  return (
    <div className="mt-3 overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t("projects.settings.webhooks.logCaption")}</caption>
        <thead className="text-slate-600 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              {t("projects.settings.webhooks.log.time")}
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              {t("projects.settings.webhooks.log.event")}
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              {t("projects.settings.webhooks.log.status")}
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              {t("projects.settings.webhooks.log.attempts")}
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              {t("projects.settings.webhooks.log.response")}
            </th>
            <th scope="col" className="py-1 font-medium">
              <span className="sr-only">{t("projects.settings.webhooks.redeliver")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id} className="border-slate-200 border-t dark:border-slate-700">
              <td className="py-1.5 pr-3">{format.dateTime(delivery.lastAttemptAt ?? delivery.createdAt)}</td>
              <td className="py-1.5 pr-3">{t(`projects.settings.webhooks.events.${delivery.event}`)}</td>
              <td className="py-1.5 pr-3">{t(`projects.settings.webhooks.status.${delivery.status}`)}</td>
              <td className="py-1.5 pr-3">{delivery.attempts}</td>
              <td className="break-words py-1.5 pr-3">
                {delivery.lastError ?? delivery.lastStatusCode ?? "—"}
              </td>
              <td className="py-1.5">
                <Button
                  variant="secondary"
                  busy={busy === `redeliver:${delivery.id}`}
                  onClick={() => void redeliver(delivery.id)}
                >
                  {t("projects.settings.webhooks.redeliver")}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
