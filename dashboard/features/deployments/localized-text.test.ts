import { describe, expect, it } from "vitest";
import { localized, renderLocalizedText as workerRender } from "../../../worker/features/analysis/messages";
import de from "../../../worker/features/analysis/messages/de.json";
import en from "../../../worker/features/analysis/messages/en.json";
import es from "../../../worker/features/analysis/messages/es.json";
import fr from "../../../worker/features/analysis/messages/fr.json";
import { loadAnalysisMessages, type MessageTree, renderLocalizedText } from "./localized-text";

const trees = { en, fr, es, de } as Record<string, MessageTree>;

function leafCodes(tree: MessageTree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : leafCodes(value, `${prefix}${key}.`),
  );
}

describe("renderLocalizedText", () => {
  it("renders a code with its params in the page's locale", () => {
    const text = {
      code: "analysis.verdict.details.metricUnstable.latencyP95",
      params: { ratio: 40, limit: 20 },
      text: "latency_p95 unstable in 40% of samples (limit 20%)",
    };
    expect(renderLocalizedText(text, trees.en!)).toBe(text.text);
    const french = renderLocalizedText(text, trees.fr!);
    expect(french).toContain("40");
    expect(french).toContain("20");
    expect(french).not.toBe(text.text);
  });

  it("falls back to the English text for an unknown code, or a code that names a branch", () => {
    expect(renderLocalizedText({ code: "analysis.nope", params: {}, text: "Fallback" }, trees.de!)).toBe(
      "Fallback",
    );
    expect(renderLocalizedText({ code: "analysis.verdict", params: {}, text: "Branch" }, trees.de!)).toBe(
      "Branch",
    );
    expect(renderLocalizedText({ code: "toString", params: {}, text: "Proto" }, trees.de!)).toBe("Proto");
    expect(renderLocalizedText(null, trees.de!)).toBe("");
  });

  it("leaves a placeholder without a param visible rather than inventing a value", () => {
    const text = { code: "analysis.verdict.details.dataQualityScore", params: {}, text: "x" };
    expect(renderLocalizedText(text, trees.en!)).toBe("data_quality_score {score}");
  });

  it("agrees with the analysis' own renderer for every code of every locale", () => {
    for (const [locale, tree] of Object.entries(trees)) {
      for (const code of leafCodes(trees.en!)) {
        const params = { ratio: 12, limit: 20, score: 0.8, count: 3, required: 5, ageSeconds: 61 };
        // biome-ignore lint/suspicious/noExplicitAny: every leaf of en.json is a valid code
        const text = localized(code as any, params);
        expect(renderLocalizedText(text, tree)).toBe(workerRender(text, locale as "en"));
      }
    }
  });
});

describe("loadAnalysisMessages", () => {
  it("loads only the asked locale", async () => {
    const german = await loadAnalysisMessages("de");
    expect(german).toEqual(de);
  });
});
