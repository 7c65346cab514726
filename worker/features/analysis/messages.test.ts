// Every code the analysis can emit has a message in all four locales, with the same placeholders.
import { describe, expect, it } from "vitest";
import { input, randomJudgeInput, seededRandom, WORKED_POST } from "./fixtures";
import { generateHints } from "./hints";
import { judges } from "./judge";
import {
  type AnalysisLocale,
  analysisMessages,
  formatMessage,
  lookupMessage,
  type MessageTree,
  placeholdersOf,
  renderLocalizedText,
} from "./messages";
import type { MetricMeans } from "./samples";
import { CLASSIC_THRESHOLDS } from "./thresholds";
import type { LocalizedText, Verdict } from "./types";

const LOCALES: AnalysisLocale[] = ["en", "fr", "es", "de"];

function leafPaths(tree: MessageTree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof child === "string" ? [path] : leafPaths(child, path);
  });
}

function textsOf(verdict: Verdict): LocalizedText[] {
  return [
    verdict.summary,
    ...verdict.details,
    ...verdict.dataQuality.issues,
    ...verdict.hints.flatMap((hint) => [hint.title, hint.diagnosis, ...hint.suggestedActions]),
  ];
}

/** What the judges emit over a broad sample, plus Path B rules that need a PRE baseline. */
function emittedTexts(): LocalizedText[] {
  const random = seededRandom(7);
  const verdicts = Array.from({ length: 3000 }, () => randomJudgeInput(random)).flatMap((judgeInput) =>
    Object.values(judges).map((judge) => judge.judge(judgeInput)),
  );
  verdicts.push(...Object.values(judges).map((judge) => judge.judge(input(WORKED_POST))));
  const means: MetricMeans = {
    latency_p95: 180,
    error_rate: 0.002,
    cpu_usage: 0.45,
    memory_usage: 0.66,
    requests_per_sec: 100,
  };
  const pathB = [{ error_rate: 0.05, requests_per_sec: 10 }, { requests_per_sec: 10 }].flatMap((post) =>
    generateHints({
      verdict: "rollback_recommended",
      preMeans: means,
      postMeans: { ...means, ...post },
      audit: null,
      dataQualityScore: 1,
      thresholds: CLASSIC_THRESHOLDS,
    }),
  );
  return [
    ...verdicts.flatMap(textsOf),
    ...pathB.flatMap((hint) => [hint.title, hint.diagnosis, ...hint.suggestedActions]),
  ];
}

describe("analysis messages", () => {
  const reference = leafPaths(analysisMessages.en).sort();

  it.each(LOCALES)("%s has exactly the codes of en.json, none empty", (locale) => {
    expect(leafPaths(analysisMessages[locale]).sort()).toEqual(reference);
    const empty = reference.filter((code) => !lookupMessage(locale, code)?.trim());
    expect(empty).toEqual([]);
  });

  it.each(LOCALES)("%s uses the placeholders of en.json", (locale) => {
    const mismatched = reference.filter(
      (code) =>
        placeholdersOf(lookupMessage(locale, code) ?? "").join() !==
        placeholdersOf(lookupMessage("en", code) ?? "").join(),
    );
    expect(mismatched).toEqual([]);
  });

  describe("what the judges emit", () => {
    const emitted = emittedTexts();

    it("has a message in every locale, with every placeholder filled", () => {
      const problems = new Set<string>();
      for (const text of emitted) {
        for (const locale of LOCALES) {
          const template = lookupMessage(locale, text.code);
          if (template === undefined) problems.add(`${locale}: no message for ${text.code}`);
          else if (/\{\w+\}/.test(formatMessage(template, text.params))) {
            problems.add(`${locale}: unfilled placeholder in ${text.code}`);
          }
        }
      }
      expect([...problems]).toEqual([]);
    });

    it("carries English text that is exactly en.json rendered with its params", () => {
      const drift = emitted.filter(
        (text) => formatMessage(lookupMessage("en", text.code) ?? "", text.params) !== text.text,
      );
      expect(drift).toEqual([]);
    });

    it("uses every message of the catalogue (no dead keys)", () => {
      const codes = new Set(emitted.map((text) => text.code));
      expect(reference.filter((code) => !codes.has(code))).toEqual([]);
    });
  });

  it("renders a verdict in each locale", () => {
    const verdict = judges.classic?.judge(input(WORKED_POST)) as Verdict;
    const errorLine = verdict.details[1] as LocalizedText;
    expect(renderLocalizedText(errorLine, "en")).toBe("error_rate unstable in 40% of samples (limit 5%)");
    expect(renderLocalizedText(errorLine, "fr")).toBe(
      "Taux d'erreur instable sur 40 % des échantillons (limite 5 %)",
    );
    expect(renderLocalizedText(errorLine, "es")).toBe(
      "Tasa de error inestable en el 40 % de las muestras (límite 5 %)",
    );
    expect(renderLocalizedText(errorLine, "de")).toBe(
      "Fehlerrate instabil in 40 % der Messungen (Grenze 5 %)",
    );
    expect(renderLocalizedText(verdict.summary, "fr")).toBe("Dépassements de seuils critiques détectés");
    expect(renderLocalizedText({ code: "unknown.code", params: {}, text: "Fallback" }, "de")).toBe(
      "Fallback",
    );
  });
});
