// The authenticator app of the browser tests: codes from the setup key the page shows, computed
// in the test process by the reference TOTP the Worker tests use too (test/totp-reference.ts).
import { referenceTotpForStep } from "../test/totp-reference";

export const STEP_MS = 30_000;

export const stepAt = (ms: number) => Math.floor(ms / STEP_MS);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A code for the current step, once the step is later than `after` (the server refuses a
 * second code from a step it already accepted) and at least `minRemainingMs` from its end (so
 * that it is still current when it reaches the server).
 */
export async function freshCode(
  secret: string,
  options: { after?: number; minRemainingMs?: number } = {},
): Promise<{ code: string; step: number }> {
  const { after, minRemainingMs = 3000 } = options;
  for (;;) {
    const now = Date.now();
    const step = stepAt(now);
    const nextStepAt = (step + 1) * STEP_MS;
    if ((after === undefined || step > after) && nextStepAt - now >= minRemainingMs) {
      return { code: await referenceTotpForStep(secret, step), step };
    }
    await sleep(nextStepAt - now + 50);
  }
}
