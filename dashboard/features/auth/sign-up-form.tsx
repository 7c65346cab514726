import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { TextField } from "../../components/ui/text-field";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import type { Locale } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import type { User } from "./api";
import { destinationAfterSignIn, stepUrl } from "./next-path";
import { useApiForm, useHydrated, useProblemText, useSearchParam } from "./use-api-form";
import { validateSignUp } from "./validation";

export default function SignUpIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <SignUpForm locale={locale} />
    </IslandI18n>
  );
}

const fields = ["email", "password", "name"] as const;

function SignUpForm({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const hydrated = useHydrated();
  const next = useSearchParam("next");
  const form = useApiForm(fields);
  const change = (field: (typeof fields)[number]) => () => form.clearField(field);
  // Set when the address already had an account: no session, its owner was mailed instead.
  const [checkEmailAt, setCheckEmailAt] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Read from the form, not from state: what was typed before hydration counts too.
    const data = new FormData(event.currentTarget);
    const values = {
      email: String(data.get("email") ?? ""),
      password: String(data.get("password") ?? ""),
      name: String(data.get("name") ?? ""),
    };
    const name = values.name.trim();
    const result = await form.send(
      validateSignUp(values),
      () =>
        apiRequest<{ user: User } | { checkEmail: true }>("POST", "/api/auth/signup", {
          body: { email: values.email.trim(), password: values.password, locale, ...(name ? { name } : {}) },
        }),
      { keepBusy: true },
    );
    if (!result?.ok) return;
    if ("user" in result.data) {
      window.location.assign(destinationAfterSignIn(next, result.data.user.locale, locale));
    } else {
      setCheckEmailAt(values.email.trim());
    }
  }

  if (checkEmailAt !== null) {
    return (
      <div role="status">
        <h2 className="font-semibold text-lg text-slate-900 dark:text-white">
          {t("accountEmail.checkEmailTitle")}
        </h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          {t("accountEmail.signupCheckEmail", { email: checkEmailAt })}
        </p>
      </div>
    );
  }

  return (
    <>
      <form method="post" noValidate onSubmit={onSubmit} className="grid gap-5">
        {form.formProblem && <Alert tone="error">{text(form.formProblem)}</Alert>}
        <TextField
          id="signup-email"
          ref={form.register("email")}
          label={t("auth.fields.email")}
          type="email"
          name="email"
          autoComplete="email"
          spellCheck={false}
          onChange={change("email")}
          error={text(form.fieldProblems.email)}
        />
        <TextField
          id="signup-password"
          ref={form.register("password")}
          label={t("auth.fields.password")}
          hint={t("auth.fields.passwordRules")}
          type="password"
          name="password"
          autoComplete="new-password"
          onChange={change("password")}
          error={text(form.fieldProblems.password)}
        />
        <TextField
          id="signup-name"
          ref={form.register("name")}
          label={t("auth.fields.name")}
          labelNote={t("auth.fields.optional")}
          type="text"
          name="name"
          autoComplete="name"
          onChange={change("name")}
          error={text(form.fieldProblems.name)}
        />
        <Button type="submit" waiting={!hydrated} busy={form.sending} busyLabel={t("auth.sending")}>
          {t("signup.submit")}
        </Button>
      </form>
      <p className="mt-6 text-slate-700 text-sm dark:text-slate-300">
        {t("signup.haveAccount")}{" "}
        <a href={stepUrl(locale, "/signin/", next)} className={linkClass}>
          {t("signup.signinLink")}
        </a>
      </p>
    </>
  );
}
