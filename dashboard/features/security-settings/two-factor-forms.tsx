// The two-factor section's forms: starting the setup, confirming it with a first code, replacing
// the recovery codes and turning two-factor off. Each reports to the section what it achieved.
import { type ChangeEvent, type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { TextField } from "../../components/ui/text-field";
import { apiRequest } from "../../lib/api-client";
import type { TwoFactorSetup } from "../auth/api";
import { CodeField } from "../auth/code-field";
import { type Problem, problemForFailure } from "../auth/problems";
import { useApiForm, useProblemText } from "../auth/use-api-form";
import { checkRequired, checkTotpCode, checkTotpOrRecoveryCode, normalizeTotpCode } from "../auth/validation";
import { codeFormProblems } from "./failures";
import { svgDataUri } from "./format";
import type { useSessionGuard } from "./use-session-guard";

export type Guard = ReturnType<typeof useSessionGuard>;

export function StartSetupButton({
  onSetup,
  guard,
}: {
  onSetup: (setup: TwoFactorSetup) => void;
  guard: Guard;
}) {
  const { t } = useTranslation();
  const text = useProblemText();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  return (
    <div className="grid justify-items-start gap-3">
      {problem && <Alert tone="error">{text(problem)}</Alert>}
      <Button
        busy={busy}
        busyLabel={t("auth.sending")}
        onClick={async () => {
          setBusy(true);
          setProblem(null);
          const result = await apiRequest<TwoFactorSetup>("POST", "/api/auth/2fa/setup");
          setBusy(false);
          if (result.ok) onSetup(result.data);
          else if (!guard(result.error)) setProblem(problemForFailure(result.error));
        }}
      >
        {t("security.twoFactor.start")}
      </Button>
    </div>
  );
}

const codeFields = ["code"] as const;

function FormHeading({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <div>
      <h3 id={id} className="font-medium text-slate-900 dark:text-white">
        {title}
      </h3>
      <p className="mt-1 text-slate-600 text-sm dark:text-slate-300">{children}</p>
    </div>
  );
}

type CodeForm = Pick<ReturnType<typeof useApiForm<"code">>, "register" | "clearField" | "fieldProblems">;

/** The code typed into a form's `code` field, and the field's props: typing clears its problem. */
function useCodeInput(form: CodeForm) {
  const text = useProblemText();
  const [code, setCode] = useState("");
  const props = {
    ref: form.register("code"),
    value: code,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      setCode(event.target.value);
      form.clearField("code");
    },
    error: text(form.fieldProblems.code),
  };
  return [code, props] as const;
}

interface SetupPanelProps {
  setup: TwoFactorSetup;
  guard: Guard;
  onCancel: () => void;
  onEnabled: (codes: string[]) => void;
}

export function SetupPanel({ setup, guard, onCancel, onEnabled }: SetupPanelProps) {
  const { t } = useTranslation();

  return (
    <div className="grid gap-6 md:grid-cols-[auto_minmax(0,1fr)]">
      <div>
        <h3 className="font-medium text-slate-900 text-sm dark:text-white">
          {t("security.twoFactor.scanTitle")}
        </h3>
        {/* White behind the code in both themes: scanners need the contrast. */}
        <img
          src={svgDataUri(setup.qrSvg)}
          alt={t("security.twoFactor.qrAlt")}
          width={192}
          height={192}
          className="mt-3 size-48 rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-700"
        />
      </div>
      <div className="grid content-start gap-5">
        <div>
          <p className="text-slate-700 text-sm dark:text-slate-300">{t("security.twoFactor.secretIntro")}</p>
          <code
            data-testid="totp-secret"
            className="mt-2 block break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-slate-900 text-sm dark:bg-slate-800 dark:text-slate-100"
          >
            {setup.secret}
          </code>
          <a href={setup.otpauthUri} className={`${linkClass} mt-2 inline-block text-sm`}>
            {t("security.twoFactor.openApp")}
          </a>
        </div>
        <RecoveryCodesForm
          path="/api/auth/2fa/enable"
          codeId="two-factor-enable-code"
          guard={guard}
          onCodes={onEnabled}
          heading={
            <h3 className="font-medium text-slate-900 text-sm dark:text-white">
              {t("security.twoFactor.confirmTitle")}
            </h3>
          }
          actions={(sending) => (
            <div className="flex flex-wrap gap-3">
              <Button type="submit" busy={sending} busyLabel={t("auth.sending")}>
                {t("security.twoFactor.enable")}
              </Button>
              <Button variant="secondary" onClick={onCancel} disabled={sending}>
                {t("security.twoFactor.cancel")}
              </Button>
            </div>
          )}
        />
      </div>
    </div>
  );
}

export function RegenerateCodesForm({
  onCodes,
  guard,
}: {
  onCodes: (codes: string[]) => void;
  guard: Guard;
}) {
  const { t } = useTranslation();
  return (
    <RecoveryCodesForm
      path="/api/auth/2fa/recovery-codes"
      codeId="regenerate-code"
      guard={guard}
      onCodes={onCodes}
      labelledBy="regenerate-title"
      heading={
        <FormHeading id="regenerate-title" title={t("security.twoFactor.regenerateTitle")}>
          {t("security.twoFactor.regenerateDescription")}
        </FormHeading>
      }
      actions={(sending) => (
        <div>
          <Button type="submit" variant="secondary" busy={sending} busyLabel={t("auth.sending")}>
            {t("security.twoFactor.regenerate")}
          </Button>
        </div>
      )}
    />
  );
}

interface RecoveryCodesFormProps {
  /** Takes `{ code }` and answers `{ recoveryCodes }`: enabling, or replacing the codes. */
  path: string;
  codeId: string;
  guard: Guard;
  onCodes: (codes: string[]) => void;
  heading: ReactNode;
  labelledBy?: string;
  actions: (sending: boolean) => ReactNode;
}

/** An authenticator code sent for a fresh set of recovery codes. */
function RecoveryCodesForm({
  path,
  codeId,
  guard,
  onCodes,
  heading,
  labelledBy,
  actions,
}: RecoveryCodesFormProps) {
  const text = useProblemText();
  const form = useApiForm(codeFields);
  const [code, codeInput] = useCodeInput(form);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkTotpCode(code);
    const result = await form.send(
      problem ? { code: problem } : {},
      () =>
        apiRequest<{ recoveryCodes: string[] }>("POST", path, {
          body: { code: normalizeTotpCode(code) },
        }),
      { describeFailure: (failure) => codeFormProblems(failure, codeFields) },
    );
    if (!result) return;
    if (result.ok) onCodes(result.data.recoveryCodes);
    else guard(result.error);
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby={labelledBy} className="grid gap-4">
      {heading}
      {form.formProblem && <Alert tone="error">{text(form.formProblem)}</Alert>}
      <CodeField kind="totp" id={codeId} {...codeInput} inputClassName="max-w-40" />
      {actions(form.sending)}
    </form>
  );
}

const disableFields = ["password", "code"] as const;

interface DisableFormProps {
  needsPassword: boolean;
  guard: Guard;
  onDisabled: () => void;
}

export function DisableForm({ needsPassword, guard, onDisabled }: DisableFormProps) {
  const { t } = useTranslation();
  const text = useProblemText();
  const form = useApiForm(disableFields);
  const [password, setPassword] = useState("");
  const [code, codeInput] = useCodeInput(form);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const passwordProblem = needsPassword ? checkRequired(password) : undefined;
    const codeProblem = checkTotpOrRecoveryCode(code);
    const result = await form.send(
      {
        ...(passwordProblem ? { password: passwordProblem } : {}),
        ...(codeProblem ? { code: codeProblem } : {}),
      },
      () =>
        apiRequest("POST", "/api/auth/2fa/disable", {
          body: { ...(needsPassword ? { password } : {}), code: code.trim() },
        }),
      { describeFailure: (failure) => codeFormProblems(failure, disableFields) },
    );
    if (!result) return;
    if (result.ok) onDisabled();
    else guard(result.error);
  }

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      aria-labelledby="disable-title"
      className="grid gap-4 border-slate-200 border-t pt-6 dark:border-slate-800"
    >
      <FormHeading id="disable-title" title={t("security.twoFactor.disableTitle")}>
        {t("security.twoFactor.disableDescription")}
      </FormHeading>
      {form.formProblem && <Alert tone="error">{text(form.formProblem)}</Alert>}
      {needsPassword && (
        <TextField
          id="disable-password"
          ref={form.register("password")}
          label={t("auth.fields.password")}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            form.clearField("password");
          }}
          error={text(form.fieldProblems.password)}
          inputClassName="max-w-sm"
        />
      )}
      <CodeField kind="totpOrRecovery" id="disable-code" {...codeInput} inputClassName="max-w-56" />
      <div>
        <Button type="submit" variant="danger" busy={form.sending} busyLabel={t("auth.sending")}>
          {t("security.twoFactor.disable")}
        </Button>
      </div>
    </form>
  );
}
