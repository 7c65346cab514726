// The statistics of the robust judge: medians and MAD (a contaminated baseline sample moves them
// little), a Theil-Sen slope (a trend one odd minute cannot bend), and a Poisson test of error
// counts (low traffic is judged by how many requests failed, not by a rate one request can swing).

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median absolute deviation scaled to a standard deviation (x 1.4826 for normal noise). */
export function robustSpread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const center = median(values);
  return 1.4826 * median(values.map((value) => Math.abs(value - center)));
}

/** Median of the pairwise slopes, per step of `x`; 0 with fewer than two points. */
export function theilSenSlope(x: readonly number[], y: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i += 1) {
    for (let j = i + 1; j < x.length; j += 1) {
      const dx = (x[j] as number) - (x[i] as number);
      if (dx !== 0) slopes.push(((y[j] as number) - (y[i] as number)) / dx);
    }
  }
  return slopes.length > 0 ? median(slopes) : 0;
}

/**
 * How many standard deviations `observed` errors lie above the `expected` count of a Poisson
 * law: the signed root of the likelihood ratio, with half an error of continuity correction, so
 * 3 errors where 0.3 were expected gives 2.5 (exact one-sided p = 0.004), not the normal 4.9.
 */
export function poissonExcessZ(observed: number, expected: number): number {
  const corrected = observed - 0.5;
  if (expected <= 0) return corrected > 0 ? Number.POSITIVE_INFINITY : 0;
  if (corrected <= expected) return 0;
  const deviance = 2 * (corrected * Math.log(corrected / expected) - (corrected - expected));
  return Math.sqrt(Math.max(0, deviance));
}

/** P(Z <= z) of a standard normal (Abramowitz-Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(z: number): number {
  if (!Number.isFinite(z)) return z > 0 ? 1 : 0;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** The longest run of consecutive values for which `test` holds. */
export function longestRun(values: readonly number[], test: (value: number) => boolean): number {
  let longest = 0;
  let current = 0;
  for (const value of values) {
    current = test(value) ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}
