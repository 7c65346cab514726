import { describe, expect, it } from "vitest";
import { locales } from "../../i18n/locales";
import { getTranslator } from "../../i18n/server";
import type { Deployment, VerdictLevel } from "./api-types";
import { verdictDisplayOf } from "./badges";
import { verdictMeaningKey } from "./verdict-meaning";

function deployment(pipelineResult: Deployment["pipelineResult"], verdict: VerdictLevel | null) {
  return {
    state: verdict ? ("analyzed" as const) : ("finished" as const),
    pipelineResult,
    verdict: verdict
      ? {
          verdict,
          confidence: 0.82,
          summary: { code: "s", params: {}, text: "s" },
          details: [],
          dataQuality: { score: 1, issues: [] },
          judge: "classic",
        }
      : null,
  } as Pick<Deployment, "state" | "pipelineResult" | "verdict">;
}

describe("a verdict after a failed pipeline (issue 9)", () => {
  it("is not a green OK: healthy metrics then mean the previous version is probably still serving", () => {
    expect(verdictDisplayOf(deployment("failed", "ok"))).toBe("healthy_unchanged");
    expect(verdictDisplayOf(deployment("success", "ok"))).toBe("ok");
    expect(verdictDisplayOf(deployment("failed", "rollback_recommended"))).toBe("rollback_recommended");
    expect(verdictDisplayOf({ state: "cancelled", verdict: null })).toBe("cancelled");
  });

  it("says what the verdict means, in every locale", () => {
    expect(verdictMeaningKey(deployment("success", "ok"))).toBeNull();
    expect(verdictMeaningKey(deployment("failed", null))).toBeNull();
    const en = getTranslator("en");
    expect(en(verdictMeaningKey(deployment("failed", "ok")) ?? "deployments.title")).toBe(
      "Pipeline failed — the metrics after it look healthy (the previous version is probably still serving). This says nothing about the new version.",
    );
    expect(en("common.verdict.healthy_unchanged")).toBe("Metrics healthy");
    for (const locale of locales) {
      const t = getTranslator(locale);
      for (const verdict of ["ok", "warning", "rollback_recommended"] as const) {
        const key = verdictMeaningKey(deployment("failed", verdict));
        expect(key).not.toBeNull();
        const sentence = t(key ?? "deployments.title");
        expect(sentence).not.toBe(key);
        expect(sentence).toMatch(/Pipeline/);
      }
    }
    expect(getTranslator("fr")("deployments.verdictMeaning.pipelineFailedHealthy")).toMatch(
      /^Pipeline en échec — les métriques qui ont suivi sont saines/,
    );
  });

  it("labels a confidence figure wherever it is shown", () => {
    expect(getTranslator("en")("deployments.detail.confidence", { value: "82%" })).toBe("Confidence 82%");
    expect(getTranslator("fr")("deployments.detail.confidence", { value: "82 %" })).toBe("Confiance 82 %");
    expect(getTranslator("es")("deployments.detail.confidence", { value: "82 %" })).toBe("Confianza 82 %");
    expect(getTranslator("de")("deployments.detail.confidence", { value: "82 %" })).toBe("Konfidenz 82 %");
  });
});
