import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { buttonClass } from "../../components/ui/button";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import { type CurrentUserState, loadCurrentUser } from "./current-user";
import { signInUrl } from "./next-path";

interface AccountMenuIslandProps extends IslandProps {
  /** The page's locale-neutral path: the sign-in steps need no "Sign in" link in the header. */
  path: string;
}

const signInSteps = new Set(["/signin/", "/signup/", "/2fa/"]);

/** The header's corner: "Sign in" for visitors, the user's name and "Sign out" once signed in. */
export default function AccountMenuIsland({ locale, messages, path }: AccountMenuIslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <AccountMenu locale={locale} path={path} />
    </IslandI18n>
  );
}

/** Signs out this browser, then opens the sign-in page. A 401 means it already was. */
export async function signOut(locale: Locale): Promise<boolean> {
  const result = await apiRequest("POST", "/api/auth/logout");
  if (!result.ok && result.error.status !== 401) return false;
  window.location.assign(localizedPath(locale, "/signin/"));
  return true;
}

const smallButton = "px-3 py-1.5";

function AccountMenu({ locale, path }: { locale: Locale; path: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<CurrentUserState>({ kind: "loading" });
  const [signingOut, setSigningOut] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let active = true;
    void loadCurrentUser().then((answer) => {
      if (active) setState(answer);
    });
    return () => {
      active = false;
    };
  }, []);

  // The area keeps one size in every state (the name is truncated), so nothing in the header
  // moves when the answer arrives.
  const area = "flex h-9 w-48 items-center justify-end gap-2 text-sm sm:w-60";

  if (state.kind === "loading" || state.kind === "error") return <div className={area} />;

  if (state.kind === "signed-out") {
    if (signInSteps.has(path)) return <div className={area} />;
    // Back to this page afterwards (the overview is where sign-in goes anyway).
    const here = path === "/" ? null : localizedPath(locale, path);
    return (
      <div className={area}>
        <a href={signInUrl(locale, here)} className={`${buttonClass.secondary} ${smallButton}`}>
          {t("accountMenu.signIn")}
        </a>
      </div>
    );
  }

  const displayName = state.user.name || state.user.email;
  return (
    <div className={area}>
      <a
        href={localizedPath(locale, "/settings/security/")}
        aria-label={t("accountMenu.settings", { name: displayName })}
        className="min-w-0 truncate rounded-md px-1 font-medium text-slate-800 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600 focus-visible:outline-offset-2 dark:text-slate-100 dark:focus-visible:outline-sky-400"
        data-testid="account-name"
      >
        {displayName}
      </a>
      <button
        type="button"
        disabled={signingOut}
        aria-describedby={failed ? "sign-out-failed" : undefined}
        onClick={async () => {
          setSigningOut(true);
          setFailed(false);
          if (!(await signOut(locale))) {
            setSigningOut(false);
            setFailed(true);
          }
        }}
        className={`${buttonClass.secondary} ${smallButton} shrink-0`}
      >
        {t("accountMenu.signOut")}
      </button>
      {failed && (
        <span id="sign-out-failed" role="alert" className="sr-only">
          {t("accountMenu.signOutFailed")}
        </span>
      )}
    </div>
  );
}
