// The verdict's companions rendered on the server, in each locale: the other judge's line, the
// early badge and the feedback panel, with the strings the deployment page passes to its island.
import { type ComponentProps, createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { IslandI18n } from "../../i18n/island-provider";
import { type Locale, locales } from "../../i18n/locales";
import { resources } from "../../i18n/resources";
import type { Verdict } from "./api-types";
import { createFormatters } from "./format";
import { EarlyVerdictBadge, ShadowVerdictLine, VerdictFeedbackPanel } from "./verdict-review";

/** Children are passed as createElement's third argument. */
type IslandI18nProps = ComponentProps<typeof IslandI18n>;

function render(locale: Locale, element: ReactElement): string {
  const { common, deployments } = resources[locale];
  return renderToStaticMarkup(
    createElement(IslandI18n, { locale, messages: { common, deployments } } as IslandI18nProps, element),
  );
}

const summary = { code: "x", params: {}, text: "x" };
const verdict: Verdict = {
  verdict: "ok",
  confidence: 0.9,
  summary,
  details: [],
  dataQuality: { score: 1, issues: [] },
  judge: "robust",
  shadow: { judge: "classic", judgeVersion: 1, verdict: "warning", confidence: 0.62, summary },
  early: true,
};

describe("the verdict's companions", () => {
  it("say what the classic judge would have said, with its confidence", () => {
    const html = render("en", createElement(ShadowVerdictLine, { verdict, format: createFormatters("en") }));
    expect(html).toContain("The classic judge would have said: Warning (confidence 62%)");
    const fr = render("fr", createElement(ShadowVerdictLine, { verdict, format: createFormatters("fr") }));
    expect(fr).toContain("Le juge classique aurait dit");
    expect(fr).toContain("62");
  });

  it("show nothing for a verdict without a shadow or not early (older verdicts, or an older API)", () => {
    const plain = { ...verdict, shadow: undefined, early: undefined };
    expect(
      render("en", createElement(ShadowVerdictLine, { verdict: plain, format: createFormatters("en") })),
    ).toBe("");
    expect(render("en", createElement(EarlyVerdictBadge, { verdict: plain }))).toBe("");
  });

  it.each(locales)("render in %s without a missing string", (locale) => {
    const format = createFormatters(locale);
    const html = [
      render(locale, createElement(ShadowVerdictLine, { verdict, format })),
      render(locale, createElement(EarlyVerdictBadge, { verdict })),
      render(
        locale,
        createElement(VerdictFeedbackPanel, {
          deployment: { id: "00000000-0000-4000-8000-000000000000", state: "analyzed", verdict },
          locale,
          format,
        }),
      ),
    ].join("");
    expect(html).toContain(resources[locale].deployments.feedback.question);
    expect(html).toContain(resources[locale].deployments.detail.early);
    // An untranslated key would show as its dotted path.
    expect(html).not.toMatch(/deployments\.|common\./);
  });

  it("ask about a verdict only once there is one", () => {
    const html = render(
      "en",
      createElement(VerdictFeedbackPanel, {
        deployment: { id: "00000000-0000-4000-8000-000000000000", state: "finished", verdict: null },
        locale: "en",
        format: createFormatters("en"),
      }),
    );
    expect(html).toBe("");
  });
});
