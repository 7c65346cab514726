import { describe, expect, it } from "vitest";
import { feedbackBody, MAX_FEEDBACK_NOTE_LENGTH, markedAccuracyOf, shadowOf } from "./verdict-feedback";

describe("feedbackBody", () => {
  it("trims the note and leaves an empty one out", () => {
    expect(feedbackBody(true, "  the CDN, not us  ")).toEqual({ correct: true, note: "the CDN, not us" });
    expect(feedbackBody(false, "   ")).toEqual({ correct: false });
  });

  it("refuses a note longer than the API accepts, counted after trimming", () => {
    expect(feedbackBody(true, ` ${"n".repeat(MAX_FEEDBACK_NOTE_LENGTH)} `)).not.toBeNull();
    expect(feedbackBody(true, "n".repeat(MAX_FEEDBACK_NOTE_LENGTH + 1))).toBeNull();
  });
});

describe("shadowOf", () => {
  const summary = { code: "x", params: {}, text: "x" };

  it("gives the other judge's verdict when the API sent one", () => {
    expect(
      shadowOf({
        shadow: { judge: "classic", judgeVersion: 1, verdict: "warning", confidence: 0.62, summary },
      }),
    ).toEqual({ judge: "classic", verdict: "warning", confidence: 0.62 });
  });

  it("is null for verdicts without one (older verdicts, or an API that does not send it yet)", () => {
    expect(shadowOf({ shadow: null })).toBeNull();
    expect(shadowOf({})).toBeNull();
  });
});

describe("markedAccuracyOf", () => {
  it("says how many of the marked verdicts were right", () => {
    expect(markedAccuracyOf({ analyzed: 40, marked: 12, markedCorrect: 11 })).toEqual({
      right: 11,
      marked: 12,
      analyzed: 40,
    });
  });

  it("is null until a verdict is marked", () => {
    expect(markedAccuracyOf({ analyzed: 40, marked: 0, markedCorrect: 0 })).toBeNull();
  });
});
