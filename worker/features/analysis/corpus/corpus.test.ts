import { describe, expect, it } from "vitest";
import { classicJudge } from "../judges/classic";
import { corpusHalf, DEFAULT_CORPUS_SEED, generateCorpus } from "./corpus";
import { FAMILIES } from "./families";
import { createRandom } from "./random";

const corpus = generateCorpus(DEFAULT_CORPUS_SEED);

describe("the random source", () => {
  it("repeats its numbers for a seed and differs between seeds", () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    for (const value of draw(7)) expect(value >= 0 && value < 1).toBe(true);
  });
});

describe("the deployment corpus", () => {
  it("is the same for the same seed and different for another", () => {
    expect(generateCorpus(DEFAULT_CORPUS_SEED)).toEqual(corpus);
    const other = generateCorpus(DEFAULT_CORPUS_SEED + 1);
    expect(other.map((item) => item.id)).toEqual(corpus.map((item) => item.id));
    expect(other.map((item) => item.input)).not.toEqual(corpus.map((item) => item.input));
  });

  it("keeps a family's cases when another family is left out", () => {
    const alone = generateCorpus(DEFAULT_CORPUS_SEED, [FAMILIES.at(-1) as (typeof FAMILIES)[number]]);
    expect(alone).toEqual(corpus.filter((item) => item.family === alone[0]?.family));
  });

  it("has at least 400 cases in at least 25 families, with unique ids", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(400);
    expect(new Set(corpus.map((item) => item.family)).size).toBeGreaterThanOrEqual(25);
    expect(new Set(corpus.map((item) => item.id)).size).toBe(corpus.length);
  });

  it("is balanced roughly 55 % healthy (half alarming), 30 % bad, 10 % degraded, 5 % dark", () => {
    const shareOf = (predicate: (item: (typeof corpus)[number]) => boolean) =>
      corpus.filter(predicate).length / corpus.length;
    expect(shareOf((item) => item.label === "healthy")).toBeCloseTo(0.55, 1);
    expect(shareOf((item) => item.label === "bad")).toBeCloseTo(0.3, 1);
    expect(shareOf((item) => item.label === "degraded")).toBeCloseTo(0.1, 1);
    expect(shareOf((item) => item.label === "dark")).toBeCloseTo(0.05, 1);
    const healthy = corpus.filter((item) => item.label === "healthy");
    expect(healthy.filter((item) => item.alarming).length / healthy.length).toBeCloseTo(0.5, 1);
  });

  it("splits into two halves by id, each holding every family", () => {
    for (const item of corpus) expect(item.half).toBe(corpusHalf(item.id));
    const report = corpus.filter((item) => item.half === "report").length;
    expect(report / corpus.length).toBeGreaterThan(0.4);
    expect(report / corpus.length).toBeLessThan(0.6);
    for (const family of FAMILIES) {
      const halves = new Set(corpus.filter((item) => item.family === family.name).map((item) => item.half));
      expect([family.name, halves.size]).toEqual([family.name, 2]);
    }
  });

  it("uses rolling, blue-green and restart deploys and 5-, 15- and 30-minute windows", () => {
    expect(new Set(corpus.map((item) => item.deployStyle))).toEqual(
      new Set(["rolling", "blue-green", "restart"]),
    );
    expect(new Set(corpus.map((item) => item.input.observationWindowMinutes))).toEqual(new Set([5, 15, 30]));
  });

  it("takes PRE samples the way the pipeline does: one at the trigger, then one a minute until the finish", () => {
    const shareOf = (predicate: (item: (typeof corpus)[number]) => boolean) =>
      corpus.filter(predicate).length / corpus.length;
    for (const item of corpus) {
      const { pre, triggeredAt } = item.input;
      if (!triggeredAt) throw new Error(`${item.id} has no trigger time`);
      const first = pre[0]?.collectedAt.getTime() ?? 0;
      expect(first - triggeredAt.getTime()).toBeGreaterThanOrEqual(0);
      expect(first - triggeredAt.getTime()).toBeLessThan(5_000);
      pre.forEach((sample, index) => {
        const sinceTrigger = sample.collectedAt.getTime() - triggeredAt.getTime();
        expect(Math.round(sinceTrigger / 60_000)).toBe(index);
      });
      expect(item.preAfterTrigger).toBe(pre.length - 1);
      expect(item.preContaminated).toBeLessThanOrEqual(item.preAfterTrigger);
    }
    // A fast pipeline (finish right after trigger) gives exactly one PRE sample.
    expect(shareOf((item) => item.input.pre.length === 1)).toBeGreaterThan(0.22);
    expect(shareOf((item) => item.input.pre.length === 1)).toBeLessThan(0.4);
    expect(shareOf((item) => item.input.pre.length === 11)).toBeGreaterThan(0.02);
    expect(shareOf((item) => item.preContaminated > 0)).toBeGreaterThan(0.1);
    for (const item of corpus.filter((each) => each.family === "contaminated-baseline")) {
      expect(item.preContaminated).toBeGreaterThanOrEqual(item.input.pre.length - 2);
    }
  });

  it("gives about 60 % of cases a continuous baseline: the hour before the trigger, some a day and a week earlier", () => {
    const withHistory = corpus.filter((item) => (item.input.history?.length ?? 0) > 0);
    expect(withHistory.length / corpus.length).toBeGreaterThan(0.5);
    expect(withHistory.length / corpus.length).toBeLessThan(0.7);
    const day = 24 * 60 * 60_000;
    let dayEarlier = 0;
    let weekEarlier = 0;
    for (const item of withHistory) {
      const trigger = item.input.triggeredAt?.getTime() ?? 0;
      const times = (item.input.history ?? []).map((sample) => sample.collectedAt.getTime());
      for (let index = 1; index < times.length; index += 1) {
        expect(times[index] as number).toBeGreaterThan(times[index - 1] as number);
      }
      for (const time of times) {
        const before = trigger - time;
        const near = (ago: number) => Math.abs(before - ago) <= 30 * 60_000 + 5_000;
        expect(near(7 * day) || near(day) || (before >= -5_000 && before <= 60 * 60_000)).toBe(true);
      }
      if (times.some((time) => trigger - time > day / 2)) dayEarlier += 1;
      if (times.some((time) => trigger - time > 3 * day)) weekEarlier += 1;
      expect(times.some((time) => trigger - time <= 60 * 60_000)).toBe(true);
    }
    expect(dayEarlier).toBeGreaterThan(withHistory.length / 2);
    expect(weekEarlier).toBeGreaterThan(withHistory.length / 4);
    expect(weekEarlier).toBeLessThan(dayEarlier);
  });

  it("spans 0.5 to 5,000 requests per second", () => {
    const traffic = corpus.flatMap((item) => item.input.pre.map((sample) => sample.requestsPerSec));
    expect(Math.min(...traffic)).toBeLessThan(1);
    expect(Math.max(...traffic)).toBeGreaterThan(2000);
  });

  it("gives every case a valid JudgeInput: ordered minutes, values in range, analysed at the window's end", () => {
    for (const item of corpus) {
      const { pre, post, analyzedAt, observationWindowMinutes } = item.input;
      expect(pre.length).toBeGreaterThanOrEqual(1);
      expect(pre.length).toBeLessThanOrEqual(11);
      expect(post.length).toBeLessThanOrEqual(observationWindowMinutes);
      if (item.label !== "dark" && item.family !== "healthy-missed-samples")
        expect(post.length).toBe(observationWindowMinutes);
      if (item.label !== "dark") expect(post.length).toBeGreaterThanOrEqual(observationWindowMinutes - 3);
      const times = [...pre, ...post].map((sample) => sample.collectedAt.getTime());
      for (let index = 1; index < times.length; index += 1) {
        expect(times[index] as number).toBeGreaterThan(times[index - 1] as number);
      }
      expect(analyzedAt.getTime()).toBeGreaterThanOrEqual(times.at(-1) as number);
      expect(Math.max(...pre.map((sample) => sample.collectedAt.getTime()))).toBeLessThan(
        analyzedAt.getTime() - observationWindowMinutes * 60_000,
      );
      for (const sample of [...pre, ...post, ...(item.input.history ?? [])]) {
        expect(sample.requestsPerSec).toBeGreaterThanOrEqual(0);
        expect(sample.latencyP95).toBeGreaterThan(0);
        for (const ratio of [sample.errorRate, sample.cpuUsage, sample.memoryUsage]) {
          expect(ratio >= 0 && ratio <= 1).toBe(true);
        }
      }
    }
  });

  it("leaves dark cases without most of their POST samples", () => {
    for (const item of corpus.filter((each) => each.label === "dark")) {
      expect(item.input.post.length).toBeLessThanOrEqual(item.input.observationWindowMinutes / 2);
    }
  });

  it("is judged by the classic judge without an error", () => {
    for (const item of corpus) expect(() => classicJudge.judge(item.input)).not.toThrow();
  });
});
