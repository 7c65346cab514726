import { isHttpUrl } from "../../../worker/lib/http-url";
import { type Locale, localizedPath } from "../../i18n/locales";

export function deploymentHref(locale: Locale, id: string): string {
  return `${localizedPath(locale, "/deployments/view/")}?id=${encodeURIComponent(id)}`;
}

export function projectHref(
  locale: Locale,
  id: string,
  tab?: "overview" | "integration" | "settings",
): string {
  const query = new URLSearchParams({ id });
  if (tab && tab !== "overview") query.set("tab", tab);
  return `${localizedPath(locale, "/projects/view/")}?${query.toString()}`;
}

export function deploymentsHref(locale: Locale, search = ""): string {
  return `${localizedPath(locale, "/deployments/")}${search}`;
}

/**
 * A URL the pipeline sent (commit, CI run), if it may become a link: http(s) only, whatever the
 * API says, so a stored `javascript:` URL stays text.
 */
export function externalHref(url: string | null | undefined): string | null {
  return url && isHttpUrl(url) ? url : null;
}

/** The short form of a commit: what people paste into search and recognise in a table. */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : "";
}
