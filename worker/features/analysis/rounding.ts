// Rounding exactly as the original (Python's `round`): correctly rounded, ties to even. Ties
// are rare with binary floats (0.875, 12.5, ...) but they do occur with k/N sample ratios, and
// the printed percentages must not depend on the runtime.

export function roundHalfEven(value: number, decimals = 0): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** decimals;
  // An exact midpoint at `decimals` digits is a double whose value times 2^(decimals+1) is an
  // odd integer (multiplying by a power of two is exact); everything else is not a tie.
  const doubled = value * 2 ** (decimals + 1);
  if (Number.isInteger(doubled) && Math.abs(doubled % 2) === 1) {
    const scaled = value * scale;
    const lower = Math.floor(scaled);
    const even = lower % 2 === 0 ? lower : lower + 1;
    return even / scale;
  }
  // toFixed rounds the exact binary value to the nearest decimal, which is Python's behaviour
  // away from ties.
  return Number(value.toFixed(decimals));
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
