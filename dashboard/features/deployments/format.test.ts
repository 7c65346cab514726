import { describe, expect, it } from "vitest";
import { createFormatters } from "./format";

// Intl separates numbers and units with (narrow) no-break spaces in some locales.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("formatters", () => {
  const en = createFormatters("en", { timeZone: "UTC" });
  const fr = createFormatters("fr", { timeZone: "UTC" });
  const es = createFormatters("es", { timeZone: "UTC" });
  const de = createFormatters("de", { timeZone: "UTC" });

  it("writes decimals and percentages the locale's way", () => {
    expect(en.percent(0.125)).toBe("12.5%");
    expect(plain(fr.percent(0.125))).toBe("12,5 %");
    expect(plain(de.percent(0.125))).toBe("12,5 %");
    expect(plain(es.percent(0.125))).toBe("12,5 %");
    expect(en.decimal(1234.56)).toBe("1,234.6");
    expect(plain(fr.decimal(1234.56))).toBe("1 234,6");
    expect(de.decimal(1234.56)).toBe("1.234,6");
  });

  it("gives each metric its unit", () => {
    expect(en.metric("latency_p95", 312.4, "req/s")).toBe("312 ms");
    expect(plain(fr.metric("latency_p95", 312.4, "req/s"))).toBe("312 ms");
    expect(en.metric("error_rate", 0.0123, "req/s")).toBe("1.23%");
    expect(plain(de.metric("cpu_usage", 0.456, "Anfr./s"))).toBe("45,6 %");
    expect(plain(es.metric("requests_per_sec", 120.25, "sol./s"))).toBe("120,3 sol./s");
    expect(en.metric("memory_usage", null, "req/s")).toBe("—");
  });

  it("formats dates and times in the locale (and the given time zone)", () => {
    const at = "2026-05-04T10:05:30.000Z";
    expect(en.dateTime(at)).toBe("May 4, 2026, 10:05 AM UTC");
    expect(fr.dateTime(at)).toBe("4 mai 2026, 10:05 UTC");
    expect(de.dateTime(at)).toBe("4. Mai 2026, 10:05 UTC");
    expect(es.dateTime(at)).toBe("4 may 2026, 10:05 UTC");
    expect(de.time(at)).toBe("10:05:30");
    expect(de.timeWithZone(at)).toBe("10:05:30 UTC");
    expect(en.dateTime(null)).toBe("—");
    expect(en.day("2026-05-04")).toBe("Mon, May 4");
    expect(fr.day("2026-05-04")).toBe("lun. 4 mai");
    expect(de.dayOfMonth("2026-05-04")).toBe("4");
  });

  it("says how long ago, in words", () => {
    const now = Date.parse("2026-05-04T10:00:00Z");
    expect(en.relative("2026-05-04T09:55:00Z", now)).toBe("5 minutes ago");
    expect(fr.relative("2026-05-04T09:55:00Z", now)).toBe("il y a 5 minutes");
    expect(de.relative("2026-05-03T10:00:00Z", now)).toBe("gestern");
    expect(es.relative("2026-05-04T08:00:00Z", now)).toBe("hace 2 horas");
  });

  it("says which zone an absolute time is in", () => {
    const at = "2026-05-04T10:05:30.000Z";
    expect(createFormatters("en", { timeZone: "Europe/Berlin" }).dateTime(at)).toBe(
      "May 4, 2026, 12:05 PM GMT+2",
    );
    expect(createFormatters("fr", { timeZone: "Europe/Paris" }).dateTime(at)).toBe("4 mai 2026, 12:05 UTC+2");
    expect(createFormatters("de", { timeZone: "Europe/Berlin" }).dateTime(at)).toBe(
      "4. Mai 2026, 12:05 MESZ",
    );
    expect(createFormatters("en", { timeZone: "America/New_York" }).timeWithZone(at)).toBe("06:05:30 AM EDT");
  });

  it("never writes a past event in the future tense", () => {
    const now = Date.parse("2026-05-04T10:00:00Z");
    // Clock skew: a record a few seconds ahead of this browser is "now".
    expect(en.relative("2026-05-04T10:00:20Z", now)).toBe("now");
    expect(en.relative("2026-05-04T10:01:00Z", now)).toBe("now");
    // Further ahead (a sweep fast-forwarded 20 minutes, or a clock far off): the stored time
    // itself, with its zone, rather than "in 20 minutes" or a misleading "now".
    expect(en.relative("2026-05-04T10:20:00Z", now)).toBe("May 4, 2026, 10:20 AM UTC");
    expect(de.relative("2026-05-04T10:20:00Z", now)).toBe("4. Mai 2026, 10:20 UTC");
    for (const formatter of [en, fr, es, de]) {
      for (const minutes of [2, 5, 20, 60 * 30]) {
        const text = formatter.relative(new Date(now + minutes * 60_000).toISOString(), now);
        expect(text).not.toMatch(/\bin \d|dans|dentro de|in \d+ (Minuten|Stunden)/);
      }
    }
  });

  it("writes durations with units", () => {
    expect(en.duration(200_000)).toBe("3 min 20 sec");
    expect(plain(de.duration(200_000))).toBe("3 Min., 20 Sek.");
    expect(en.duration(3_600_000 + 60_000)).toBe("1 hr 1 min");
    expect(en.duration(400)).toBe("0 sec");
    expect(en.duration(null)).toBe("—");
  });
});
