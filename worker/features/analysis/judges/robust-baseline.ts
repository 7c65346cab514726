// What the robust judge compares the window with, per metric: the service's level just before the
// deploy and its noise from minute to minute.
//   - Clean samples: the PRE sample taken at the trigger and the continuous baseline's hour before
//     it. PRE samples taken after the trigger may already hold the new version (a rolling deploy
//     under way): they join the baseline only up to the first one from which the rest has moved in
//     the direction of a regression (a rollout only ever adds new version).
//   - Level: the median of the recent samples (the hour before, the trigger, the accepted PRE;
//     errors: their failed requests over their requests). A day or a week earlier is another
//     day's level (traffic differs by a tenth from day to day, and with the daily curve more):
//     those samples inform the noise, and latency and errors a second level (below). Traffic
//     follows the daily curve: with an hour of history its level is the trend's value at the last
//     recent sample, and each judged minute is compared with the trend carried on to that minute.
//   - Noise: the robust spread of each group around its own median (or trend), pooled, never under
//     an absolute floor. With fewer than six deviations it is not known well (one baseline sample
//     says nothing of it): the findings then also take the judged minutes' own spread.
//   - Other days: the level at the same time a day or a week earlier. Latency and errors must be
//     worse than it too: an hour that happened to be quiet is not the service's usual level.
import { metricValue } from "../samples";
import { type JudgeInput, type MetricName, type MetricSample, metricNames, type Sensitivity } from "../types";
import { median, poissonExcessZ, theilSenSlope } from "./robust-statistics";

/** A PRE sample this long after the trigger is still the trigger's own. */
const TRIGGER_GRACE_MS = 30_000;
const MINUTE_MS = 60_000;
/** The continuous baseline's "hour before" reaches this far back from the trigger. */
const RECENT_HISTORY_MS = 90 * MINUTE_MS;
/** Baseline deviations under which the judged minutes' spread joins the noise estimate. */
const FEW_DEVIATIONS = 6;

/**
 * How much evidence a change needs, as a factor on every noise margin and floor: `low` asks for
 * half as much again, `high` for 0.7 of it. Physical ceilings (CPU saturated, memory running out)
 * do not move.
 */
export const SENSITIVITY_SCALE: Record<Sensitivity, number> = { low: 1.5, medium: 1, high: 0.7 };

/** The smallest noise a metric is credited with, by level: below it a change is not measurable. */
export const ABSOLUTE_NOISE_FLOOR: Record<MetricName, (level: number) => number> = {
  latency_p95: (level) => 0.04 * level + 1,
  error_rate: (level) => 0.1 * level + 0.0005,
  cpu_usage: () => 0.02,
  memory_usage: () => 0.01,
  requests_per_sec: (level) => 0.04 * level + Math.sqrt(Math.max(level, 0) / 60),
};

/** Worse means up for every metric but traffic. */
const WORSE_IS_DOWN: Record<MetricName, boolean> = {
  latency_p95: false,
  error_rate: false,
  cpu_usage: false,
  memory_usage: false,
  requests_per_sec: true,
};

export interface MetricBaseline {
  metric: MetricName;
  /** The samples behind the level: recent and clean, oldest first. */
  samples: readonly MetricSample[];
  level: number;
  /** Robust standard deviation of one minute's value, at least the absolute floor. */
  noise: number;
  /** Whether enough deviations (six) stand behind `noise`. */
  noiseKnown: boolean;
  /** Median of the same hour on other days (errors: their pooled rate), null without. */
  otherDaysLevel: number | null;
  /** Traffic only: change of the level per minute (the daily curve), 0 otherwise. */
  slopePerMinute: number;
  /** Time (ms) at which `level` holds. */
  levelAt: number;
  /** PRE samples after the trigger set aside as already holding the new version. */
  setAside: number;
}

export interface Baseline {
  metrics: Record<MetricName, MetricBaseline>;
  /** Sensitivity factor on margins and floors (1 for `medium`). */
  scale: number;
  /** One recent sample and no other: the level is one reading. */
  single: boolean;
  /** Samples of the continuous baseline used (all groups). */
  historyCount: number;
  /** PRE samples taken after the trigger. */
  afterTrigger: number;
}

function timeOf(sample: MetricSample): number {
  const time = sample.collectedAt instanceof Date ? sample.collectedAt.getTime() : Number.NaN;
  return Number.isNaN(time) ? Number.NaN : time;
}

function byTime(samples: readonly MetricSample[]): MetricSample[] {
  return samples
    .map((sample, index) => ({ sample, index, time: timeOf(sample) }))
    .sort((a, b) =>
      Number.isNaN(a.time) || Number.isNaN(b.time) ? a.index - b.index : a.time - b.time || a.index - b.index,
    )
    .map((entry) => entry.sample);
}

function valuesOf(samples: readonly MetricSample[], metric: MetricName): number[] {
  return samples.map((sample) => metricValue(sample, metric));
}

/** Deviations from the group's Theil-Sen line when it spans ten minutes or more, else its median. */
function deviations(samples: readonly MetricSample[], metric: MetricName): number[] {
  if (samples.length < 2) return [];
  const values = valuesOf(samples, metric);
  const times = samples.map(timeOf);
  const timed = times.every((time) => !Number.isNaN(time));
  const span = timed ? ((times.at(-1) as number) - (times[0] as number)) / MINUTE_MS : 0;
  if (timed && samples.length >= 5 && span >= 10) {
    const minutes = times.map((time) => (time - (times[0] as number)) / MINUTE_MS);
    const slope = theilSenSlope(minutes, values);
    const residuals = values.map((value, index) => value - slope * (minutes[index] as number));
    const center = median(residuals);
    return residuals.map((value) => value - center);
  }
  const center = median(values);
  return values.map((value) => value - center);
}

/** Robust spread of pooled deviations (each already centred on its group): 1.4826 x MAD. */
function pooledSpread(pooled: readonly number[]): number {
  if (pooled.length < 3) return 0;
  return 1.4826 * median(pooled.map(Math.abs));
}

interface Groups {
  /** The trigger's sample(s) and the hour before from the continuous baseline, oldest first. */
  recent: MetricSample[];
  /** PRE samples after the trigger, oldest first. */
  suspect: MetricSample[];
  /** The continuous baseline a day, a week (...) earlier, one group per day. */
  otherDays: MetricSample[][];
  historyCount: number;
}

function groupsOf(input: JudgeInput): Groups {
  const pre = byTime(input.pre);
  const trigger = input.triggeredAt instanceof Date ? input.triggeredAt.getTime() : Number.NaN;
  const history = byTime(input.history ?? []);
  if (Number.isNaN(trigger)) {
    // Without a trigger time every PRE sample is taken as clean; history is placed from the first.
    const first = pre[0] ?? history.at(-1);
    const reference = first ? timeOf(first) : Number.NaN;
    return {
      recent: [...history.filter((sample) => reference - timeOf(sample) <= RECENT_HISTORY_MS), ...pre],
      suspect: [],
      otherDays: otherDayGroups(history, reference),
      historyCount: history.length,
    };
  }
  const clean = pre.filter((sample) => !(timeOf(sample) > trigger + TRIGGER_GRACE_MS));
  const suspect = pre.filter((sample) => timeOf(sample) > trigger + TRIGGER_GRACE_MS);
  const hour = history.filter((sample) => {
    const before = trigger - timeOf(sample);
    return before >= -TRIGGER_GRACE_MS && before <= RECENT_HISTORY_MS;
  });
  return {
    recent: byTime([...hour, ...clean]),
    suspect,
    otherDays: otherDayGroups(history, trigger),
    historyCount: history.length,
  };
}

function otherDayGroups(history: readonly MetricSample[], reference: number): MetricSample[][] {
  const days = new Map<number, MetricSample[]>();
  for (const sample of history) {
    const day = Math.round((reference - timeOf(sample)) / (24 * 60 * MINUTE_MS));
    if (!(day >= 1)) continue;
    days.set(day, [...(days.get(day) ?? []), sample]);
  }
  return [...days.values()];
}

function isWorse(metric: MetricName, value: number, line: number): boolean {
  return WORSE_IS_DOWN[metric] ? value < line : value > line;
}

/**
 * The index of the first suspect sample from which the rest has moved the regression's way: its
 * median past the clean level by three noises and the metric's floor (errors: a Poisson excess
 * of three standard deviations over what the clean minutes allow, and a quarter point).
 * `suspect.length` when none.
 */
function contaminationCut(
  metric: MetricName,
  suspect: readonly MetricSample[],
  clean: readonly MetricSample[],
  level: number,
  noise: number,
): number {
  for (let index = 0; index < suspect.length; index += 1) {
    const rest = suspect.slice(index);
    if (metric === "error_rate") {
      const requests = (samples: readonly MetricSample[]) =>
        samples.reduce((total, sample) => total + Math.max(0, sample.requestsPerSec) * 60, 0);
      const errors = (samples: readonly MetricSample[]) =>
        samples.reduce(
          (total, sample) => total + sample.errorRate * Math.max(0, sample.requestsPerSec) * 60,
          0,
        );
      // What the clean minutes allow the usual rate to be: a two-sigma Poisson bound on their
      // failures (two failures in 400 requests may well be a usual 1.5 %).
      const cleanRequests = requests(clean);
      const cleanErrors = errors(clean);
      const bound =
        cleanRequests > 0 ? (cleanErrors + 1 + 2 * Math.sqrt(cleanErrors + 1)) / cleanRequests : level;
      const expected = Math.max(bound, 0.001);
      const restRequests = requests(rest);
      const rate = restRequests > 0 ? errors(rest) / restRequests : 0;
      if (rate > level + 0.0025 && poissonExcessZ(errors(rest), expected * restRequests) >= 3) return index;
      continue;
    }
    const floor: Record<MetricName, number> = {
      latency_p95: Math.max(0.1 * level, 5),
      error_rate: 0,
      cpu_usage: 0.05,
      memory_usage: 0.03,
      requests_per_sec: 0.15 * level,
    };
    const margin = Math.max(3 * noise, floor[metric]);
    const line = WORSE_IS_DOWN[metric] ? level - margin : level + margin;
    if (isWorse(metric, median(valuesOf(rest, metric)), line)) return index;
  }
  return suspect.length;
}

function noiseOf(
  metric: MetricName,
  groups: readonly (readonly MetricSample[])[],
  level: number,
  scaleFloor: number,
): { noise: number; known: boolean } {
  const pooled = groups.flatMap((group) => deviations(group, metric));
  return {
    noise: Math.max(pooledSpread(pooled), ABSOLUTE_NOISE_FLOOR[metric](level) * scaleFloor),
    known: pooled.length >= FEW_DEVIATIONS,
  };
}

/** Failed requests over requests of the samples (each stands for one minute); NaN without traffic. */
export function pooledErrorRate(samples: readonly MetricSample[]): number {
  let requests = 0;
  let errors = 0;
  for (const sample of samples) {
    const count = Math.max(0, sample.requestsPerSec) * 60;
    requests += count;
    errors += sample.errorRate * count;
  }
  return requests > 0 ? errors / requests : Number.NaN;
}

function otherDaysLevel(metric: MetricName, otherDays: readonly (readonly MetricSample[])[]): number | null {
  const samples = otherDays.flat();
  if (samples.length < 3) return null;
  if (metric === "error_rate") {
    const rate = pooledErrorRate(samples);
    return Number.isNaN(rate) ? null : rate;
  }
  return median(valuesOf(samples, metric));
}

/** Traffic's level at the last recent sample and its slope, from an hour of history; else flat. */
function trafficTrend(samples: readonly MetricSample[]): { level: number; slope: number; at: number } {
  const values = valuesOf(samples, "requests_per_sec");
  const times = samples.map(timeOf);
  const last = times.at(-1) ?? Number.NaN;
  const span = (last - (times[0] ?? Number.NaN)) / MINUTE_MS;
  if (samples.length >= 4 && span >= 30 && times.every((time) => !Number.isNaN(time))) {
    const minutes = times.map((time) => (time - last) / MINUTE_MS);
    const slope = theilSenSlope(minutes, values);
    const level = median(values.map((value, index) => value - slope * (minutes[index] as number)));
    // The daily curve moves traffic by at most about half its level in an hour; more is not a curve.
    const bounded = Math.max(-level / 120, Math.min(level / 120, slope));
    return { level: Math.max(0, level), slope: bounded, at: last };
  }
  return { level: median(values), slope: 0, at: last };
}

export const METRICS: readonly MetricName[] = metricNames;

export function buildBaseline(input: JudgeInput): Baseline {
  const scale = SENSITIVITY_SCALE[input.settings?.sensitivity ?? "medium"] ?? 1;
  const groups = groupsOf(input);
  // No PRE sample and no recent history: another day's level is better than none.
  if (groups.recent.length === 0 && groups.suspect.length === 0) groups.recent = groups.otherDays.flat();
  // No clean sample at all (the trigger's sample missing): the first PRE sample stands for it.
  const recent = groups.recent.length > 0 ? groups.recent : groups.suspect.slice(0, 1);
  const suspect = groups.recent.length > 0 ? groups.suspect : groups.suspect.slice(1);
  const single = recent.length + suspect.length <= 1 && groups.otherDays.length === 0;
  const metrics = {} as Record<MetricName, MetricBaseline>;
  for (const metric of METRICS) {
    const cleanLevel = median(valuesOf(recent, metric));
    const clean = noiseOf(metric, [recent, ...groups.otherDays], cleanLevel, single ? 1.5 : 1);
    const cut = contaminationCut(metric, suspect, recent, cleanLevel, clean.noise);
    const samples = byTime([...recent, ...suspect.slice(0, cut)]);
    const trend =
      metric === "requests_per_sec"
        ? trafficTrend(samples)
        : { level: median(valuesOf(samples, metric)), slope: 0, at: timeOf(samples.at(-1) as MetricSample) };
    const { noise, known } = noiseOf(metric, [samples, ...groups.otherDays], trend.level, single ? 1.5 : 1);
    metrics[metric] = {
      metric,
      samples,
      level: trend.level,
      noise,
      noiseKnown: known,
      otherDaysLevel: otherDaysLevel(metric, groups.otherDays),
      slopePerMinute: trend.slope,
      levelAt: trend.at,
      setAside: suspect.length - cut,
    };
  }
  return {
    metrics,
    scale,
    single,
    historyCount: groups.historyCount,
    afterTrigger: groups.suspect.length,
  };
}
