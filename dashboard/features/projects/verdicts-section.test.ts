// The settings tab's Verdicts section rendered on the server in each locale, from a project's
// stored settings.
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { IslandI18n } from "../../i18n/island-provider";
import { type Locale, locales } from "../../i18n/locales";
import { resources } from "../../i18n/resources";
import type { Project } from "../deployments/api-types";
import { createFormatters } from "../deployments/format";
import { PreviewResult, VerdictsSection } from "./verdicts-section";

/** Children are passed as createElement's third argument. */
type IslandI18nProps = ComponentProps<typeof IslandI18n>;

const project = {
  id: "00000000-0000-4000-8000-000000000000",
  name: "Checkout API",
  judge: "classic",
  judgeSettings: { sensitivity: "high", ignoredMetrics: ["cpu_usage"] },
  baselineIntervalMinutes: 30,
} as Project;

function render(locale: Locale) {
  const { common, deployments, projects } = resources[locale];
  return renderToStaticMarkup(
    createElement(
      IslandI18n,
      { locale, messages: { common, deployments, projects } } as IslandI18nProps,
      createElement(VerdictsSection, {
        locale,
        project,
        format: createFormatters(locale),
        onChange: () => {},
      }),
    ),
  );
}

/** The inputs that render checked, as `name=value` (checkboxes: their name). */
function checkedInputs(html: string): string[] {
  return [...html.matchAll(/<input[^>]*>/g)]
    .map(([tag]) => tag)
    .filter((tag) => /\schecked=""/.test(tag))
    .map((tag) => {
      const name = /name="([^"]+)"/.exec(tag)?.[1];
      const value = /value="([^"]+)"/.exec(tag)?.[1];
      return value ? `${name}=${value}` : `${name}`;
    });
}

describe("the Verdicts section", () => {
  it("explains both judges and starts from the project's settings", () => {
    const html = render("en");
    expect(html).toContain("Compares each metric with this service&#x27;s own baseline");
    expect(html).toContain("The fixed thresholds of earlier SeqPulse");
    expect(checkedInputs(html)).toEqual([
      "judge=classic",
      "sensitivity=high",
      "judge-latency_p95",
      "judge-error_rate",
      "judge-memory_usage",
      "judge-requests_per_sec",
      "baseline-interval=30",
    ]);
    expect(html).toContain("Judge CPU");
  });

  it.each(locales)("renders in %s without a missing string", (locale) => {
    const html = render(locale);
    expect(html).toContain(resources[locale].projects.settings.verdicts.title);
    expect(html).not.toMatch(/projects\.settings|common\./);
  });
});

describe("a settings preview's result", () => {
  const show = (
    locale: Locale,
    summary: { total: number; changed: number; byTransition: Record<string, number> },
  ) => {
    const { common, deployments, projects } = resources[locale];
    return renderToStaticMarkup(
      createElement(
        IslandI18n,
        { locale, messages: { common, deployments, projects } } as IslandI18nProps,
        createElement(PreviewResult, { summary }),
      ),
    );
  };

  it("says how many verdicts would change, and from what to what", () => {
    const html = show("en", {
      total: 20,
      changed: 4,
      byTransition: { "warning->ok": 3, "ok->rollback_recommended": 1 },
    });
    expect(html).toContain("Deployments replayed: 20. Verdicts that would change: 4.");
    expect(html).toMatch(/<li>Warning → OK: 3<\/li><li>OK → Rollback recommended: 1<\/li>/);
    expect(show("de", { total: 3, changed: 0, byTransition: {} })).toContain(
      "Kein Urteil würde sich ändern.",
    );
    expect(show("fr", { total: 0, changed: 0, byTransition: {} })).toContain("Aucun déploiement analysé");
  });
});
