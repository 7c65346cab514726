import { afterAll, describe, expect, it } from "vitest";
import { testDatabase } from "../../../test/helpers";
import { ApiError } from "../../lib/errors";
import type { GuessCounter } from "../../lib/guess-counter";
import { signUp } from "./account";
import { validateSessionToken } from "./sessions";
import { signInWithPassword } from "./sign-in";

// Password sign-in called as a CLI's server side would: no request, the failed-guess counters
// given as an object.

const { db, close } = testDatabase();
afterAll(() => close());

const client = { userAgent: "seqpulse-cli/1.0", ipAddress: "198.51.100.7" };
const password = "a long local passphrase, 42 walruses";

/** Counts what the flow did with its counters; `waitFirst` makes `check` refuse like a limit would. */
function countingGuesses(options: { waitFirst?: boolean } = {}) {
  const calls: string[] = [];
  const guesses: GuessCounter = {
    check: async () => {
      calls.push("check");
      if (options.waitFirst) throw new ApiError("RATE_LIMITED", "Too many failed attempts; try again later.");
    },
    recordFailure: async () => void calls.push("recordFailure"),
    clear: async () => void calls.push("clear"),
  };
  return { guesses, calls };
}

async function newAccount() {
  const email = `cli-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const outcome = await signUp(db, { email, password }, new Date());
  if (!outcome.created) throw new Error("the address was new");
  return { email, user: outcome.user };
}

describe("signInWithPassword", () => {
  it("gives a working session for the right password, counting nothing against it", async () => {
    const { email, user } = await newAccount();
    const { guesses, calls } = countingGuesses();
    // Emails match in any case, as on the sign-in page.
    const { outcome } = await signInWithPassword(db, {
      email: email.toUpperCase(),
      password,
      guesses,
      client,
    });
    expect(outcome.twoFactorRequired).toBe(false);
    if (outcome.twoFactorRequired) return;
    const session = await validateSessionToken(db, outcome.sessionToken);
    expect(session?.userId).toBe(user.id);
    expect(calls).toEqual(["check", "clear"]);
  });

  it("refuses a wrong password or an unknown email alike, counting the guess", async () => {
    const { email } = await newAccount();
    for (const attempt of [
      { email, password: `${password}!` },
      { email: `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`, password },
    ]) {
      const { guesses, calls } = countingGuesses();
      await expect(signInWithPassword(db, { ...attempt, guesses, client })).rejects.toMatchObject({
        code: "INVALID_CREDENTIALS",
      });
      expect(calls).toEqual(["check", "recordFailure"]);
    }
  });

  it("checks the counters before the password: a caller made to wait learns nothing", async () => {
    const { email } = await newAccount();
    const { guesses, calls } = countingGuesses({ waitFirst: true });
    await expect(signInWithPassword(db, { email, password, guesses, client })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    expect(calls).toEqual(["check"]);
  });
});
