import { describe, expect, it } from "vitest";
import {
  isAwaitingVerdict,
  POLL_DELAYS_MS,
  type PollingEnvironment,
  pollDelay,
  refreshRows,
  startPolling,
} from "./use-deployment-polling";

/** Timers and visibility under the test's control: `advance` runs what is due, in order. */
function fakeEnvironment() {
  let now = 0;
  let hidden = false;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const listeners = new Set<() => void>();
  const environment: PollingEnvironment = {
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    isHidden: () => hidden,
    onVisibilityChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    environment,
    listeners,
    pending: () => timers.size,
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, timer]) => timer.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
        await flush();
      }
      now = end;
    },
    async setHidden(value: boolean) {
      hidden = value;
      for (const listener of listeners) listener();
      await flush();
    },
  };
}

describe("deployment polling", () => {
  it("polls a running or observing deployment, not a judged or expired one", () => {
    expect(isAwaitingVerdict({ state: "running", verdict: null })).toBe(true);
    expect(isAwaitingVerdict({ state: "finished", verdict: null })).toBe(true);
    expect(isAwaitingVerdict({ state: "expired", verdict: null })).toBe(false);
    expect(
      isAwaitingVerdict({
        state: "analyzed",
        verdict: {
          verdict: "ok",
          confidence: 1,
          summary: { code: "x", params: {}, text: "x" },
          details: [],
          dataQuality: { score: 1, issues: [] },
          judge: "classic",
        },
      }),
    ).toBe(false);
  });

  it("asks every 5 s at first, then less often while nothing changes, 15 s at most", () => {
    expect(pollDelay(0)).toBe(5_000);
    expect(pollDelay(2)).toBe(7_500);
    expect(pollDelay(50)).toBe(15_000);
    expect(Math.max(...POLL_DELAYS_MS)).toBe(15_000);
  });

  it("refreshes on that schedule and goes back to the shortest wait when something changed", async () => {
    const fake = fakeEnvironment();
    const calls: number[] = [];
    let elapsed = 0;
    const answers = [false, false, false, true, false];
    const poller = startPolling(async () => {
      calls.push(elapsed);
      return answers.shift() ?? false;
    }, fake.environment);
    for (const step of [5_000, 5_000, 7_500, 10_000, 5_000]) {
      elapsed += step;
      await fake.advance(step);
    }
    expect(calls).toEqual([5_000, 10_000, 17_500, 27_500, 32_500]);
    poller.stop();
    await fake.advance(60_000);
    expect(calls).toHaveLength(5);
    expect(fake.pending()).toBe(0);
    expect(fake.listeners.size).toBe(0);
  });

  it("asks nothing while the tab is hidden, and asks at once when it shows again", async () => {
    const fake = fakeEnvironment();
    let calls = 0;
    const poller = startPolling(async () => {
      calls++;
      return false;
    }, fake.environment);
    await fake.setHidden(true);
    await fake.advance(120_000);
    expect(calls).toBe(0);
    await fake.setHidden(false);
    expect(calls).toBe(1);
    await fake.advance(5_000);
    expect(calls).toBe(2);
    poller.stop();
  });

  it("keeps polling after a failed refresh", async () => {
    const fake = fakeEnvironment();
    let calls = 0;
    const poller = startPolling(async () => {
      calls++;
      if (calls === 1) throw new Error("offline");
      return false;
    }, fake.environment);
    await fake.advance(5_000);
    await fake.advance(5_000);
    expect(calls).toBe(2);
    poller.stop();
  });
});

describe("refreshing a list's rows", () => {
  const row = (id: string, state: "finished" | "analyzed", verdict: "ok" | null) => ({
    id,
    state,
    verdict: verdict
      ? {
          verdict,
          confidence: 1,
          summary: { code: "x", params: {}, text: "x" },
          details: [],
          dataQuality: { score: 1, issues: [] },
          judge: "classic",
        }
      : null,
  });

  it("replaces the rows a newer page has, and says when one got its verdict", () => {
    const shown = [row("a", "finished", null), row("b", "analyzed", "ok")];
    const same = refreshRows(shown, [row("a", "finished", null)]);
    expect(same.changed).toBe(false);
    const judged = refreshRows(shown, [row("new", "finished", null), row("a", "analyzed", "ok")]);
    expect(judged.changed).toBe(true);
    expect(judged.rows.map((r) => [r.id, r.verdict?.verdict ?? null])).toEqual([
      ["a", "ok"],
      ["b", "ok"],
    ]);
  });
});
