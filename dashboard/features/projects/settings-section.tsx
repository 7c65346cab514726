// Shared by the settings tab's sections. Each section calls useAction for itself: its busy state
// and failure are its own, so a failure shows beside the action that caused it.
import { type ReactNode, useState } from "react";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import type { Project } from "../deployments/api-types";
import type { Formatters } from "../deployments/format";
import { cardClass } from "../deployments/page-states";
import { isSignedOut, redirectToSignIn } from "../session/session";

export interface TabProps {
  locale: Locale;
  project: Project;
  format: Formatters;
  onChange: (project: Project) => void;
}

export function Section({
  id,
  title,
  lead,
  children,
}: {
  id: string;
  title: string;
  lead?: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={`${cardClass} p-5 sm:p-6`}>
      <h2 id={id} className="font-semibold text-lg text-slate-900 dark:text-white">
        {title}
      </h2>
      {lead && <p className="mt-1 max-w-3xl text-slate-700 text-sm dark:text-slate-300">{lead}</p>}
      <div className="mt-4">{children}</div>
    </section>
  );
}

/** Sends a request; 401 goes to sign in, other failures come back for the section to show. */
export function useAction(locale: Locale) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ action: string; failure: ApiFailure } | null>(null);
  const run = async <T,>(
    action: string,
    method: "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<{ data: T } | null> => {
    setBusy(action);
    setFailure(null);
    const result = await apiRequest<T>(method, path, { body });
    setBusy(null);
    if (result.ok) return { data: result.data };
    if (isSignedOut(result.error)) redirectToSignIn(locale);
    else setFailure({ action, failure: result.error });
    return null;
  };
  return { busy, failure, setFailure, run };
}
