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
    const text = localized("analysis.verdict.details.metricUnstable.errorRate", {
      ratio: 40,
      limit: 5,
      line: 0.9,
      count: 2,
      total: 5,
      before: 0.2,
      after: 0.78,
      drop: 20,
    });
    expect(renderLocalizedText(text, trees.en!, "en")).toBe(
      "Errors were above 0.9% of requests in 2 of 5 minutes after the deploy (40%; more than 5% fails); before: 0.2%, after: 0.78% on average",
    );
    const french = renderLocalizedText(text, trees.fr!, "fr");
    expect(french).toContain("0,9 % des requêtes pendant 2 minutes sur 5");
    expect(french).toContain("après : 0,78 %");
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

  it("keeps the stored text when the params cannot fill the template (a verdict stored earlier)", () => {
    const text = { code: "analysis.verdict.details.dataQualityScore", params: { score: "1.00" }, text: "x" };
    expect(renderLocalizedText(text, trees.en!)).toBe("x");
  });

  it("agrees with the analysis' own renderer for every code of every locale", () => {
    for (const [locale, tree] of Object.entries(trees)) {
      for (const code of leafCodes(trees.en!)) {
        const params = {
          ratio: 12,
          limit: 20,
          score: 0.8,
          percent: 80,
          count: 3,
          required: 5,
          ageSeconds: 61,
          line: 270,
          total: 5,
          before: 180,
          after: 310,
          value: 310,
          drop: 20,
          errorRate: 2,
          errorRateLine: 1,
          errorRateCount: 3,
          latency: 400,
          latencyLine: 300,
          cpu: 90,
          cpuLine: 80,
          traffic: 40,
          trafficLine: 96,
          trafficCount: 3,
        };
        // biome-ignore lint/suspicious/noExplicitAny: every leaf of en.json is a valid code
        const text = localized(code as any, params);
        expect(renderLocalizedText(text, tree, locale)).toBe(workerRender(text, locale as "en"));
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
