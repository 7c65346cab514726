import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { TextField } from "../../components/ui/text-field";
import { islandOf } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { problemsForFailure } from "../auth/problems";
import { useApiForm, useHydrated, useProblemText } from "../auth/use-api-form";
import { checkNewPassword } from "../auth/validation";
import { linkErrorKey, useLinkToken } from "./link-token";

const fields = ["password"] as const;

/** A new password for the account the mailed link belongs to; then back to sign in. */
function ResetPasswordForm({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const hydrated = useHydrated();
  const token = useLinkToken();
  const form = useApiForm(fields);
  const [linkError, setLinkError] = useState<ReturnType<typeof linkErrorKey> | null>(null);
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token) return;
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    const problem = checkNewPassword(password);
    setLinkError(null);
    const result = await form.send(
      problem ? { password: problem } : {},
      () => apiRequest("POST", "/api/auth/password/reset", { body: { token, password } }),
      {
        describeFailure: (failure: ApiFailure) => {
          // A refused link is this page's own message; a refused password goes to its field.
          if (failure.code.startsWith("TOKEN_")) {
            setLinkError(linkErrorKey(failure));
            return { fields: {}, form: null };
          }
          return problemsForFailure(failure, fields);
        },
      },
    );
    if (result?.ok) setDone(true);
  }

  const signInUrl = localizedPath(locale, "/signin/");
  const newLink = (
    <p className="mt-6 text-slate-700 text-sm dark:text-slate-300">
      <a href={localizedPath(locale, "/forgot-password/")} className={linkClass}>
        {t("accountEmail.newLink")}
      </a>
    </p>
  );

  if (done) {
    return (
      <>
        <Alert tone="success">{t("accountEmail.reset.done")}</Alert>
        <p className="mt-6">
          <a href={signInUrl} className={linkClass}>
            {t("accountEmail.reset.signin")}
          </a>
        </p>
      </>
    );
  }
  if (token === null) {
    return (
      <>
        <Alert tone="error">{t("accountEmail.reset.missing")}</Alert>
        {newLink}
      </>
    );
  }
  return (
    <>
      <form method="post" noValidate onSubmit={onSubmit} className="grid gap-5">
        {linkError && <Alert tone="error">{t(linkError)}</Alert>}
        {form.formProblem && <Alert tone="error">{text(form.formProblem)}</Alert>}
        <TextField
          id="reset-password"
          ref={form.register("password")}
          label={t("auth.fields.newPassword")}
          hint={t("auth.fields.passwordRules")}
          type="password"
          name="password"
          autoComplete="new-password"
          onChange={() => form.clearField("password")}
          error={text(form.fieldProblems.password)}
        />
        <Button
          type="submit"
          waiting={!hydrated || token === undefined}
          busy={form.sending}
          busyLabel={t("accountEmail.sending")}
        >
          {t("accountEmail.reset.submit")}
        </Button>
      </form>
      {linkError && newLink}
    </>
  );
}

export default islandOf(ResetPasswordForm);
