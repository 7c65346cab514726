import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/text-field";
import type { Locale } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import { useApiForm, useProblemText } from "../auth/use-api-form";
import { validatePasswordChange } from "../auth/validation";
import { SettingsSection } from "./settings-section";
import { useSessionGuard } from "./use-session-guard";

interface PasswordSectionProps {
  locale: Locale;
  /** False for accounts made with GitHub or Google: they set a first password, no current one. */
  hasPassword: boolean;
  /** Tells password managers which account the new password belongs to. */
  email: string;
  onChanged: () => void;
}

const fields = ["currentPassword", "newPassword"] as const;

export function PasswordSection({ locale, hasPassword, email, onChanged }: PasswordSectionProps) {
  const { t } = useTranslation();
  const text = useProblemText();
  const guard = useSessionGuard(locale);
  const form = useApiForm(fields);
  const [values, setValues] = useState({ currentPassword: "", newPassword: "" });
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    const result = await form.send(validatePasswordChange({ ...values, needsCurrent: hasPassword }), () =>
      apiRequest("POST", "/api/auth/password", {
        body: {
          ...(hasPassword ? { currentPassword: values.currentPassword } : {}),
          newPassword: values.newPassword,
        },
      }),
    );
    if (!result) return;
    if (result.ok) {
      setValues({ currentPassword: "", newPassword: "" });
      setDone(true);
      onChanged();
    } else {
      guard(result.error);
    }
  }

  const change = (field: (typeof fields)[number]) => (event: { target: { value: string } }) => {
    setValues((previous) => ({ ...previous, [field]: event.target.value }));
    form.clearField(field);
  };

  return (
    <SettingsSection
      id="password"
      title={t("security.password.title")}
      description={hasPassword ? t("security.password.description") : t("security.password.setDescription")}
    >
      <form noValidate onSubmit={onSubmit} className="grid max-w-md gap-5">
        {/* The server revokes every personal API token with the password: scripts break, say so first. */}
        <p id="password-tokens-note" className="text-slate-600 text-sm dark:text-slate-300">
          {t("security.password.tokensRevoked")}
        </p>
        {done && <Alert tone="success">{t("security.password.changed")}</Alert>}
        {form.formProblem && <Alert tone="error">{text(form.formProblem)}</Alert>}
        {/* Password managers pair the new password with this account. */}
        <input type="hidden" name="username" autoComplete="username" value={email} />
        {hasPassword && (
          <TextField
            id="current-password"
            ref={form.register("currentPassword")}
            label={t("auth.fields.currentPassword")}
            type="password"
            autoComplete="current-password"
            value={values.currentPassword}
            onChange={change("currentPassword")}
            error={text(form.fieldProblems.currentPassword)}
          />
        )}
        <TextField
          id="new-password"
          ref={form.register("newPassword")}
          label={t("auth.fields.newPassword")}
          hint={t("auth.fields.passwordRules")}
          type="password"
          autoComplete="new-password"
          value={values.newPassword}
          onChange={change("newPassword")}
          error={text(form.fieldProblems.newPassword)}
        />
        <div>
          <Button type="submit" busy={form.sending} busyLabel={t("auth.sending")}>
            {hasPassword ? t("security.password.submit") : t("security.password.submitSet")}
          </Button>
        </div>
      </form>
    </SettingsSection>
  );
}
