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

  it("uses rolling, blue-green and restart deploys, 5-, 15- and 30-minute windows and 1- to 10-sample baselines", () => {
    expect(new Set(corpus.map((item) => item.deployStyle))).toEqual(
      new Set(["rolling", "blue-green", "restart"]),
    );
    expect(new Set(corpus.map((item) => item.input.observationWindowMinutes))).toEqual(new Set([5, 15, 30]));
    const baselines = new Set(corpus.map((item) => item.input.pre.length));
    expect(baselines.has(1) && baselines.has(10)).toBe(true);
    expect(corpus.some((item) => item.preAfterTrigger > 0)).toBe(true);
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
      expect(pre.length).toBeLessThanOrEqual(10);
      expect(post.length).toBeLessThanOrEqual(observationWindowMinutes);
      if (item.label !== "dark") expect(post.length).toBe(observationWindowMinutes);
      const times = [...pre, ...post].map((sample) => sample.collectedAt.getTime());
      for (let index = 1; index < times.length; index += 1) {
        expect(times[index] as number).toBeGreaterThan(times[index - 1] as number);
      }
      expect(analyzedAt.getTime()).toBeGreaterThanOrEqual(times.at(-1) as number);
      expect(Math.max(...pre.map((sample) => sample.collectedAt.getTime()))).toBeLessThan(
        analyzedAt.getTime() - observationWindowMinutes * 60_000,
      );
      for (const sample of [...pre, ...post]) {
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
