import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { TextField } from "../../components/ui/text-field";
import { islandOf } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import { useApiForm, useHydrated, useProblemText } from "../auth/use-api-form";
import { checkEmail } from "../auth/validation";

const fields = ["email"] as const;

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
function ForgotPasswordForm({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const hydrated = useHydrated();
  const form = useApiForm(fields);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    const problem = checkEmail(email);
    const result = await form.send(problem ? { email: problem } : {}, () =>
      apiRequest<{ accepted: true }>("POST", "/api/auth/password/forgot", { body: { email } }),
    );
    if (result?.ok) setSentTo(email);
  }

  const signIn = (
    <p className="mt-6 text-slate-700 text-sm dark:text-slate-300">
      <a href={localizedPath(locale, "/signin/")} className={linkClass}>
        {t("accountEmail.backToSignin")}
      </a>
    </p>
  );

  if (sentTo !== null) {
    return (
      <>
        <Alert tone="success">{t("accountEmail.forgot.sent", { email: sentTo })}</Alert>
        {signIn}
      </>
    );
  }
  return (
    <>
      <form method="post" noValidate onSubmit={onSubmit} className="grid gap-5">
        {form.formProblem && <Alert tone="error">{text(form.formProblem)}</Alert>}
        <TextField
          id="forgot-email"
          ref={form.register("email")}
          label={t("auth.fields.email")}
          type="email"
          name="email"
          autoComplete="email"
          spellCheck={false}
          onChange={() => form.clearField("email")}
          error={text(form.fieldProblems.email)}
        />
        <Button type="submit" waiting={!hydrated} busy={form.sending} busyLabel={t("accountEmail.sending")}>
          {t("accountEmail.forgot.submit")}
        </Button>
      </form>
      {signIn}
    </>
  );
}

export default islandOf(ForgotPasswordForm);
