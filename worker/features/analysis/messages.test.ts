// Every code the analysis can emit has a message in all four locales, with the same placeholders.
import { describe, expect, it } from "vitest";
import { healthyPost, input, randomJudgeInput, seededRandom, WORKED_POST } from "./fixtures";
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

  describe("reads as an engineer would write it (issue 9)", () => {
    const emitted = emittedTexts();
    const rendered = LOCALES.flatMap((locale) =>
      [...new Set(emitted.map((text) => renderLocalizedText(text, locale)))].map((sentence) => ({
        locale,
        sentence,
      })),
    );

    it("shows no internal identifier and no internal jargon, in any locale", () => {
      const snakeCase = /\b[a-z0-9]+_[a-z0-9_]+\b/i;
      const jargon =
        /secured|sequence|sécuris|séquence|asegurad|secuencia|abgesichert|Sequenz|Messreihe|\bPRE\b|\bPOST\b/i;
      const offending = rendered.filter(({ sentence }) => snakeCase.test(sentence) || jargon.test(sentence));
      expect(offending).toEqual([]);
    });

    it("gives every number its unit (ms, %, s, req/s, minutes) or says what it counts", () => {
      // "2 of 5 minutes", "2 minutes sur 5", "4 of the 5 samples": a count out of a total.
      const counts =
        /\d+ (?:minutes sur|of the|of|sur|des|de las|de|von|der) \d+(?: (?:minutes|minutos|Minuten|samples|échantillons|muestras|nötigen Messungen))?/g;
      const number = /(?<![\p{L}\d.,+])\d+(?:[.,]\d+)?(?![\p{L}\d])/gu;
      const unit = /^\s?(?:ms\b|%|s\b|req\/s|minutes?\b|minutos?\b|Minuten?\b|gap|trou|hueco|Lücke)/u;
      const bare = rendered.flatMap(({ locale, sentence }) => {
        const stripped = sentence.replace(counts, "");
        return [...stripped.matchAll(number)]
          .filter((match) => !unit.test(stripped.slice((match.index ?? 0) + match[0].length)))
          .map((match) => `${locale}: ${match[0]} in "${sentence}"`);
      });
      expect([...new Set(bare)]).toEqual([]);
    });

    it("says the issue-9 example plainly: p95 above 270 ms in 15 of 15 minutes; before: 180 ms", () => {
      const post = healthyPost(15, () => ({ latencyP95: 400 }));
      const verdict = judges.classic?.judge(input(post, { minutes: 15 })) as Verdict;
      expect(verdict.hints[0]?.diagnosis.text).toBe(
        "p95 stayed above 270 ms in 15 of 15 minutes after the deploy; before: 180 ms, after: 400 ms on average.",
      );
      expect(renderLocalizedText(verdict.details[0] as LocalizedText, "en")).toBe(
        "p95 latency was above 270 ms in 15 of 15 minutes after the deploy (100%; more than 20% fails); before: 180 ms, after: 400 ms on average",
      );
      expect(renderLocalizedText(verdict.details.at(-1) as LocalizedText, "en")).toBe("Data quality: 100%");
    });
  });

  it("renders a verdict in each locale", () => {
    const verdict = judges.classic?.judge(input(WORKED_POST)) as Verdict;
    const errorLine = verdict.details[1] as LocalizedText;
    expect(renderLocalizedText(errorLine, "en")).toBe(
      "Errors were above 0.9% of requests in 2 of 5 minutes after the deploy (40%; more than 5% fails); before: 0.2%, after: 0.78% on average",
    );
    expect(renderLocalizedText(errorLine, "fr")).toBe(
      "Les erreurs ont dépassé 0,9 % des requêtes pendant 2 minutes sur 5 après le déploiement (40 % ; au-delà de 5 %, c'est un échec) ; avant : 0,2 %, après : 0,78 % en moyenne",
    );
    expect(renderLocalizedText(errorLine, "es")).toBe(
      "Los errores superaron el 0,9 % de las peticiones durante 2 de 5 minutos tras el despliegue (40 %; más del 5 % es un fallo); antes: 0,2 %, después: 0,78 % de media",
    );
    expect(renderLocalizedText(errorLine, "de")).toBe(
      "Die Fehler lagen in 2 von 5 Minuten nach dem Deployment über 0,9 % der Anfragen (40 %; mehr als 5 % gilt als Fehlschlag); vorher: 0,2 %, nachher: 0,78 % im Mittel",
    );
    // A line stored before its message gained placeholders keeps its stored English text.
    const stored = { code: errorLine.code, params: { ratio: 40, limit: 5 }, text: "stored text" };
    expect(renderLocalizedText(stored, "fr")).toBe("stored text");
    expect(renderLocalizedText(verdict.summary, "fr")).toBe("Dépassements de seuils critiques détectés");
    expect(renderLocalizedText({ code: "unknown.code", params: {}, text: "Fallback" }, "de")).toBe(
      "Fallback",
    );
  });
});
