import { type FormEvent, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { TextField } from "../../components/ui/text-field";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import type { LoginAnswer } from "./api";
import { loadCurrentUser } from "./current-user";
import { destinationAfterSignIn, stepUrl } from "./next-path";
import { OAuthButtons } from "./oauth-buttons";
import { problemForSignInError } from "./problems";
import { useApiForm, useHydrated, useProblemText, useSearchParam } from "./use-api-form";
import { validateSignIn } from "./validation";

export default function SignInIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <SignInForm locale={locale} />
    </IslandI18n>
  );
}

const fields = ["email", "password"] as const;

function SignInForm({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const hydrated = useHydrated();
  const next = useSearchParam("next");
  const error = useSearchParam("error");
  const form = useApiForm(fields);
  const { setFormProblem } = form;

  useEffect(() => {
    if (error === undefined) return;
    const problem = problemForSignInError(error);
    if (problem) {
      setFormProblem(problem);
      return;
    }
    // Already signed in (and not sent back here with an error): carry on to `next`.
    let active = true;
    void loadCurrentUser().then((state) => {
      if (active && state.kind === "signed-in") {
        window.location.replace(destinationAfterSignIn(next, state.user.locale, locale));
      }
    });
    return () => {
      active = false;
    };
  }, [error, next, locale, setFormProblem]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Read from the form, not from state: what was typed before hydration counts too.
    const data = new FormData(event.currentTarget);
    const email = String(data.get("email") ?? "");
    const password = String(data.get("password") ?? "");
    const result = await form.send(
      validateSignIn({ email, password }),
      () => apiRequest<LoginAnswer>("POST", "/api/auth/login", { body: { email: email.trim(), password } }),
      { keepBusy: true },
    );
    if (!result?.ok) return;
    const answer = result.data;
    window.location.assign(
      answer.twoFactorRequired
        ? stepUrl(locale, "/2fa/", next)
        : destinationAfterSignIn(next, answer.user.locale, locale),
    );
  }

  return (
    <>
      <form method="post" noValidate onSubmit={onSubmit} className="grid gap-5">
        {form.formProblem && <Alert tone="error">{text(form.formProblem)}</Alert>}
        <TextField
          id="signin-email"
          ref={form.register("email")}
          label={t("auth.fields.email")}
          type="email"
          name="email"
          autoComplete="username"
          spellCheck={false}
          onChange={() => form.clearField("email")}
          error={text(form.fieldProblems.email)}
        />
        <TextField
          id="signin-password"
          ref={form.register("password")}
          label={t("auth.fields.password")}
          type="password"
          name="password"
          autoComplete="current-password"
          onChange={() => form.clearField("password")}
          error={text(form.fieldProblems.password)}
        />
        <p className="-mt-2 text-sm">
          <a href={localizedPath(locale, "/forgot-password/")} className={linkClass}>
            {t("accountEmail.forgotLink")}
          </a>
        </p>
        <Button type="submit" waiting={!hydrated} busy={form.sending} busyLabel={t("auth.sending")}>
          {t("signin.submit")}
        </Button>
      </form>
      <p className="mt-6 text-slate-700 text-sm dark:text-slate-300">
        {t("signin.noAccount")}{" "}
        <a href={stepUrl(locale, "/signup/", next)} className={linkClass}>
          {t("signin.signupLink")}
        </a>
      </p>
      <OAuthButtons next={next} />
    </>
  );
}
