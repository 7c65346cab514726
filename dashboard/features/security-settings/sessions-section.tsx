import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { localizedPath } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import type { SessionInfo } from "../auth/api";
import { type Problem, problemForFailure } from "../auth/problems";
import { useProblemText } from "../auth/use-api-form";
import { Fact, Facts } from "./facts";
import { describeUserAgent, formatDateTime, sortSessions } from "./format";
import { SectionSkeleton, SettingsSection } from "./settings-section";
import { type ListSectionProps, useSectionList } from "./use-section-list";
import { useSessionGuard } from "./use-session-guard";

export function SessionsSection({ locale, reloadKey }: ListSectionProps) {
  const { t } = useTranslation();
  const text = useProblemText();
  const guard = useSessionGuard(locale);
  const { state, update } = useSectionList(
    "/api/auth/sessions",
    (data: { sessions: SessionInfo[] }) => sortSessions(data.sessions),
    guard,
    reloadKey,
  );
  const [ending, setEnding] = useState<string | null>(null);
  const [actionProblem, setActionProblem] = useState<Problem | null>(null);

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
      update((sessions) => sessions.filter((item) => item.id !== session.id));
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
          {state.items.map((session) => {
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
                  <Facts>
                    <Fact label={t("security.sessions.created")}>
                      {formatDateTime(session.createdAt, locale)}
                    </Fact>
                    <Fact label={t("security.sessions.lastSeen")}>{lastSeen}</Fact>
                    {session.ipAddress && (
                      <Fact label={t("security.sessions.address")} className="font-mono">
                        {session.ipAddress}
                      </Fact>
                    )}
                  </Facts>
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
