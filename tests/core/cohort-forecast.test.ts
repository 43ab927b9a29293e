/**
 * KPI_COHORT_FORECAST's core (src/core/forecast.ts) by its properties (issue 24): a triangle that
 * develops alike in every cohort is completed exactly, forecasts are never negative, mature
 * cohorts add nothing, planned leads add exactly their own development, and the table has exactly
 * `horizon` rows, never ragged. Rows are placed in chosen periods with periodStartDay; every
 * expected value is computed here from the generating numbers, never by the code under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Period, periodStartDay } from '../../src/core/dates';
import {
  BACKTEST_HEADER,
  COHORT_FORECAST_HEADER,
  cohortForecast,
  type ForecastView,
  NO_DAY,
} from '../../src/core/forecast';

/** A first period index for each period kind (Jan 2024, a week of 2023, 2024-Q1). */
const BASE: Record<Period, number> = { month: 2024 * 12, week: 2800, quarter: 2024 * 4 };

/** Days in period p. */
const lengthOf = (p: number, period: Period): number =>
  periodStartDay(p + 1, period) - periodStartDay(p, period);

/** A day inside period p: its first day plus `salt` folded into the period's length. */
const dayIn = (p: number, period: Period, salt: number): number =>
  periodStartDay(p, period) + (salt % lengthOf(p, period));

interface Row {
  lead: number;
  conv: number;
  amount?: number;
}

function run(
  rows: readonly Row[],
  o: {
    period: Period;
    asOfDay: number;
    horizon: number;
    view?: ForecastView;
    newLeads?: number;
    amounts?: boolean;
  },
) {
  return cohortForecast({
    leadDay: Int32Array.from(rows, (r) => r.lead),
    convDay: Int32Array.from(rows, (r) => r.conv),
    amount: o.amounts ? Float64Array.from(rows, (r) => r.amount ?? Number.NaN) : undefined,
    period: o.period,
    asOfDay: o.asOfDay,
    view: o.view ?? 'forecast',
    horizon: o.horizon,
    newLeads: o.newLeads,
  });
}

/**
 * A triangle with constant development. Cohort c (period BASE + c, c = 0 … m − 1) has
 * N_c = D × n_c leads and converts exactly N_c × s_k = n_c × a_k of them at age k, where
 * s_k = a_k ÷ D (D = Σ a + spare ≥ 1, so the counts are whole). The as_of period is T = BASE + m:
 * the oldest cohort has seen ages 0 … m − 1, so s_k is learnt for every age it is given for.
 * Conversions at ages that reach T or later are in the data too: only those up to as_of are
 * known, and none of them may change the forecast made at T's start. A few leads are created in
 * T itself, or after as_of: they are not forecast (no new_leads).
 */
const triangle = fc
  .record({
    period: fc.constantFrom<Period>('month', 'week', 'quarter'),
    a: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 }),
    spare: fc.integer({ min: 0, max: 3 }),
    nFirst: fc.integer({ min: 1, max: 3 }),
    nRest: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 }),
    late: fc.integer({ min: 0, max: 3 }),
    salt: fc.integer({ min: 0, max: 10_000 }),
    asOfSalt: fc.integer({ min: 0, max: 10_000 }),
    horizon: fc.integer({ min: 1, max: 8 }),
    shuffle: fc.boolean(),
  })
  .map((g) => {
    const m = g.a.length;
    const D = Math.max(1, g.a.reduce((x, y) => x + y, 0) + g.spare);
    const n = [g.nFirst, ...g.nRest].slice(0, m);
    const base = BASE[g.period];
    const T = base + m;
    const asOfDay = dayIn(T, g.period, g.asOfSalt);
    const rows: Row[] = [];
    for (let c = 0; c < m; c++) {
      const leads = D * n[c];
      // Leads 0 … n_c·a_0 − 1 convert at age 0, the next n_c·a_1 at age 1, …; the rest never.
      const ages: number[] = [];
      for (let k = 0; k < m; k++) for (let i = 0; i < n[c] * g.a[k]; i++) ages.push(k);
      for (let j = 0; j < leads; j++) {
        const lead = dayIn(base + c, g.period, g.salt + 7 * j);
        const k = ages[j];
        const conv = k === undefined ? NO_DAY : dayIn(base + c + k, g.period, g.salt + 11 * j);
        rows.push({ lead, conv });
      }
    }
    for (let j = 0; j < g.late; j++) {
      rows.push({ lead: periodStartDay(T, g.period) + 13 * j, conv: NO_DAY });
    }
    if (g.shuffle) rows.reverse();
    return { ...g, m, D, n, base, T, asOfDay, rows };
  });

/** Σ_c N_c × s_(q − c) = Σ_c n_c × a_(q − c) (ages outside 0 … m − 1 develop nothing). */
function completion(t: { m: number; n: number[]; a: number[]; base: number }, q: number): number {
  let sum = 0;
  for (let c = 0; c < t.m; c++) {
    const k = q - (t.base + c);
    if (k >= 0 && k < t.m) sum += t.n[c] * t.a[k];
  }
  return sum;
}

describe('cohortForecast: the chase triangle completed (fast-check)', () => {
  it('completes a triangle with constant development exactly', () => {
    fc.assert(
      fc.property(triangle, (t) => {
        const out = run(t.rows, t);
        expect(out[0]).toEqual([...COHORT_FORECAST_HEADER]);
        expect(out.length).toBe(1 + t.horizon);
        for (let i = 0; i < t.horizon; i++) {
          const q = t.T + i;
          expect(out[1 + i][1] as number).toBeCloseTo(completion(t, q), 9);
          // No amounts given: no revenue.
          expect(out[1 + i][2]).toBe('');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('worked instance: two monthly cohorts, s = (1/4, 1/2), as_of in March', () => {
    // D = 4: a = (1, 2), one unconverted lead per 4. Jan: N = 4 (n = 1), Feb: N = 8 (n = 2).
    // Jan converts 1 at age 0 and 2 at age 1; Feb 2 at age 0 and 4 at age 1 (in March: after
    // as_of 1 March, so unknown at T's start — and they must not matter).
    const m = (month: number, day: number) =>
      periodStartDay(2024 * 12 + month - 1, 'month') + day - 1;
    const rows: Row[] = [
      { lead: m(1, 3), conv: m(1, 9) },
      { lead: m(1, 4), conv: m(2, 1) },
      { lead: m(1, 5), conv: m(2, 20) },
      { lead: m(1, 6), conv: NO_DAY },
      ...[1, 2].map((d) => ({ lead: m(2, d), conv: m(2, 27) })),
      ...[3, 4, 5, 6].map((d) => ({ lead: m(2, d), conv: m(3, 10) })),
      ...[7, 8].map((d) => ({ lead: m(2, d), conv: NO_DAY })),
    ];
    const out = run(rows, { period: 'month', asOfDay: m(3, 1), horizon: 3 });
    // r_0 = (1 + 2) / (4 + 8) = 1/4; r_1 = 2 / 4 = 1/2 (only Jan has completed age 1).
    // March: Jan at age 2 (none learnt) 0 + Feb at age 1: 8 × 1/2 = 4. April: Feb at age 2: 0.
    expect(out).toEqual([
      [...COHORT_FORECAST_HEADER],
      ['2024-03', 4, '', 0, ''],
      ['2024-04', 0, '', '', ''],
      ['2024-05', 0, '', '', ''],
    ]);
  });

  it('never forecasts a negative number (random rows, random as_of, both views)', () => {
    fc.assert(
      fc.property(randomCase, (r) => {
        const out = run(r.rows, { ...r, amounts: true });
        const cols = r.view === 'forecast' ? [1, 2] : [1, 3];
        for (const row of out.slice(1)) {
          for (const c of cols) {
            const v = row[c];
            if (v === '') continue;
            expect(typeof v).toBe('number');
            expect(v as number).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('adds nothing when every cohort is older than the last age anything converted at', () => {
    // Cohorts c = 0 … m − 1 convert at ages 0 … K only; T ≥ BASE + m + K, so each cohort has
    // completed every age ≤ K before T: the ages still ahead of it never had a conversion.
    const mature = fc.record({
      period: fc.constantFrom<Period>('month', 'week', 'quarter'),
      leads: fc.array(
        fc.record({
          c: fc.integer({ min: 0, max: 4 }),
          k: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
          salt: fc.integer({ min: 0, max: 10_000 }),
        }),
        { minLength: 1, maxLength: 40 },
      ),
      gap: fc.integer({ min: 0, max: 2 }),
      asOfSalt: fc.integer({ min: 0, max: 10_000 }),
      horizon: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(mature, (g) => {
        const base = BASE[g.period];
        const lastCohort = Math.max(...g.leads.map((l) => l.c));
        const K = Math.max(0, ...g.leads.map((l) => l.k ?? 0));
        const T = base + lastCohort + K + 1 + g.gap;
        const rows = g.leads.map((l) => ({
          lead: dayIn(base + l.c, g.period, l.salt),
          conv: l.k === undefined ? NO_DAY : dayIn(base + l.c + l.k, g.period, l.salt * 3),
        }));
        const out = run(rows, {
          period: g.period,
          asOfDay: dayIn(T, g.period, g.asOfSalt),
          horizon: g.horizon,
        });
        expect(out.length).toBe(1 + g.horizon);
        for (const row of out.slice(1)) expect(row[1]).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('new_leads adds new_leads × Σ development of the ages reached, and nothing when omitted', () => {
    const planned = fc.oneof(
      fc.integer({ min: 0, max: 500 }),
      fc.double({ min: 0, max: 1e4, noNaN: true }),
    );
    fc.assert(
      fc.property(triangle, planned, (t, L) => {
        const without = run(t.rows, t);
        const zero = run(t.rows, { ...t, newLeads: 0 });
        const withPlan = run(t.rows, { ...t, newLeads: L });
        expect(zero).toEqual(without);
        for (let i = 0; i < t.horizon; i++) {
          // Planned leads of T … q are at ages q − T … 0 in q: Σ_{k=0}^{q−T} s_k (s_k = 0, k ≥ m).
          let reached = 0;
          for (let k = 0; k <= i && k < t.m; k++) reached += t.a[k] / t.D;
          expect(without[1 + i][1] as number).toBeCloseTo(completion(t, t.T + i), 9);
          const added = (withPlan[1 + i][1] as number) - (without[1 + i][1] as number);
          expect(added).toBeCloseTo(L * reached, 6);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Random rows around Jan 2024 (blanks, conversions before their lead, amounts or none). */
const randomCase = fc
  .record({
    period: fc.constantFrom<Period>('month', 'week', 'quarter'),
    view: fc.constantFrom<ForecastView>('forecast', 'backtest'),
    rows: fc.array(
      fc.record({
        lead: fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }),
        conv: fc.option(fc.integer({ min: -400, max: 600 }), { nil: undefined }),
        amount: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
      }),
      { maxLength: 60 },
    ),
    asOf: fc.integer({ min: -450, max: 700 }),
    horizon: fc.integer({ min: 1, max: 12 }),
    newLeads: fc.option(fc.double({ min: 0, max: 1e3, noNaN: true }), { nil: undefined }),
  })
  .map((g) => {
    const day0 = periodStartDay(BASE.month, 'month'); // 1 Jan 2024
    return {
      ...g,
      asOfDay: day0 + g.asOf,
      rows: g.rows.map((r) => ({
        lead: r.lead === undefined ? NO_DAY : day0 + r.lead,
        conv: r.conv === undefined ? NO_DAY : day0 + r.conv,
        amount: r.amount,
      })),
    };
  });

/**
 * The period index of a day, computed here from the calendar: months and quarters from the UTC
 * date of the day number, ISO weeks from the Monday on or before it (day 0, 1 Jan 1970, was a
 * Thursday; week index w starts on day 7w − 3, as periodStartDay says).
 */
function periodHere(day: number, period: Period): number {
  const d = new Date(day * 86_400_000);
  const month = d.getUTCFullYear() * 12 + d.getUTCMonth();
  if (period === 'month') return month;
  if (period === 'quarter') return d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
  const monday = day - ((((day - 4) % 7) + 7) % 7); // day 4 (5 Jan 1970) was a Monday
  return (monday + 3) / 7;
}

describe('cohortForecast: the table’s shape (fast-check)', () => {
  it('gives exactly `horizon` rows, each as wide as the header', () => {
    fc.assert(
      fc.property(randomCase, fc.boolean(), (r, amounts) => {
        const out = run(r.rows, { ...r, amounts });
        const header = r.view === 'forecast' ? COHORT_FORECAST_HEADER : BACKTEST_HEADER;
        expect(out[0]).toEqual([...header]);
        for (const row of out) expect(row.length).toBe(header.length);
        const T = periodHere(r.asOfDay, r.period);
        if (r.view === 'forecast') {
          expect(out.length).toBe(1 + r.horizon);
          // One row per period from T on, consecutive.
          for (let i = 0; i < r.horizon; i++) expect(out[1 + i][0]).toBe(labelOf(T + i, r.period));
          return;
        }
        // Backtest: the last `horizon` completed periods some cohort could contribute to (one of
        // age k ≥ 1 beside an older one that completed age k): P from max(first + 2, T − horizon)
        // to T − 1.
        let first = Number.POSITIVE_INFINITY;
        for (const row of r.rows) {
          if (row.lead !== NO_DAY && row.lead <= r.asOfDay) {
            first = Math.min(first, periodHere(row.lead, r.period));
          }
        }
        const expected =
          first === Number.POSITIVE_INFINITY ? 0 : Math.max(0, Math.min(r.horizon, T - first - 2));
        expect(out.length).toBe(1 + expected);
        if (T - first - 2 >= r.horizon) expect(out.length).toBe(1 + r.horizon);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a horizon that is not a whole number ≥ 1', () => {
    for (const horizon of [0, -1, 1.5, Number.NaN]) {
      expect(() => run([], { period: 'month', asOfDay: 19_800, horizon })).toThrow(/horizon/);
    }
  });
});

/** `2024-03`, `2024-Q1`, `2024-W05` from the calendar (for the first row's label). */
function labelOf(p: number, period: Period): string {
  const pad = (x: number) => String(x).padStart(2, '0');
  if (period === 'month') return `${Math.floor(p / 12)}-${pad((p % 12) + 1)}`;
  if (period === 'quarter') return `${Math.floor(p / 4)}-Q${(p % 4) + 1}`;
  // ISO week: the year of its Thursday, numbered from the week holding 4 January.
  const thursday = new Date(p * 7 * 86_400_000);
  const y = thursday.getUTCFullYear();
  const jan1 = Date.UTC(y, 0, 1) / 86_400_000;
  return `${y}-W${pad(Math.floor((p * 7 - jan1) / 7) + 1)}`;
}
