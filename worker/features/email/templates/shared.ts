import type { UserLocale } from "../../../../db/schema";

const verdictNames: Record<UserLocale, Record<string, string>> = {
  en: { ok: "ok", warning: "warning", rollback_recommended: "rollback recommended" },
  fr: { ok: "ok", warning: "avertissement", rollback_recommended: "retour arrière recommandé" },
  es: { ok: "ok", warning: "advertencia", rollback_recommended: "reversión recomendada" },
  de: { ok: "ok", warning: "Warnung", rollback_recommended: "Rollback empfohlen" },
};

/** `verdict_label`: the verdict's name in the reader's language (an unknown value as given). */
export function verdictLabel(verdict: string | undefined, locale: UserLocale, fallback: string): string {
  const value = verdict ?? fallback;
  return verdictNames[locale][value] ?? value;
}

/** The deployment's page when the mail names one, else the project's. */
export function deploymentOrProjectPath(values: Record<string, string>): { path: string } {
  if (values.deployment_id)
    return { path: `/deployments/view/?id=${encodeURIComponent(values.deployment_id)}` };
  if (values.project_id) return { path: `/projects/view/?id=${encodeURIComponent(values.project_id)}` };
  return { path: "/deployments/" };
}

export function projectPath(values: Record<string, string>): { path: string } {
  if (values.project_id) return { path: `/projects/view/?id=${encodeURIComponent(values.project_id)}` };
  return { path: "/projects/" };
}
