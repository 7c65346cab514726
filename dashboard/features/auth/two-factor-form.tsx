import { type FormEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import type { Locale } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import type { User } from "./api";
import { CodeField } from "./code-field";
import { destinationAfterSignIn, signInUrl } from "./next-path";
import { challengeOutcome } from "./problems";
import { useApiForm, useHydrated, useProblemText, useSearchParam } from "./use-api-form";
import { checkRequired, checkTotpCode, normalizeRecoveryCode, normalizeTotpCode } from "./validation";

export default function TwoFactorIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <TwoFactorForm locale={locale} />
    </IslandI18n>
  );
}

type Method = "app" | "recovery";

const fields = ["code"] as const;

const noProblems = { form: null, fields: {} };

function TwoFactorForm({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const hydrated = useHydrated();
  const next = useSearchParam("next");
  const form = useApiForm(fields);
  const [method, setMethod] = useState<Method>("app");
  // After a switch, the new field takes the focus the switch button had.
  const switched = useRef(false);
  const registerCode = form.register("code");
  const codeRef = (element: HTMLInputElement | null) => {
    registerCode(element);
    if (element && switched.current) {
      switched.current = false;
      element.focus();
    }
  };

  function switchMethod() {
    switched.current = true;
    setMethod((current) => (current === "app" ? "recovery" : "app"));
    form.reset();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const app = method === "app";
    // Read from the form, not from state: what was typed before hydration counts too.
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    const problem = app ? checkTotpCode(code) : checkRequired(code, 64);
    const value = app ? normalizeTotpCode(code) : normalizeRecoveryCode(code);
    const result = await form.send(
      problem ? { code: problem } : {},
      () =>
        apiRequest<{ user: User }>("POST", app ? "/api/auth/2fa/verify" : "/api/auth/2fa/recovery", {
          body: { code: value },
        }),
      {
        keepBusy: true,
        describeFailure: (failure) => {
          const outcome = challengeOutcome(failure);
          return outcome.kind === "retry" ? outcome.problems : noProblems;
        },
      },
    );
    if (!result) return;
    if (result.ok) {
      window.location.assign(destinationAfterSignIn(next, result.data.user.locale, locale));
    } else if (challengeOutcome(result.error).kind === "restart") {
      window.location.assign(signInUrl(locale, next, "TWO_FACTOR_EXPIRED"));
    }
  }

  const onChange = () => form.clearField("code");

  return (
    <>
      <p className="text-slate-700 dark:text-slate-300">
        {method === "app" ? t("twoFactorChallenge.leadApp") : t("twoFactorChallenge.leadRecovery")}
      </p>
      <form method="post" noValidate onSubmit={onSubmit} className="mt-6 grid gap-5">
        {form.formProblem && <Alert tone="error">{text(form.formProblem)}</Alert>}
        <CodeField
          key={method}
          kind={method === "app" ? "totp" : "recovery"}
          id={method === "app" ? "two-factor-code" : "two-factor-recovery-code"}
          ref={codeRef}
          onChange={onChange}
          error={text(form.fieldProblems.code)}
        />
        <Button type="submit" waiting={!hydrated} busy={form.sending} busyLabel={t("auth.sending")}>
          {t("twoFactorChallenge.submit")}
        </Button>
      </form>
      <div className="mt-6 flex flex-wrap justify-between gap-3 text-sm">
        <button type="button" onClick={switchMethod} className={linkClass}>
          {method === "app" ? t("twoFactorChallenge.useRecovery") : t("twoFactorChallenge.useApp")}
        </button>
        <a href={signInUrl(locale, next)} className={linkClass}>
          {t("twoFactorChallenge.backToSignin")}
        </a>
      </div>
    </>
  );
}
