import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cycleTime, type Strategy } from '../../src/core/cycleTime';
import { type Period, ZoneClock } from '../../src/core/dates';
import { KpiError, messageFor } from '../../src/core/errors';

const clock = new ZoneClock('Asia/Tokyo');
const cycle = (starts: unknown[], ends: unknown[], extra: object = {}) =>
  cycleTime(starts, ends, { period: 'month', clock, ...extra });

const HEADER = ['period', 'count', 'median days', 'p75 days', 'mean days', 'open'];
const GROUP_HEADER = ['period', 'group', 'count', 'median days', 'p75 days', 'mean days', 'open'];

/** A Date cell at a Tokyo wall-clock time (what a Tokyo date cell holds), built from UTC. */
const tokyo = (y: number, m: number, d: number, h = 0, mi = 0) =>
  new Date(Date.UTC(y, m - 1, d, h - 9, mi));

/** The error a call throws, rendered in both languages. */
function messages(body: () => unknown): { en: string; ja: string } {
  try {
    body();
  } catch (e) {
    if (e instanceof KpiError) return { en: messageFor(e, 'en'), ja: messageFor(e, 'ja') };
    throw e;
  }
  throw new Error('no error');
}

describe('CYCLE_TIME', () => {
  it('gives count, median, p75, mean and open per start month, gaps included, then Total', () => {
    // Jan: 5 Jan → 15 Jan (10 days), 10 Jan → 10 Feb (31 days), 20 Jan still open.
    // Mar: 1 Mar → 1 Feb, an end before its start: 0 days. A row without a start is left out.
    const out = cycle(
      ['2025-01-05', '2025-01-10', '2025-01-20', '2025-03-01', ''],
      ['2025-01-15', '2025-02-10', '', '2025-02-01', '2025-03-01'],
    );
    expect(out).toEqual([
      HEADER,
      // median of 10, 31 = 20.5; p75: position 0.75 → 10 + 0.75 × 21 = 25.75
      ['2025-01', 2, 20.5, 25.75, 20.5, 1],
      ['2025-02', 0, '', '', '', 0],
      ['2025-03', 1, 0, 0, 0, 0],
      // 0, 10, 31: median 10; p75 position 1.5 → 10 + 0.5 × 21 = 20.5; mean 41 / 3
      ['Total', 3, 10, 20.5, 41 / 3, 1],
    ]);
  });

  it('matches PERCENTILE.INC and MEDIAN on an even and an odd count', () => {
    // 1 … 10 days: MEDIAN = 5.5, PERCENTILE.INC(…, 0.75) = 7.75 (position 6.75 between 7 and 8).
    const starts = Array.from({ length: 10 }, () => '2025-04-01');
    const ends = Array.from({ length: 10 }, (_, i) => `2025-04-${String(2 + i).padStart(2, '0')}`);
    expect(cycle(starts, ends)[1]).toEqual(['2025-04', 10, 5.5, 7.75, 5.5, 0]);
    // 3, 7, 20, 40, 41 days (unsorted rows): MEDIAN 20, PERCENTILE.INC 0.75 = 40 (position 3).
    const out = cycle(
      ['2025-05-01', '2025-05-01', '2025-05-01', '2025-05-01', '2025-05-01'],
      ['2025-06-10', '2025-05-04', '2025-06-11', '2025-05-08', '2025-05-21'],
    );
    expect(out[1]).toEqual(['2025-05', 5, 20, 40, (3 + 7 + 20 + 40 + 41) / 5, 0]);
  });

  it('counts calendar days in the sheet’s zone, not elapsed time or UTC days', () => {
    // 31 Mar 23:30 Tokyo → 1 Apr 00:30 Tokyo: one hour, but one calendar day in Tokyo
    // (both instants are on 31 March in UTC). The start is in March in Tokyo.
    const out = cycle([tokyo(2025, 3, 31, 23, 30)], [tokyo(2025, 4, 1, 0, 30)]);
    expect(out[1]).toEqual(['2025-03', 1, 1, 1, 1, 0]);
    // 1 Apr 00:30 Tokyo (31 Mar 15:30 UTC) starts in April.
    expect(cycle([tokyo(2025, 4, 1, 0, 30)], [''])[1]).toEqual(['2025-04', 0, '', '', '', 1]);
  });

  it('with a group: the full grid in order of first appearance, a Total per group, then all', () => {
    const run = (strategy?: Strategy) =>
      cycle(
        ['2025-01-05', '2025-01-06', '2025-03-02', '2025-03-03', '2025-01-09', '', '2025-03-04'],
        ['2025-01-07', '2025-01-16', '2025-03-05', '', '2025-01-13', '2025-03-01', '2025-03-24'],
        { group: ['Sato', 'Suzuki', 'Sato', '', ' Sato ', 'Tanaka', 'Suzuki'], strategy },
      );
    const out = run();
    // Each way of ordering the days (histogram, counting sort, sorted runs) gives the same.
    for (const s of ['histogram', 'radix', 'sort'] as const) expect(run(s)).toEqual(out);
    // Sato: Jan 2 and 4 days, Mar 3 days. Suzuki: Jan 10 days, Mar 20 days. Blank: Mar open.
    // Tanaka's only row has no start: no group.
    expect(out).toEqual([
      GROUP_HEADER,
      ['2025-01', 'Sato', 2, 3, 3.5, 3, 0],
      ['2025-01', 'Suzuki', 1, 10, 10, 10, 0],
      ['2025-01', '(blank)', 0, '', '', '', 0],
      ['2025-02', 'Sato', 0, '', '', '', 0],
      ['2025-02', 'Suzuki', 0, '', '', '', 0],
      ['2025-02', '(blank)', 0, '', '', '', 0],
      ['2025-03', 'Sato', 1, 3, 3, 3, 0],
      ['2025-03', 'Suzuki', 1, 20, 20, 20, 0],
      ['2025-03', '(blank)', 0, '', '', '', 1],
      // Sato 2, 3, 4: median 3, p75 position 1.5 → 3.5
      ['Total', 'Sato', 3, 3, 3.5, 3, 0],
      // Suzuki 10, 20: median 15, p75 position 0.75 → 17.5
      ['Total', 'Suzuki', 2, 15, 17.5, 15, 0],
      ['Total', '(blank)', 0, '', '', '', 1],
      // all: 2, 3, 4, 10, 20: median 4, p75 position 3 → 10; mean 39 / 5
      ['Total', 'all', 5, 4, 10, 39 / 5, 1],
    ]);
  });

  it('buckets by ISO week and by quarter', () => {
    // Sun 6 Apr 2025 is in W14 (Mon 31 Mar …), Mon 7 Apr starts W15.
    const weeks = cycle(
      ['2025-03-31', '2025-04-06', '2025-04-07'],
      ['2025-04-02', '', '2025-04-07'],
      {
        period: 'week',
      },
    );
    expect(weeks).toEqual([
      HEADER,
      ['2025-W14', 1, 2, 2, 2, 1],
      ['2025-W15', 1, 0, 0, 0, 0],
      ['Total', 2, 1, 1.5, 1, 1],
    ]);
    const quarters = cycle(['2024-12-31', '2025-04-01'], ['2025-01-02', '2025-04-11'], {
      period: 'quarter',
    });
    expect(quarters).toEqual([
      HEADER,
      ['2024-Q4', 1, 2, 2, 2, 0],
      ['2025-Q1', 0, '', '', '', 0],
      ['2025-Q2', 1, 10, 10, 10, 0],
      ['Total', 2, 6, 8, 6, 0],
    ]);
  });

  it('reads serials and text dates in several spellings', () => {
    // 45658 = 2025-01-01 (serial), 2025年1月11日 = 10 days later.
    expect(cycle([45658, '2025/1/3'], ['2025年1月11日', '2025-01-04'])[1]).toEqual([
      '2025-01',
      2,
      5.5,
      7.75,
      5.5,
      0,
    ]);
  });

  it('returns the header and an empty Total when no row has a start', () => {
    expect(cycle([], [])).toEqual([HEADER, ['Total', 0, '', '', '', 0]]);
    expect(cycle(['', ''], ['2025-01-01', ''])).toEqual([HEADER, ['Total', 0, '', '', '', 0]]);
    expect(cycle([''], [''], { group: ['x'] })).toEqual([
      GROUP_HEADER,
      ['Total', 'all', 0, '', '', '', 0],
    ]);
  });

  it('names the argument, row and value of a cell that is not a date (EN and JA)', () => {
    const bad = messages(() => cycle(['2025-01-01', '2025-01-02', ''], ['', '', 'next week']));
    expect(bad.en).toBe('end_dates row 3: "next week" is not a date');
    expect(bad.ja).toBe('end_dates 3行目: "next week" は日付ではありません');
    const badStart = messages(() => cycle(['2025-01-01', '2025/13/01'], ['', '']));
    expect(badStart.en).toBe('start_dates row 2: "2025/13/01" is not a date');
    expect(badStart.ja).toBe('start_dates 2行目: "2025/13/01" は日付ではありません');
  });

  it('refuses a span too wide to show, naming the suspicious start', () => {
    const starts = ['2025-01-10', '2025-02-10', '1925-02-01', '2025-03-01'];
    const m = messages(() => cycle(starts, ['', '', '', ''], { period: 'week' }));
    expect(m.en).toMatch(
      /more than the 600 a result can show; check start_dates row 3 \("1925-02-01"\)/,
    );
    expect(m.ja).toMatch(/start_dates 3行目（"1925-02-01"）/);
    // Months: 1925 … 2025 is 1,202 months; by default an end does not widen anything.
    expect(cycle(['2025-01-10'], ['2225-01-10'])[1].slice(0, 2)).toEqual(['2025-01', 1]);
  });

  it('refuses a grid of periods × groups larger than a sheet', () => {
    // 600 months × 2,400 groups ≈ 1.44M rows × 7 columns > 10M cells.
    const starts: string[] = [];
    const groups: string[] = [];
    for (let i = 0; i < 2400; i++) {
      const month = i % 600;
      starts.push(
        `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-15`,
      );
      groups.push(`rep${i}`);
    }
    const m = messages(() =>
      cycle(
        starts,
        starts.map(() => ''),
        { group: groups },
      ),
    );
    expect(m.en).toMatch(/^group: 2400 groups × 600 periods make a result of 1442402 rows/);
    expect(m.ja).toMatch(/^group: 2400グループ × 600期間で結果が1442402行/);
  });

  it('handles durations of centuries (a mistyped year) like short ones', () => {
    // 2025-01-01 → 2300-01-01 is 100,441 days: the rows still sort correctly.
    const out = cycle(
      ['2025-01-01', '2025-01-01', '2025-01-01', '2025-02-01'],
      ['2300-01-01', '2025-01-03', '2025-01-02', '2025-02-05'],
      { group: ['a', 'b', 'a', 'a'] },
    );
    const big = 100_441;
    expect(out).toEqual([
      GROUP_HEADER,
      ['2025-01', 'a', 2, (1 + big) / 2, 1 + 0.75 * (big - 1), (1 + big) / 2, 0],
      ['2025-01', 'b', 1, 2, 2, 2, 0],
      ['2025-02', 'a', 1, 4, 4, 4, 0],
      ['2025-02', 'b', 0, '', '', '', 0],
      ['Total', 'a', 3, 4, 4 + 0.5 * (big - 4), (1 + 4 + big) / 3, 0],
      ['Total', 'b', 1, 2, 2, 2, 0],
      ['Total', 'all', 4, 3, 4 + 0.25 * (big - 4), (1 + 2 + 4 + big) / 4, 0],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: the function against a naive model written here (Tokyo = UTC+9 all year since 1952;
// months and weeks from Date.UTC fields; sorting with Array.prototype.sort).

const TOKYO_MS = 9 * 3_600_000;
const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);
const END = Date.UTC(2026, 11, 31);

/** A date cell and the Tokyo day number it stands for (NaN for blank). */
const dateCell = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .integer({ min: START, max: END })
      .map((t) => ({ cell: new Date(t) as unknown, day: Math.floor((t + TOKYO_MS) / DAY) })),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: START / DAY, max: END / DAY }).map((d) => ({
      cell: new Date(d * DAY).toISOString().slice(0, 10) as unknown,
      day: d,
    })),
  },
  { weight: 2, arbitrary: fc.constant({ cell: '' as unknown, day: Number.NaN }) },
);
/** An end cell: now and then centuries later (a mistyped year), which takes the other sort. */
const endCell = fc.oneof(
  { weight: 9, arbitrary: dateCell },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: Date.UTC(2200, 0, 1) / DAY, max: Date.UTC(2400, 0, 1) / DAY })
      .map((d) => ({ cell: new Date(d * DAY - TOKYO_MS) as unknown, day: d })),
  },
);
const groupCell = fc.constantFrom<unknown>('Sato', 'Suzuki', ' Sato', '', 'Tanaka', 7);

function naivePeriod(day: number, period: Period): { key: number; label: string } {
  const d = new Date(day * DAY);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'month')
    return { key: y * 12 + m, label: `${y}-${String(m + 1).padStart(2, '0')}` };
  if (period === 'quarter') {
    const q = Math.floor(m / 3);
    return { key: y * 4 + q, label: `${y}-Q${q + 1}` };
  }
  // ISO week: the Thursday of the day's week names the year.
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0
  const thursday = day - dow + 3;
  const ty = new Date(thursday * DAY).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(ty, 0, 1) / DAY) / 7) + 1;
  return { key: Math.floor((day - dow) / 7), label: `${ty}-W${String(week).padStart(2, '0')}` };
}

function naiveStats(ds: number[], open: number): unknown[] {
  if (ds.length === 0) return [0, '', '', '', open];
  const s = [...ds].sort((a, b) => a - b);
  const pct = (p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
  };
  return [s.length, pct(0.5), pct(0.75), s.reduce((a, b) => a + b, 0) / s.length, open];
}

function naiveCycle(
  rows: { s: number; e: number; g?: unknown }[],
  period: Period,
  grouped: boolean,
): unknown[][] {
  const label = (g: unknown) => {
    const t = String(g).trim();
    return t === '' ? '(blank)' : t;
  };
  const kept = rows.filter((r) => !Number.isNaN(r.s));
  const groups: string[] = [];
  if (grouped) for (const r of kept) if (!groups.includes(label(r.g))) groups.push(label(r.g));
  const out: unknown[][] = [
    grouped
      ? ['period', 'group', 'count', 'median days', 'p75 days', 'mean days', 'open']
      : ['period', 'count', 'median days', 'p75 days', 'mean days', 'open'],
  ];
  const stats = (rs: typeof kept) =>
    naiveStats(
      rs.filter((r) => !Number.isNaN(r.e)).map((r) => Math.max(0, r.e - r.s)),
      rs.filter((r) => Number.isNaN(r.e)).length,
    );
  if (kept.length > 0) {
    const keys = kept.map((r) => naivePeriod(r.s, period).key);
    const lo = Math.min(...keys);
    const hi = Math.max(...keys);
    // Labels of every period from lo to hi, from a day inside each.
    const labels = new Map<number, string>();
    for (let d = Math.min(...kept.map((r) => r.s)); labels.size < hi - lo + 1; d++) {
      const p = naivePeriod(d, period);
      labels.set(p.key, p.label);
    }
    for (let k = lo; k <= hi; k++) {
      const inP = kept.filter((r) => naivePeriod(r.s, period).key === k);
      if (!grouped) out.push([labels.get(k), ...stats(inP)]);
      else
        for (const g of groups)
          out.push([labels.get(k), g, ...stats(inP.filter((r) => label(r.g) === g))]);
    }
  }
  if (grouped) {
    for (const g of groups) out.push(['Total', g, ...stats(kept.filter((r) => label(r.g) === g))]);
    out.push(['Total', 'all', ...stats(kept)]);
  } else out.push(['Total', ...stats(kept)]);
  return out;
}

describe('CYCLE_TIME properties (fast-check)', () => {
  const period = fc.constantFrom<Period>('month', 'week', 'quarter');
  const rows = fc.array(fc.tuple(dateCell, endCell, groupCell), { maxLength: 80 });

  it('equals a naive model, without and with a group, whichever way the days are ordered', () => {
    const strategy = fc.constantFrom<Strategy | undefined>(undefined, 'histogram', 'radix', 'sort');
    fc.assert(
      fc.property(rows, period, fc.boolean(), strategy, (rs, p, grouped, how) => {
        const out = cycleTime(
          rs.map((r) => r[0].cell),
          rs.map((r) => r[1].cell),
          { period: p, clock, group: grouped ? rs.map((r) => r[2]) : undefined, strategy: how },
        );
        const model = naiveCycle(
          rs.map((r) => ({ s: r[0].day, e: r[1].day, g: r[2] })),
          p,
          grouped,
        );
        expect(out).toEqual(model);
      }),
      { numRuns: 400 },
    );
  });

  it('counts add up: period rows to the Totals, p75 ≥ median, mean within the range', () => {
    fc.assert(
      fc.property(rows, period, (rs, p) => {
        const out = cycleTime(
          rs.map((r) => r[0].cell),
          rs.map((r) => r[1].cell),
          { period: p, clock, group: rs.map((r) => r[2]) },
        );
        const body = out.slice(1).filter((r) => r[0] !== 'Total');
        const all = out[out.length - 1];
        expect(all.slice(0, 2)).toEqual(['Total', 'all']);
        const withStart = rs.filter((r) => !Number.isNaN(r[0].day));
        expect(body.reduce((s, r) => s + (r[2] as number), 0)).toBe(all[2]);
        expect(body.reduce((s, r) => s + (r[6] as number), 0)).toBe(all[6]);
        expect((all[2] as number) + (all[6] as number)).toBe(withStart.length);
        for (const r of out.slice(1)) {
          if (r[2] === 0) {
            expect(r.slice(3, 6)).toEqual(['', '', '']);
            continue;
          }
          expect(r[4] as number).toBeGreaterThanOrEqual(r[3] as number);
          expect(r[3] as number).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
