import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { type Locale, localizedPath } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import type { SessionInfo } from "../auth/api";
import { type Problem, problemForFailure } from "../auth/problems";
import { useProblemText } from "../auth/use-api-form";
import { describeUserAgent, formatDateTime, sortSessions } from "./format";
import { SectionSkeleton, SettingsSection } from "./settings-section";
import { useSessionGuard } from "./use-session-guard";

interface SessionsSectionProps {
  locale: Locale;
  /** Changes when something else on the page ended sessions (a password change). */
  reloadKey: number;
}

type State =
  | { kind: "loading" }
  | { kind: "ready"; sessions: SessionInfo[] }
  | { kind: "error"; problem: Problem };

export function SessionsSection({ locale, reloadKey }: SessionsSectionProps) {
  const { t } = useTranslation();
  const text = useProblemText();
  const guard = useSessionGuard(locale);
  const [state, setState] = useState<State>({ kind: "loading" });
  const [ending, setEnding] = useState<string | null>(null);
  const [actionProblem, setActionProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    const result = await apiRequest<{ sessions: SessionInfo[] }>("GET", "/api/auth/sessions");
    if (result.ok) setState({ kind: "ready", sessions: sortSessions(result.data.sessions) });
    else if (!guard(result.error)) setState({ kind: "error", problem: problemForFailure(result.error) });
  }, [guard]);

  useEffect(() => {
    void reloadKey;
    void load();
  }, [load, reloadKey]);

  async function end(session: SessionInfo) {
    setEnding(session.id);
    setActionProblem(null);
    const result = await apiRequest("DELETE", `/api/auth/sessions/${encodeURIComponent(session.id)}`);
    if (result.ok && session.current) {
      // This browser's own session: it is signed out now.
      window.location.assign(localizedPath(locale, "/signin/"));
      return;
    }
    setEnding(null);
    if (result.ok || result.error.status === 404) {
      setState((previous) =>
        previous.kind === "ready"
          ? { kind: "ready", sessions: previous.sessions.filter((item) => item.id !== session.id) }
          : previous,
      );
    } else if (!guard(result.error)) {
      setActionProblem(problemForFailure(result.error));
    }
  }

  const deviceName = (session: SessionInfo) => {
    const device = describeUserAgent(session.userAgent);
    return device
      ? t("security.sessions.device", { browser: device.browser, os: device.os })
      : t("security.sessions.unknownDevice");
  };

  return (
    <SettingsSection
      id="sessions"
      title={t("security.sessions.title")}
      description={t("security.sessions.description")}
    >
      {actionProblem && (
        <Alert tone="error" className="mb-4">
          {text(actionProblem)}
        </Alert>
      )}
      {state.kind === "loading" && <SectionSkeleton rows={2} />}
      {state.kind === "error" && <Alert tone="error">{text(state.problem)}</Alert>}
      {state.kind === "ready" && (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="sessions">
          {state.sessions.map((session) => {
            const name = deviceName(session);
            const lastSeen = formatDateTime(session.lastSeenAt, locale);
            return (
              <li
                key={session.id}
                className="flex flex-wrap items-center justify-between gap-3 py-3 first:pt-0 last:pb-0"
              >
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900 dark:text-white">
                    {name}
                    {session.current && (
                      <span className="rounded-full bg-sky-100 px-2 py-0.5 font-medium text-sky-900 text-xs dark:bg-sky-950 dark:text-sky-200">
                        {t("security.sessions.thisDevice")}
                      </span>
                    )}
                  </p>
                  <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-slate-600 text-sm dark:text-slate-300">
                    <div className="flex gap-1">
                      <dt>{t("security.sessions.created")}:</dt>
                      <dd>{formatDateTime(session.createdAt, locale)}</dd>
                    </div>
                    <div className="flex gap-1">
                      <dt>{t("security.sessions.lastSeen")}:</dt>
                      <dd>{lastSeen}</dd>
                    </div>
                    {session.ipAddress && (
                      <div className="flex gap-1">
                        <dt>{t("security.sessions.address")}:</dt>
                        <dd className="font-mono">{session.ipAddress}</dd>
                      </div>
                    )}
                  </dl>
                </div>
                <Button
                  variant="secondary"
                  busy={ending === session.id}
                  busyLabel={t("auth.sending")}
                  disabled={ending !== null}
                  aria-label={t("security.sessions.endLabel", { device: name, lastSeen })}
                  onClick={() => void end(session)}
                >
                  {t("security.sessions.end")}
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </SettingsSection>
  );
}
