import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { companyKey } from '../../src/core/company';
import { type Period, ZoneClock } from '../../src/core/dates';
import { KpiError, messageFor } from '../../src/core/errors';
import { retention } from '../../src/core/retention';

const clock = new ZoneClock('Asia/Tokyo');
const retain = (starts: unknown[], ends: unknown[], extra: object = {}) =>
  retention(starts, ends, { period: 'month', clock, ...extra });

/** A Date cell at a Tokyo wall-clock time (what a Tokyo date cell holds), built from UTC. */
const tokyo = (y: number, m: number, d: number, h = 0, mi = 0) =>
  new Date(Date.UTC(y, m - 1, d, h - 9, mi));

function messages(body: () => unknown): { en: string; ja: string } {
  try {
    body();
  } catch (e) {
    if (e instanceof KpiError) return { en: messageFor(e, 'en'), ja: messageFor(e, 'ja') };
    throw e;
  }
  throw new Error('no error');
}

describe('RETENTION', () => {
  // Jan: two customers, one ends in February, one stays. Feb: one that ends in February.
  // Mar: none. Apr: one (its start, 1 April, is the latest date: the default as_of).
  const starts = ['2025-01-05', '2025-01-10', '2025-02-20', '2025-04-01'];
  const ends = ['2025-02-15', '', '2025-02-25', ''];

  it('follows each start cohort, with empty cohorts and the immature triangle', () => {
    expect(retain(starts, ends)).toEqual([
      ['period', 'customers', '+0', '+1', '+2', '+3'],
      // Still a customer at the end of Jan: both; of Feb: the one that stayed.
      ['2025-01', 2, 1, 0.5, 0.5, 0.5],
      // Ended within its own month: not a customer at the end of it.
      ['2025-02', 1, 0, 0, 0, ''],
      ['2025-03', 0, '', '', '', ''],
      ['2025-04', 1, 1, '', '', ''],
    ]);
  });

  it('leaves out starts after as_of, ignores ends after it, and widens to it', () => {
    // as_of 20 Feb: the 15 Feb end counts, the 25 Feb one is not known yet; April is left out.
    expect(retain(starts, ends, { asOf: '2025-02-20' })).toEqual([
      ['period', 'customers', '+0', '+1'],
      ['2025-01', 2, 1, 0.5],
      ['2025-02', 1, 1, ''],
    ]);
    const later = retain(starts, ends, { asOf: tokyo(2025, 6, 30) });
    expect(later[0]).toEqual(['period', 'customers', '+0', '+1', '+2', '+3', '+4', '+5']);
    expect(later[1]).toEqual(['2025-01', 2, 1, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(later[4]).toEqual(['2025-04', 1, 1, 1, 1, '', '', '']);
  });

  it('counts an end before its start as ended in the start period', () => {
    expect(retain(['2025-03-10', '2025-03-11'], ['2025-01-01', ''])).toEqual([
      ['period', 'customers', '+0'],
      ['2025-03', 2, 0.5],
    ]);
  });

  it('puts an end at 31 March 23:30 Tokyo (14:30 UTC) in March, 1 April 00:30 Tokyo in April', () => {
    const start = [tokyo(2025, 1, 15, 10)];
    const asOf = tokyo(2025, 4, 30);
    expect(retain(start, [tokyo(2025, 3, 31, 23, 30)], { asOf })).toEqual([
      ['period', 'customers', '+0', '+1', '+2', '+3'],
      ['2025-01', 1, 1, 1, 0, 0],
    ]);
    // 1 April 00:30 Tokyo is still 31 March in UTC: a UTC bucketing would say March.
    expect(retain(start, [tokyo(2025, 4, 1, 0, 30)], { asOf })[1]).toEqual([
      '2025-01',
      1,
      1,
      1,
      1,
      0,
    ]);
    // A start at 00:30 on 1 February Tokyo (31 January in UTC) is a February customer.
    expect(retain([tokyo(2025, 2, 1, 0, 30)], [''], { asOf })[1]).toEqual(['2025-02', 1, 1, 1, 1]);
  });

  it('counts one customer per company: earliest start, open if any row is open, else latest end', () => {
    const out = retain(
      ['2025-01-10', '2025-02-03', '2025-02-05', '2025-03-07', '2025-01-20', '2025-06-01'],
      ['2025-03-01', '', '2025-03-10', '2025-04-20', '2025-01-25', ''],
      {
        companies: [
          '株式会社アルファ',
          'アルファ株式会社',
          'taro@beta.co.jp',
          'hanako@beta.co.jp',
          '',
          'Gamma Inc.',
        ],
        asOf: '2025-05-31',
      },
    );
    // Alpha: Jan, still open (its second contract has no end). Beta: Feb, ends 20 Apr (+2).
    // The blank company is left out; Gamma starts after as_of.
    expect(out).toEqual([
      ['period', 'customers', '+0', '+1', '+2', '+3', '+4'],
      ['2025-01', 1, 1, 1, 1, 1, 1],
      ['2025-02', 1, 1, 1, 0, 0, ''],
    ]);
    // An end after as_of makes the company still a customer.
    const open = retain(['2025-01-10', '2025-01-12'], ['2025-02-01', '2025-09-01'], {
      companies: ['Acme', 'ACME, Inc'],
      asOf: '2025-03-31',
    });
    expect(open).toEqual([
      ['period', 'customers', '+0', '+1', '+2'],
      ['2025-01', 1, 1, 1, 1],
    ]);
  });

  it('buckets by ISO week and by quarter', () => {
    const weeks = retain(['2025-03-31', '2025-04-06', '2025-04-07'], ['2025-04-08', '', ''], {
      period: 'week',
    });
    // W14: two customers, one ends in W15. W15: one. as_of = 8 Apr (W15).
    expect(weeks).toEqual([
      ['period', 'customers', '+0', '+1'],
      ['2025-W14', 2, 1, 0.5],
      ['2025-W15', 1, 1, ''],
    ]);
    const quarters = retain(['2025-03-31', '2025-04-01'], ['2025-07-01', ''], {
      period: 'quarter',
    });
    expect(quarters).toEqual([
      ['period', 'customers', '+0', '+1', '+2'],
      ['2025-Q1', 1, 1, 1, 0],
      ['2025-Q2', 1, 1, 1, ''],
    ]);
  });

  it('returns only the header when there are no customers', () => {
    expect(retain([], [])).toEqual([['period', 'customers']]);
    expect(retain(['', ''], ['2025-01-01', ''])).toEqual([['period', 'customers']]);
    expect(retain(['2025-05-01'], [''], { asOf: '2025-04-30' })).toEqual([['period', 'customers']]);
  });

  it('names the argument, row and value of a cell that is not a date (EN and JA)', () => {
    const bad = messages(() => retain(['2025-01-01', ''], ['', '解約']));
    expect(bad.en).toBe('end_dates row 2: "解約" is not a date');
    expect(bad.ja).toBe('end_dates 2行目: "解約" は日付ではありません');
    const asOf = messages(() => retain(['2025-01-01'], [''], { asOf: 'yesterday' }));
    expect(asOf.en).toBe('as_of row 1: "yesterday" is not a date');
    expect(asOf.ja).toBe('as_of 1行目: "yesterday" は日付ではありません');
  });

  it('refuses a span too wide to show, naming the suspicious date', () => {
    const m = messages(() =>
      retain(['2025-01-10', '2025-02-10', '1925-02-01', '2025-03-01'], ['', '', '', '']),
    );
    expect(m.en).toMatch(/check start_dates row 3 \("1925-02-01"\)/);
    // A mistyped end far ahead becomes the default as_of: it is the one named.
    const end = messages(() => retain(['2025-01-10', '2025-02-10'], ['', '2205-02-01']));
    expect(end.en).toMatch(/check end_dates row 2 \("2205-02-01"\)/);
    expect(end.ja).toMatch(/end_dates 2行目（"2205-02-01"）/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties, with a naive model written here (Tokyo = UTC+9; months from Date.UTC fields).

const TOKYO_MS = 9 * 3_600_000;
const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);
const END = Date.UTC(2026, 11, 31);

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
const company = fc.constantFrom<unknown>(
  '株式会社アルファ',
  'アルファ(株)',
  'Beta Inc.',
  'BETA',
  'c@gamma.jp',
  'x@gmail.com',
  'y@gmail.com',
  '',
);
const period = fc.constantFrom<Period>('month', 'week', 'quarter');
/** as_of: blank (the default) or a day in the data's range. */
const asOfCell = fc.oneof(
  fc.constant({ cell: '' as unknown, day: Number.NaN }),
  fc.integer({ min: START / DAY, max: END / DAY }).map((d) => ({
    cell: new Date(d * DAY).toISOString().slice(0, 10) as unknown,
    day: d,
  })),
);
const rows = fc.array(fc.tuple(dateCell, dateCell, company), { maxLength: 80 });

function periodKey(day: number, p: Period): number {
  const d = new Date(day * DAY);
  if (p === 'month') return d.getUTCFullYear() * 12 + d.getUTCMonth();
  if (p === 'quarter') return d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
  return Math.floor((day - ((d.getUTCDay() + 6) % 7)) / 7); // Monday-start weeks
}

/** The default as_of: the latest day in either column. */
function asOfDayOf(rs: [{ day: number }, { day: number }, unknown][], given: number): number {
  if (!Number.isNaN(given)) return given;
  let max = Number.NaN;
  for (const [s, e] of rs) {
    for (const d of [s.day, e.day]) if (!Number.isNaN(d) && !(d <= max)) max = d;
  }
  return max;
}

/** The shares of a naive model: +k per cohort key, counted customer by customer. */
function naiveShares(
  customers: { s: number; e: number }[],
  asOf: number,
  p: Period,
): Map<number, { n: number; shares: (number | '')[] }> {
  const kept = customers.filter((c) => c.s <= asOf);
  const asOfP = periodKey(asOf, p);
  const out = new Map<number, { n: number; shares: (number | '')[] }>();
  if (kept.length === 0) return out;
  const first = Math.min(...kept.map((c) => periodKey(c.s, p)));
  const last = Math.max(...kept.map((c) => periodKey(c.s, p)));
  for (let c = first; c <= last; c++) {
    const cohort = kept.filter((x) => periodKey(x.s, p) === c);
    const shares: (number | '')[] = [];
    for (let k = 0; k <= asOfP - first; k++) {
      if (c + k > asOfP || cohort.length === 0) {
        shares.push('');
        continue;
      }
      const still = cohort.filter((x) => {
        if (Number.isNaN(x.e) || x.e > asOf) return true;
        const endP = x.e < x.s ? c : periodKey(x.e, p);
        return endP > c + k;
      });
      shares.push(still.length / cohort.length);
    }
    out.set(c, { n: cohort.length, shares });
  }
  return out;
}

describe('RETENTION properties (fast-check)', () => {
  it('shares lie in [0, 1], never increase along a row, and are blank exactly past as_of', () => {
    fc.assert(
      fc.property(rows, period, asOfCell, (rs, p, asOf) => {
        const out = retention(
          rs.map((r) => r[0].cell),
          rs.map((r) => r[1].cell),
          { period: p, clock, asOf: asOf.cell },
        );
        const asOfDay = asOfDayOf(rs, asOf.day);
        const width = out[0].length;
        // The first cell breaking a rule, if any (one expect per run: cells are many).
        let broken = '';
        for (let r = 1; r < out.length && broken === ''; r++) {
          const row = out[r];
          if (row.length !== width) broken = `row ${r} has ${row.length} cells`;
          const customers = row[1] as number;
          let prev = 1;
          for (let k = 0; k < width - 2 && broken === ''; k++) {
            const cell = row[2 + k];
            // Cohort r − 1 periods after the first; +k is past as_of when r − 1 + k > K.
            const past = r - 1 + k > width - 3;
            if (customers === 0 || past) {
              if (cell !== '') broken = `row ${r} +${k} = ${cell}, expected blank`;
              continue;
            }
            if (typeof cell !== 'number' || cell < 0 || cell > prev) {
              broken = `row ${r} +${k} = ${cell} (previous ${prev})`;
            }
            prev = cell as number;
          }
        }
        expect(broken).toBe('');
        // The customers column: every row with a start on or before as_of, once.
        const started = rs.filter((r) => !Number.isNaN(r[0].day) && r[0].day <= asOfDay).length;
        expect(out.slice(1).reduce((s, r) => s + (r[1] as number), 0)).toBe(started);
        // The last column is the as_of period: K = as_of period − first start period.
        if (out.length > 1) {
          const firstP = Math.min(
            ...rs.filter((r) => r[0].day <= asOfDay).map((r) => periodKey(r[0].day, p)),
          );
          expect(width - 3).toBe(periodKey(asOfDay, p) - firstP);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('equals a naive model, per row and per company', () => {
    fc.assert(
      fc.property(rows, period, asOfCell, fc.boolean(), (rs, p, asOf, byCompany) => {
        const out = retention(
          rs.map((r) => r[0].cell),
          rs.map((r) => r[1].cell),
          {
            period: p,
            clock,
            asOf: asOf.cell,
            companies: byCompany ? rs.map((r) => r[2]) : undefined,
          },
        );
        const asOfDay = asOfDayOf(rs, asOf.day);
        let customers = rs
          .filter((r) => !Number.isNaN(r[0].day))
          .map((r) => ({ s: r[0].day, e: r[1].day, key: companyKey(r[2]) }));
        if (byCompany) {
          const merged = new Map<string, { s: number; e: number }>();
          for (const c of customers) {
            if (c.key === '' || c.s > asOfDay) continue;
            const open = Number.isNaN(c.e) || c.e > asOfDay;
            const m = merged.get(c.key);
            if (!m) merged.set(c.key, { s: c.s, e: open ? Number.POSITIVE_INFINITY : c.e });
            else {
              m.s = Math.min(m.s, c.s);
              m.e = Math.max(m.e, open ? Number.POSITIVE_INFINITY : c.e);
            }
          }
          customers = [...merged.values()].map((m) => ({
            s: m.s,
            e: m.e === Number.POSITIVE_INFINITY ? Number.NaN : m.e,
            key: '',
          }));
          // With companies: never more customers than distinct companies.
          const distinct = new Set(rs.map((r) => companyKey(r[2])).filter((k) => k !== ''));
          expect(out.slice(1).reduce((s, r) => s + (r[1] as number), 0)).toBeLessThanOrEqual(
            distinct.size,
          );
        }
        const model = naiveShares(customers, asOfDay, p);
        expect(out.length - 1).toBe(model.size);
        const body = [...model.values()].map((m) => [m.n, ...m.shares]);
        expect(out.slice(1).map((r) => r.slice(1))).toEqual(body);
      }),
      { numRuns: 300 },
    );
  });
});
