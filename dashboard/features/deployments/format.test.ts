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
    expect(en.dateTime(at)).toBe("May 4, 2026, 10:05 AM");
    expect(fr.dateTime(at)).toBe("4 mai 2026, 10:05");
    expect(de.dateTime(at)).toBe("04.05.2026, 10:05");
    expect(es.dateTime(at)).toBe("4 may 2026, 10:05");
    expect(de.time(at)).toBe("10:05:30");
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
    expect(en.relative("2026-05-04T10:03:00Z", now)).toBe("now");
  });

  it("writes durations with units", () => {
    expect(en.duration(200_000)).toBe("3 min 20 sec");
    expect(plain(de.duration(200_000))).toBe("3 Min., 20 Sek.");
    expect(en.duration(3_600_000 + 60_000)).toBe("1 hr 1 min");
    expect(en.duration(400)).toBe("0 sec");
    expect(en.duration(null)).toBe("—");
  });
});
