import { expect, it } from "vitest";
import { roundHalfEven } from "./rounding";

it("rounds like Python's round: correctly, exact ties to even", () => {
  expect([12.5, 13.5, 0.5, 2.5].map((value) => roundHalfEven(value))).toEqual([12, 14, 0, 2]);
  expect([0.875, 0.125, 0.625].map((value) => roundHalfEven(value, 2))).toEqual([0.88, 0.12, 0.62]);
  // Not ties once in binary: 0.495 is stored just below, 0.55 x 0.9 just above.
  expect(roundHalfEven(0.495, 2)).toBe(0.49);
  expect(roundHalfEven(0.55 * 0.9, 2)).toBe(0.5);
  expect(roundHalfEven(1 - 0.08 - 0.0625, 2)).toBe(0.86);
  expect(roundHalfEven(0.528, 2)).toBe(0.53);
});
