import { describe, expect, it } from "vitest";
import { accountLimits, DEFAULT_DEPLOYMENTS_IN_FLIGHT_LIMIT, DEFAULT_PROJECT_LIMIT } from "./account-limits";

describe("account limits", () => {
  it("default when unset or empty", () => {
    expect(accountLimits({})).toEqual({
      projects: DEFAULT_PROJECT_LIMIT,
      deploymentsInFlight: DEFAULT_DEPLOYMENTS_IN_FLIGHT_LIMIT,
    });
    expect(accountLimits({ ACCOUNT_PROJECT_LIMIT: "", ACCOUNT_DEPLOYMENTS_IN_FLIGHT_LIMIT: " " })).toEqual(
      accountLimits({}),
    );
  });

  it("take a positive whole number", () => {
    expect(
      accountLimits({ ACCOUNT_PROJECT_LIMIT: "500", ACCOUNT_DEPLOYMENTS_IN_FLIGHT_LIMIT: " 40 " }),
    ).toEqual({
      projects: 500,
      deploymentsInFlight: 40,
    });
  });

  it.each(["0", "-5", "1e9", "ten", "2.5", "Infinity", "99999999"])(
    "keep the default for %j: a typo never lifts a limit",
    (value) => {
      expect(accountLimits({ ACCOUNT_PROJECT_LIMIT: value }).projects).toBe(DEFAULT_PROJECT_LIMIT);
    },
  );
});
