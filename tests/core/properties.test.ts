import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activityArea } from '../../src/core/activity';
import { capacity } from '../../src/core/capacity';
import { cohortConversion } from '../../src/core/cohort';
import { companyKey } from '../../src/core/company';
import {
  DAY_MS,
  DateReader,
  type Period,
  periodLabel,
  periodOfDay,
  STABLE_ZONES,
  ZoneClock,
} from '../../src/core/dates';

const clock = new ZoneClock('Asia/Tokyo');
const START = Date.UTC(2023, 0, 1);
const END = Date.UTC(2026, 11, 31);

/** A date cell: a Date (any instant), an ISO text date, or blank. */
const dateCell = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: START, max: END }).map((t) => new Date(t) as unknown) },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: START, max: END })
      .map((t) => new Date(t).toISOString().slice(0, 10) as unknown),
  },
  { weight: 2, arbitrary: fc.constant('' as unknown) },
);
const period = fc.constantFrom<Period>('month', 'week', 'quarter');
const rows = fc.array(fc.tuple(dateCell, dateCell), { maxLength: 120 });

const valid = (v: unknown) => v !== '';

describe('invariants (fast-check)', () => {
  it('chase: cumulative rates never decrease along a row, never exceed 1, and the immature cells are a suffix', () => {
    fc.assert(
      fc.property(rows, period, (rs, p) => {
        const out = cohortConversion(
          rs.map((r) => r[0]),
          rs.map((r) => r[1]),
          { view: 'chase', period: p, clock },
        );
        const width = out[0].length;
        for (const row of out.slice(1)) {
          expect(row.length).toBe(width);
          let prev = 0;
          let blank = false;
          for (const cell of row.slice(4)) {
            if (cell === '') {
              blank = true;
              continue;
            }
            expect(blank).toBe(false);
            expect(typeof cell).toBe('number');
            expect(cell as number).toBeGreaterThanOrEqual(prev);
            expect(cell as number).toBeLessThanOrEqual(1);
            prev = cell as number;
          }
        }
        // Every lead with a date is in exactly one cohort; converted = leads with both dates.
        const leads = rs.filter((r) => valid(r[0]));
        expect(out.slice(1).reduce((s, r) => s + (r[1] as number), 0)).toBe(leads.length);
        expect(out.slice(1).reduce((s, r) => s + (r[2] as number), 0)).toBe(
          leads.filter((r) => valid(r[1])).length,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('slice: counts add up to the number of valid dates, over contiguous periods', () => {
    fc.assert(
      fc.property(rows, period, (rs, p) => {
        const out = cohortConversion(
          rs.map((r) => r[0]),
          rs.map((r) => r[1]),
          { view: 'slice', period: p, clock },
        );
        const body = out.slice(1);
        expect(body.reduce((s, r) => s + (r[1] as number), 0)).toBe(
          rs.filter((r) => valid(r[0])).length,
        );
        expect(body.reduce((s, r) => s + (r[2] as number), 0)).toBe(
          rs.filter((r) => valid(r[1])).length,
        );
        expect(new Set(body.map((r) => r[0])).size).toBe(body.length);
        for (const r of body) expect(r.length).toBe(4);
      }),
      { numRuns: 200 },
    );
  });

  it('buckets any instant into the Tokyo calendar month that Intl names', () => {
    const tokyoDay = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Tokyo',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const reader = new DateReader(clock);
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2090, 0, 1) }), (t) => {
        const local = reader.read(new Date(t), 'x', 1);
        const label = periodLabel(periodOfDay(Math.floor(local / DAY_MS), 'month'), 'month');
        expect(label).toBe(tokyoDay.format(new Date(t)).slice(0, 7));
      }),
      { numRuns: 2000 },
    );
  });

  it('activity: Total companies ≤ the sum of the owners’ companies and ≥ each owner’s', () => {
    const company = fc.constantFrom(
      '株式会社アルファ',
      'アルファ(株)',
      'Beta Inc.',
      'BETA',
      'c@gamma.jp',
      'x@gmail.com',
      'y@gmail.com',
      '',
    );
    const owner = fc.constantFrom('Sato', 'Suzuki', 'Tanaka', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(company, owner, fc.nat(5)), { maxLength: 80 }), (rs) => {
        const out = activityArea(
          rs.map((r) => r[0]),
          { owners: rs.map((r) => r[1]), counts: rs.map((r) => r[2]) },
        );
        const owners = out.slice(1, -1);
        const total = out[out.length - 1];
        expect(total[0]).toBe('Total');
        const sum = owners.reduce((s, r) => s + (r[2] as number), 0);
        expect(total[2] as number).toBeLessThanOrEqual(sum);
        for (const r of owners) expect(total[2] as number).toBeGreaterThanOrEqual(r[2] as number);
        expect(total[1]).toBe(owners.reduce((s, r) => s + (r[1] as number), 0));
      }),
      { numRuns: 300 },
    );
  });

  it('activity: per-owner companies equal a naive count, with few or many (> 32) owners', () => {
    const company = fc.constantFrom(
      '株式会社アルファ',
      '㈱アルファ',
      'Beta Inc.',
      'c@gamma.jp',
      'x@gmail.com',
      'Delta',
      'Epsilon',
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.tuple(company, fc.nat(59), fc.nat(3)), { maxLength: 150 }),
        (owners, rs) => {
          const rows = rs.map(([c, o, k]) => [c, `rep${o % owners}`, k] as const);
          const out = activityArea(
            rows.map((r) => r[0]),
            { owners: rows.map((r) => r[1]), counts: rows.map((r) => r[2]) },
          );
          const naive = new Map<string, Set<string>>();
          for (const [c, o, k] of rows) {
            if (!naive.has(o)) naive.set(o, new Set());
            if (k > 0) naive.get(o)?.add(companyKey(c));
          }
          expect(out.slice(1, -1).map((r) => [r[0], r[2]])).toEqual(
            [...naive].map(([o, set]) => [o, set.size]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('capacity: required volumes never increase down the funnel', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (rates, target) => {
          const n = rates.length + 1;
          const blank = new Array(n).fill('');
          const out = capacity({
            stages: blank.map((_, i) => `S${i}`),
            rates: [...rates, ''],
            heads: blank,
            perHead: blank,
            target,
          });
          const req = out.slice(1).map((r) => r[1] as number);
          for (let i = 1; i < n; i++) expect(req[i]).toBeLessThanOrEqual(req[i - 1]);
          expect(req[n - 1]).toBe(target);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('time zones against Intl (fast-check)', () => {
  /** Independent oracle: the local wall clock Intl shows, written as UTC ms. */
  const wallClock = (tz: string) => {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    return (t: number) => {
      const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
      return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
    };
  };

  it('the fixed-offset shortcut for stable zones agrees with Intl after its start date', () => {
    for (const [tz, { since }] of Object.entries(STABLE_ZONES)) {
      const oracle = wallClock(tz);
      const clock = new ZoneClock(tz);
      const from = Math.max(since, Date.UTC(1900, 0, 1));
      fc.assert(
        fc.property(fc.integer({ min: from / 1000, max: Date.UTC(2100, 0, 1) / 1000 }), (s) => {
          expect(clock.toLocal(s * 1000)).toBe(oracle(s * 1000));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('DST zones agree with Intl at every instant, switch days included', () => {
    for (const tz of [
      'America/New_York',
      'Europe/London',
      'Australia/Sydney',
      'Australia/Lord_Howe',
      'Asia/Tokyo',
    ]) {
      const oracle = wallClock(tz);
      const clock = new ZoneClock(tz);
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(1940, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }),
          (s) => {
            expect(clock.toLocal(s * 1000)).toBe(oracle(s * 1000));
          },
        ),
        { numRuns: 500 },
      );
      // Each second around the 2025 switches in New York and London.
      for (const t of [
        Date.UTC(2025, 2, 9, 7),
        Date.UTC(2025, 10, 2, 6),
        Date.UTC(2025, 2, 30, 1),
        Date.UTC(2025, 9, 26, 1),
      ]) {
        for (let d = -3; d <= 3; d++)
          expect(clock.toLocal(t + d * 1000)).toBe(oracle(t + d * 1000));
      }
    }
  });
});
