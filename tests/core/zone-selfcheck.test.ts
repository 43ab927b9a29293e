/**
 * ZoneClock's runtime self-check (issue #13 part 3): with a fallback (Apps Script's
 * Utilities.formatDate), Intl is trusted for a zone only after its offsets at four instants of the
 * current year agree with the fallback's; the verdict is kept per zone; zones with a fixed offset
 * (STABLE_ZONES) after their start date touch neither Intl nor the fallback.
 */
import { describe, expect, it } from 'vitest';
import { type DateTimeFormatCtor, ZoneClock } from '../../src/core/dates';

const HOUR = 3_600_000;

interface Counts {
  constructed: number;
  parts: number;
}

/**
 * An Intl.DateTimeFormat stand-in over the real one. `lie` rewrites the options (e.g. a zone
 * without DST) and `shift` moves the instant before formatting (an offset off by `shift`). Each
 * call returns a new class, so verdicts cached for one never leak into another test.
 */
function fakeIntl(
  counts: Counts,
  lie: {
    shift?: (utcMs: number) => number;
    zone?: string;
    throwOnFormat?: boolean;
  } = {},
): DateTimeFormatCtor {
  return class {
    private readonly real: Intl.DateTimeFormat;
    constructor(locale: string, options: Intl.DateTimeFormatOptions) {
      counts.constructed++;
      this.real = new Intl.DateTimeFormat(locale, {
        ...options,
        timeZone: lie.zone ?? options.timeZone,
      });
    }
    formatToParts(date?: Date | number): Intl.DateTimeFormatPart[] {
      counts.parts++;
      if (lie.throwOnFormat) throw new RangeError('no zone data');
      const t = typeof date === 'number' ? date : (date ?? new Date()).getTime();
      return this.real.formatToParts(t + (lie.shift ? lie.shift(t) : 0));
    }
  };
}

const counts = (): Counts => ({ constructed: 0, parts: 0 });

/** A Utilities.formatDate stand-in that tells the truth (real Intl, unchecked) and counts calls. */
function fallbackFor(tz: string) {
  const truth = new ZoneClock(tz);
  const calls = { n: 0 };
  const fn = (utcMs: number) => {
    calls.n++;
    return truth.offsetAt(utcMs);
  };
  return { fn, calls, truth };
}

/** Instants across a year and every second around New York's 2025 switches. */
const NY_INSTANTS = [
  Date.UTC(2025, 0, 15, 12),
  Date.UTC(2025, 2, 9, 6, 59, 59),
  Date.UTC(2025, 2, 9, 7),
  Date.UTC(2025, 6, 1, 3, 30),
  Date.UTC(2025, 10, 2, 5, 59, 59),
  Date.UTC(2025, 10, 2, 6),
  Date.UTC(2025, 11, 31, 23, 59, 59),
];

describe('ZoneClock self-check against the fallback', () => {
  it('uses the fallback when Intl returns offsets an hour off', () => {
    const n = counts();
    const fb = fallbackFor('America/New_York');
    const clock = new ZoneClock('America/New_York', fb.fn, {
      DateTimeFormat: fakeIntl(n, { shift: () => HOUR }),
    });
    for (const t of NY_INSTANTS) expect(clock.toLocal(t)).toBe(fb.truth.toLocal(t));
    expect(n.parts).toBe(4); // the check, and never again
    expect(fb.calls.n).toBeGreaterThan(4); // the check, then every offset
  });

  it('catches an Intl without DST rules (standard time all year), north and south', () => {
    for (const [tz, standard] of [
      ['America/New_York', 'Etc/GMT+5'],
      ['Europe/Berlin', 'Etc/GMT-1'],
      ['Australia/Sydney', 'Etc/GMT-10'],
    ]) {
      const fb = fallbackFor(tz);
      const clock = new ZoneClock(tz, fb.fn, {
        DateTimeFormat: fakeIntl(counts(), { zone: standard }),
      });
      const summer = tz === 'Australia/Sydney' ? Date.UTC(2025, 0, 10) : Date.UTC(2025, 6, 10);
      expect(clock.toLocal(summer) - summer, tz).toBe(fb.truth.offsetAt(summer));
      expect(clock.toLocal(summer) - summer, tz).not.toBe(new ZoneClock(standard).offsetAt(summer));
    }
  });

  it('uses the fallback when Intl constructs but fails to format', () => {
    const n = counts();
    const fb = fallbackFor('America/Chicago');
    const clock = new ZoneClock('America/Chicago', fb.fn, {
      DateTimeFormat: fakeIntl(n, { throwOnFormat: true }),
    });
    const t = Date.UTC(2025, 6, 4, 12);
    expect(clock.toLocal(t)).toBe(t - 5 * HOUR);
    expect(n.parts).toBe(1); // the check stops at the first failure
  });

  it('keeps an honest Intl: four fallback calls for the check, none after', () => {
    const n = counts();
    const fb = fallbackFor('America/New_York');
    const clock = new ZoneClock('America/New_York', fb.fn, { DateTimeFormat: fakeIntl(n) });
    expect(fb.calls.n).toBe(4);
    for (const t of NY_INSTANTS) expect(clock.toLocal(t)).toBe(fb.truth.toLocal(t));
    expect(fb.calls.n).toBe(4);
    expect(n.parts).toBeGreaterThan(4); // Intl answers the data's offsets
  });

  it('keeps the runtime’s own Intl by default (no option)', () => {
    const fb = fallbackFor('America/Denver');
    const clock = new ZoneClock('America/Denver', fb.fn);
    expect(fb.calls.n).toBe(4);
    expect(clock.toLocal(Date.UTC(2025, 6, 1))).toBe(Date.UTC(2025, 6, 1) - 6 * HOUR);
    expect(fb.calls.n).toBe(4);
  });

  it('computes the verdict once per zone, not per clock', () => {
    // Honest: the second clock of the zone makes no fallback call at all.
    const honest = fakeIntl(counts());
    const fb = fallbackFor('America/Los_Angeles');
    new ZoneClock('America/Los_Angeles', fb.fn, { DateTimeFormat: honest });
    const second = new ZoneClock('America/Los_Angeles', fb.fn, { DateTimeFormat: honest });
    expect(fb.calls.n).toBe(4);
    second.toLocal(Date.UTC(2025, 6, 1));
    expect(fb.calls.n).toBe(4);
    // Another zone is checked on its own.
    const london = fallbackFor('Europe/London');
    new ZoneClock('Europe/London', london.fn, { DateTimeFormat: honest });
    expect(london.calls.n).toBe(4);

    // Lying: the check formats four instants once; later clocks go straight to the fallback.
    const n = counts();
    const lying = fakeIntl(n, { shift: () => -HOUR });
    const fbLie = fallbackFor('America/Phoenix');
    const clocks = [1, 2, 3].map(
      () => new ZoneClock('America/Phoenix', fbLie.fn, { DateTimeFormat: lying }),
    );
    expect(n.parts).toBe(4);
    const afterCheck = fbLie.calls.n;
    expect(afterCheck).toBe(4);
    const t = Date.UTC(2025, 6, 1);
    for (const c of clocks) expect(c.toLocal(t)).toBe(t - 7 * HOUR);
    expect(n.parts).toBe(4);
    expect(fbLie.calls.n).toBeGreaterThan(afterCheck);
  });

  it('never calls Intl or the fallback for Asia/Tokyo (and the other stable zones) after 1952', () => {
    for (const tz of ['Asia/Tokyo', 'Asia/Seoul', 'Asia/Kolkata', 'UTC']) {
      const n = counts();
      const fb = fallbackFor(tz);
      const clock = new ZoneClock(tz, fb.fn, {
        DateTimeFormat: fakeIntl(n, { shift: () => HOUR }),
      });
      for (let y = 1990; y <= 2030; y++) {
        for (const m of [0, 3, 6, 9]) clock.toLocal(Date.UTC(y, m, 1, 15));
      }
      clock.fromLocal(Date.UTC(2025, 3, 1));
      expect(n, tz).toEqual({ constructed: 0, parts: 0 });
      expect(fb.calls.n, tz).toBe(0);
    }
  });

  it('checks Tokyo only where Intl is needed: before 1952 (Japan kept DST in 1948–51)', () => {
    const n = counts();
    const fb = fallbackFor('Asia/Tokyo');
    const clock = new ZoneClock('Asia/Tokyo', fb.fn, { DateTimeFormat: fakeIntl(n) });
    expect(fb.calls.n).toBe(0);
    const summer1949 = Date.UTC(1949, 6, 1);
    expect(clock.toLocal(summer1949)).toBe(fb.truth.toLocal(summer1949));
    expect(n.constructed).toBe(1);
    expect(fb.calls.n).toBe(4); // the check, run when Intl was first needed
  });

  it('keeps Intl when the fallback cannot judge', () => {
    const t = Date.UTC(2025, 6, 1);
    // Throws (a zone Utilities does not know in a runtime that throws for it).
    const throwing = new ZoneClock('America/Boise', () => {
      throw new Error('Invalid argument: timeZone');
    });
    expect(throwing.toLocal(t)).toBe(t - 6 * HOUR);
    // Says +0000 everywhere (Java's TimeZone answers GMT for an ID it does not know).
    let utcCalls = 0;
    const gmt = new ZoneClock('America/Ciudad_Juarez', () => {
      utcCalls++;
      return 0;
    });
    expect(gmt.toLocal(t)).toBe(t - 6 * HOUR);
    expect(utcCalls).toBe(4);
    // Answers garbage (NaN).
    const nan = new ZoneClock('America/Anchorage', () => Number.NaN);
    expect(nan.toLocal(t)).toBe(t - 8 * HOUR);
  });

  it('still uses the fallback when Intl throws at construction, and still rejects bad zones without one', () => {
    const fb = fallbackFor('America/Halifax');
    const Throwing = class {
      constructor() {
        throw new RangeError('Invalid time zone specified');
      }
      formatToParts(): Intl.DateTimeFormatPart[] {
        return [];
      }
    };
    const clock = new ZoneClock('America/Halifax', fb.fn, { DateTimeFormat: Throwing });
    expect(clock.toLocal(Date.UTC(2025, 6, 1))).toBe(Date.UTC(2025, 6, 1) - 3 * HOUR);
    expect(() => new ZoneClock('Mars/Olympus')).toThrow(/time zone/);
  });
});
