#!/usr/bin/env node
// `npm run bench:verdicts`: every judge of the registry over the labelled deployment corpus
// (worker/features/analysis/corpus), the `tune` and `report` halves scored separately: per family,
// the confusion table, how often each confidence bucket was right (calibration), and for the
// robust judge the early verdicts (each case's POST samples replayed minute by minute through
// `judgeEarly`). Pure functions, no stack: the timing is the analysis alone, not the end-to-end
// verdict delay (that needs the collection schedule and the jobs, measured with the stack). Run
// through tsx, which loads the Worker's TypeScript as is. Figures go to docs/benchmarks.md by hand.
//
//   npm run bench:verdicts -- --seed 7 --half report --judge classic --cases
import os from "node:os";
import { parseArgs } from "node:util";
import {
  acceptable,
  DEFAULT_CORPUS_SEED,
  GOAL,
  generateCorpus,
  LABELS,
  LEVELS,
  meetsGoal,
  scoreVerdicts,
  share,
} from "../../worker/features/analysis/corpus/index.ts";
import { judges } from "../../worker/features/analysis/judge.ts";
import { judgeEarly } from "../../worker/features/analysis/judges/robust.ts";

/**
 * @typedef {import("../../worker/features/analysis/corpus/index.ts").CorpusCase} CorpusCase
 * @typedef {import("../../worker/features/analysis/corpus/index.ts").Score} Score
 * @typedef {import("../../worker/features/analysis/corpus/index.ts").Tally} Tally
 * @typedef {import("../../worker/features/analysis/types.ts").Verdict} Verdict
 */

const { values } = parseArgs({
  options: {
    seed: { type: "string" },
    half: { type: "string" },
    judge: { type: "string" },
    // Lists every unacceptable case of the chosen half (for reading, not for nudging cases).
    cases: { type: "boolean" },
  },
});
const seed = values.seed ? Number(values.seed) : DEFAULT_CORPUS_SEED;
if (!Number.isInteger(seed)) throw new Error("--seed takes an integer");
const halves = values.half ? [values.half] : ["tune", "report"];
if (halves.some((half) => half !== "tune" && half !== "report"))
  throw new Error("--half takes tune or report");
const judgeNames = values.judge ? [values.judge] : Object.keys(judges);
for (const name of judgeNames) if (!Object.hasOwn(judges, name)) throw new Error(`no judge named ${name}`);

/** @type {(part: number, whole: number) => string} */
const percent = (part, whole) => {
  const value = share(part, whole);
  return value === null ? "–" : `${(value * 100).toFixed(1)} %`;
};

/**
 * @param {string[]} header
 * @param {Array<Array<string | number>>} rows
 */
function table(header, rows) {
  const lines = [header, header.map(() => "---"), ...rows];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** @param {Score} score */
function familyTable(score) {
  return table(
    [
      "family",
      "label",
      "cases",
      "acceptable",
      "false rollback",
      "missed (bad → ok)",
      "bad not rolled back",
      "dark with data reason",
    ],
    score.families.map((family) => [
      family.family,
      family.label,
      family.cases,
      percent(family.acceptable, family.cases),
      family.healthy ? `${family.falseRollbacks}` : "",
      family.bad ? `${family.missed}` : "",
      family.bad ? `${family.badNotRolledBack}` : "",
      family.dark ? `${family.darkWithInsufficientDataReason}/${family.dark}` : "",
    ]),
  );
}

/** @param {Score} score */
function confusionTable(score) {
  return table(
    ["label \\ verdict", ...LEVELS],
    LABELS.map((label) => [label, ...LEVELS.map((level) => score.confusion[label][level])]),
  );
}

/** @param {Tally} tally */
function overallLine(tally) {
  return [
    `acceptable ${percent(tally.acceptable, tally.cases)} (${tally.acceptable}/${tally.cases}; goal ≥ ${GOAL.acceptable * 100} %)`,
    `false rollback ${percent(tally.falseRollbacks, tally.healthy)} of healthy (goal ≤ ${GOAL.falseRollback * 100} %)`,
    `missed ${percent(tally.missed, tally.bad)} of bad (goal ≤ ${GOAL.missed * 100} %)`,
    `bad not rolled back ${percent(tally.badNotRolledBack, tally.bad)} (goal ≤ ${GOAL.badNotRolledBack * 100} %)`,
    `goal ${meetsGoal(tally) ? "met" : "not met"}`,
  ].join("; ");
}

/**
 * Confidence buckets, lower bound included.
 * @type {Array<[string, number, number]>}
 */
const BUCKETS = [
  ["< 0.5", 0, 0.5],
  ["0.5–0.6", 0.5, 0.6],
  ["0.6–0.7", 0.6, 0.7],
  ["0.7–0.8", 0.7, 0.8],
  ["0.8–0.9", 0.8, 0.9],
  ["≥ 0.9", 0.9, Number.POSITIVE_INFINITY],
];

/**
 * @param {CorpusCase[]} cases
 * @param {Verdict[]} verdicts one per case, in order
 */
function calibrationTable(cases, verdicts) {
  const rows = BUCKETS.map(([name, low, high]) => {
    const inBucket = cases
      .map((item, index) => ({ item, verdict: /** @type {Verdict} */ (verdicts[index]) }))
      .filter(({ verdict }) => verdict.confidence >= low && verdict.confidence < high);
    const right = inBucket.filter(({ item, verdict }) => acceptable(item.label, verdict).acceptable).length;
    const byLevel = LEVELS.map((level) => inBucket.filter(({ verdict }) => verdict.verdict === level).length);
    return [name, inBucket.length, percent(right, inBucket.length), ...byLevel];
  });
  return table(["confidence", "cases", "acceptable", ...LEVELS], rows);
}

/**
 * Families whose regression is blatant by issue 10's measure (errors x10, p95 x3, traffic halved
 * or worse from the finish on): their rollback is due within 5 minutes of finish.
 */
const BLATANT = new Set(["error-spike", "latency-x3", "fast-service-slowed", "traffic-gone"]);

/**
 * Replays a case's POST samples as the sweeper would: after each one, `judgeEarly` on the samples
 * so far, analysed a few seconds after the last. Returns the minute after finish of the first
 * early rollback (the sample's time), or null.
 * @param {CorpusCase} item
 * @returns {number | null}
 */
function firstEarlyMinute(item) {
  const post = item.input.post;
  const finish = item.input.analyzedAt.getTime() - item.input.observationWindowMinutes * 60_000;
  for (let count = 1; count < post.length; count += 1) {
    const last = /** @type {(typeof post)[number]} */ (post[count - 1]);
    const verdict = judgeEarly({
      ...item.input,
      post: post.slice(0, count),
      analyzedAt: new Date(last.collectedAt.getTime() + 5_000),
    });
    if (verdict) return (last.collectedAt.getTime() - finish) / 60_000;
  }
  return null;
}

/** @param {CorpusCase[]} cases */
function earlyReport(cases) {
  /** @type {string[]} */
  const lines = [];
  const fired = cases.map((item) => ({ item, minute: firstEarlyMinute(item) }));
  const wrong = fired.filter(({ item, minute }) => minute !== null && item.label !== "bad");
  const bad = fired.filter(({ item }) => item.label === "bad");
  const minutes = bad
    .map(({ minute }) => minute)
    .filter((minute) => minute !== null)
    .sort((a, b) => a - b);
  lines.push(
    `early rollbacks on cases not labelled bad: ${wrong.length} (goal 0)` +
      (wrong.length ? `: ${wrong.map(({ item }) => item.id).join(", ")}` : ""),
  );
  lines.push(
    `bad cases with an early rollback: ${minutes.length}/${bad.length}; first one a median ` +
      `${minutes.length ? percentile(minutes, 50).toFixed(1) : "–"} minutes after finish`,
  );
  const blatant = bad.filter(({ item }) => BLATANT.has(item.family));
  const withinFive = blatant.filter(({ minute }) => minute !== null && minute <= 5).length;
  lines.push(
    `blatant families (${[...BLATANT].join(", ")}): ${withinFive}/${blatant.length} ` +
      `(${percent(withinFive, blatant.length)}) rolled back within 5 minutes of finish`,
  );
  /** @type {Map<string, { cases: number, fired: number[] }>} */
  const perFamily = new Map();
  for (const { item, minute } of bad) {
    const entry = perFamily.get(item.family) ?? { cases: 0, fired: [] };
    entry.cases += 1;
    if (minute !== null) entry.fired.push(minute);
    perFamily.set(item.family, entry);
  }
  lines.push(
    "",
    table(
      ["bad family", "cases", "early rollback", "median minute", "within 5 min"],
      [...perFamily].map(([family, entry]) => {
        const sorted = [...entry.fired].sort((a, b) => a - b);
        return [
          family,
          entry.cases,
          `${entry.fired.length}`,
          sorted.length ? percentile(sorted, 50).toFixed(1) : "–",
          `${entry.fired.filter((minute) => minute <= 5).length}`,
        ];
      }),
    ),
  );
  return lines.join("\n");
}

/**
 * @param {number[]} sorted never empty
 * @param {number} p
 */
function percentile(sorted, p) {
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

const started = performance.now();
const corpus = generateCorpus(seed);
const generatedMs = performance.now() - started;
console.log(
  `corpus: seed ${seed}, ${corpus.length} cases, ${new Set(corpus.map((item) => item.family)).size} families, ` +
    `generated in ${generatedMs.toFixed(0)} ms; node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`,
);

for (const name of judgeNames) {
  const judge = /** @type {import("../../worker/features/analysis/judge-types.ts").Judge} */ (judges[name]);
  for (const half of halves) {
    const cases = corpus.filter((item) => item.half === half);
    /** @type {number[]} */
    const times = [];
    const verdicts = cases.map((item) => {
      const before = performance.now();
      const verdict = judge.judge(item.input);
      times.push(performance.now() - before);
      return verdict;
    });
    const score = scoreVerdicts(cases, verdicts);
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`\n## ${name} (v${judge.version}), ${half} half: ${cases.length} cases\n`);
    console.log(overallLine(score.overall));
    console.log(
      `analysis time per case: median ${percentile(sorted, 50).toFixed(3)} ms, p95 ${percentile(sorted, 95).toFixed(3)} ms, ` +
        `max ${percentile(sorted, 100).toFixed(3)} ms (pure function; end-to-end verdict delay needs the stack)\n`,
    );
    console.log(familyTable(score));
    console.log(`\n${confusionTable(score)}`);
    console.log(`\nconfidence calibration:\n\n${calibrationTable(cases, verdicts)}`);
    if (name === "robust")
      console.log(`\nearly verdicts (judgeEarly after each POST sample):\n\n${earlyReport(cases)}`);
    if (values.cases) {
      console.log("\nunacceptable cases:");
      cases.forEach((item, index) => {
        const verdict = /** @type {Verdict} */ (verdicts[index]);
        if (!acceptable(item.label, verdict).acceptable)
          console.log(`  ${item.id} (${item.label}) -> ${verdict.verdict}: ${verdict.summary.text}`);
      });
    }
  }
}
