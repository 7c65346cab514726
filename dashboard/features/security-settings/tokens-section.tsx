import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { TOKEN_NAME_MAX_LENGTH } from "../../../worker/lib/field-limits";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { ShownOnce } from "../../components/ui/shown-once";
import { inputClass, labelClass, TextField } from "../../components/ui/text-field";
import type { Locale } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import type { TokenInfo } from "../auth/api";
import { type Problem, problemForFailure } from "../auth/problems";
import { useApiForm, useProblemText } from "../auth/use-api-form";
import { validateTokenName } from "../auth/validation";
import { Fact, Facts } from "./facts";
import { formatDateTime } from "./format";
import { SectionSkeleton, SettingsSection } from "./settings-section";
import { type ListSectionProps, useSectionList } from "./use-section-list";
import { useSessionGuard } from "./use-session-guard";

const expiryChoices = [0, 7, 30, 90, 365] as const;

export function TokensSection({ locale, reloadKey }: ListSectionProps) {
  const { t } = useTranslation();
  const text = useProblemText();
  const guard = useSessionGuard(locale);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);

  const { state, update } = useSectionList(
    "/api/auth/tokens",
    (data: { tokens: TokenInfo[] }) => data.tokens,
    guard,
    reloadKey,
  );

  return (
    <SettingsSection
      id="tokens"
      title={t("security.tokens.title")}
      description={t("security.tokens.description")}
    >
      {created ? (
        <CreatedToken token={created.token} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          locale={locale}
          onCreated={(token, info) => {
            setCreated({ token, name: info.name });
            update((tokens) => [info, ...tokens]);
          }}
        />
      )}
      <div className="mt-6 border-slate-200 border-t pt-5 dark:border-slate-800">
        {state.kind === "loading" && <SectionSkeleton rows={1} />}
        {state.kind === "error" && <Alert tone="error">{text(state.problem)}</Alert>}
        {state.kind === "ready" &&
          (state.items.length === 0 ? (
            <p className="text-slate-600 text-sm dark:text-slate-300">{t("security.tokens.empty")}</p>
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="tokens">
              {state.items.map((token) => (
                <TokenRow
                  key={token.id}
                  token={token}
                  locale={locale}
                  onRevoked={() => update((tokens) => tokens.filter((item) => item.id !== token.id))}
                />
              ))}
            </ul>
          ))}
      </div>
    </SettingsSection>
  );
}

const fields = ["name", "expiresInDays"] as const;

function CreateTokenForm({
  locale,
  onCreated,
}: {
  locale: Locale;
  onCreated: (token: string, info: TokenInfo) => void;
}) {
  const { t } = useTranslation();
  const text = useProblemText();
  const guard = useSessionGuard(locale);
  const form = useApiForm(fields);
  const [name, setName] = useState("");
  const [days, setDays] = useState<number>(90);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await form.send(validateTokenName(name), () =>
      apiRequest<{ token: string; tokenInfo: Omit<TokenInfo, "lastUsedAt"> }>("POST", "/api/auth/tokens", {
        body: { name: name.trim(), ...(days > 0 ? { expiresInDays: days } : {}) },
      }),
    );
    if (!result) return;
    if (result.ok) {
      setName("");
      onCreated(result.data.token, { lastUsedAt: null, ...result.data.tokenInfo });
    } else {
      guard(result.error);
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4">
      {form.formProblem && <Alert tone="error">{text(form.formProblem)}</Alert>}
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem] sm:items-start">
        <TextField
          id="token-name"
          ref={form.register("name")}
          label={t("security.tokens.name")}
          hint={t("security.tokens.nameHint")}
          name="token-name"
          autoComplete="off"
          maxLength={TOKEN_NAME_MAX_LENGTH}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            form.clearField("name");
          }}
          error={text(form.fieldProblems.name)}
        />
        <div>
          <label htmlFor="token-expiry" className={labelClass}>
            {t("security.tokens.expiry")}
          </label>
          <select
            id="token-expiry"
            ref={form.register("expiresInDays")}
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
            className={`mt-1.5 ${inputClass}`}
          >
            {expiryChoices.map((choice) => (
              <option key={choice} value={choice}>
                {choice === 0
                  ? t("security.tokens.expiryNever")
                  : t("security.tokens.expiryDays", { days: choice })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div>
        <Button type="submit" busy={form.sending} busyLabel={t("auth.sending")}>
          {t("security.tokens.create")}
        </Button>
      </div>
    </form>
  );
}

function CreatedToken({ token, onDone }: { token: string; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <ShownOnce
      testId="new-token"
      title={t("security.tokens.createdTitle")}
      warning={t("security.tokens.createdWarning")}
      secret={token}
      copyLabels={{
        label: t("security.tokens.copy"),
        copiedLabel: t("security.tokens.copied"),
        failedLabel: t("security.recoveryCodes.copyFailed"),
      }}
      doneLabel={t("security.tokens.done")}
      onDone={onDone}
    />
  );
}

function TokenRow({ token, locale, onRevoked }: { token: TokenInfo; locale: Locale; onRevoked: () => void }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const guard = useSessionGuard(locale);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const never = t("security.dateNever");
  const confirmButton = useRef<HTMLButtonElement>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);

  // The button pressed disappears: focus follows to the question's answer, and back on cancel.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (asked.current) revokeButton.current?.focus();
  }, [confirming]);

  async function revoke() {
    setBusy(true);
    setProblem(null);
    const result = await apiRequest("DELETE", `/api/auth/tokens/${encodeURIComponent(token.id)}`);
    setBusy(false);
    if (result.ok || result.error.status === 404) onRevoked();
    else if (!guard(result.error)) setProblem(problemForFailure(result.error));
  }

  return (
    <li className="grid gap-3 py-3 first:pt-0 last:pb-0">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium text-slate-900 dark:text-white">
            {token.name}{" "}
            <span className="font-mono font-normal text-slate-600 text-sm dark:text-slate-300">
              {token.displayPrefix}…
            </span>
          </p>
          <Facts>
            <Fact label={t("security.tokens.created")}>{formatDateTime(token.createdAt, locale)}</Fact>
            <Fact label={t("security.tokens.lastUsed")}>
              {formatDateTime(token.lastUsedAt, locale) || never}
            </Fact>
            <Fact label={t("security.tokens.expires")}>
              {formatDateTime(token.expiresAt, locale) || never}
            </Fact>
          </Facts>
        </div>
        {!confirming && (
          <Button
            variant="danger"
            aria-label={t("security.tokens.revokeLabel", { name: token.name })}
            ref={revokeButton}
            onClick={() => {
              asked.current = true;
              setConfirming(true);
            }}
          >
            {t("security.tokens.revoke")}
          </Button>
        )}
      </div>
      {confirming && (
        <div className="flex flex-wrap items-center gap-3 rounded-md bg-red-50 p-3 dark:bg-red-950">
          <p className="text-red-900 text-sm dark:text-red-100">
            {t("security.tokens.confirmRevoke", { name: token.name })}
          </p>
          <Button
            ref={confirmButton}
            variant="danger"
            busy={busy}
            busyLabel={t("auth.sending")}
            onClick={() => void revoke()}
          >
            {t("security.tokens.confirm")}
          </Button>
          <Button variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
            {t("security.tokens.cancel")}
          </Button>
        </div>
      )}
      {problem && <Alert tone="error">{text(problem)}</Alert>}
    </li>
  );
}
