/**
 * KPI_PIPELINE_FORECAST's core (src/core/pipeline.ts), called directly with local day numbers.
 * Every expected table is worked out by hand in the comments; the properties check what must hold
 * for any pipeline (never negative, revenue within the pipeline, a sure win forecasts everything).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/core/cohort';
import { daysFromCivil } from '../../src/core/dates';
import { KpiError } from '../../src/core/errors';
import { NO_DAY } from '../../src/core/forecast';
import {
  LOST,
  OPEN,
  type PipelineHistory,
  type PipelineInput,
  pipelineForecast,
  stageReader,
  WON,
} from '../../src/core/pipeline';

/** 'YYYY-MM-DD' → local day number; '' → NO_DAY. */
const day = (s: string): number => {
  if (s === '') return NO_DAY;
  const [y, m, d] = s.split('-').map(Number);
  return daysFromCivil(y, m, d);
};

interface Deal {
  stage: string;
  amount?: number;
  close?: string;
  created?: string;
}

const HEADER = ['period', 'open deals', 'pipeline', 'forecast won', 'forecast revenue'];

function run(
  deals: Deal[],
  asOf: string,
  extra: Partial<PipelineInput> & { withCreated?: boolean } = {},
): Cell[][] {
  const withCreated = extra.withCreated ?? deals.some((d) => d.created !== undefined);
  return pipelineForecast({
    stages: deals.map((d) => d.stage),
    amount: Float64Array.from(deals, (d) => d.amount ?? Number.NaN),
    closeDay: Int32Array.from(deals, (d) => day(d.close ?? '')),
    createdDay: withCreated ? Int32Array.from(deals, (d) => day(d.created ?? '')) : undefined,
    stageOf: stageReader(undefined),
    period: 'month',
    asOfDay: day(asOf),
    view: 'forecast',
    horizon: 3,
    ...extra,
  });
}

/** A history from [stage, outcome, observed?, closed?, amount?] rows. */
function history(
  rows: [string, number, string?, string?, number?][],
  dated = true,
): PipelineHistory {
  return {
    stage: rows.map((r) => r[0]),
    outcome: Int8Array.from(rows, (r) => r[1]),
    observedDay: dated ? Int32Array.from(rows, (r) => day(r[2] ?? '')) : undefined,
    closedDay: dated ? Int32Array.from(rows, (r) => day(r[3] ?? '')) : undefined,
    amount: rows.some((r) => r[4] !== undefined)
      ? Float64Array.from(rows, (r) => r[4] ?? Number.NaN)
      : undefined,
  };
}

/** Same shape, same text, numbers equal to 12 digits. */
function expectTable(actual: Cell[][], expected: Cell[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => {
    expect(row.length).toBe(expected[r].length);
    row.forEach((v, c) => {
      const e = expected[r][c];
      if (typeof e === 'number' && typeof v === 'number') expect(v).toBeCloseTo(e, 12);
      else expect(v).toEqual(e);
    });
  });
}

describe('KPI_PIPELINE_FORECAST core: win probability', () => {
  it('takes the win rate of the deal’s stage from the stage history, else its overall rate', () => {
    // History: Proposal won, won, lost → 2/3 (its stage written three ways: NFKC, trim, case);
    // Prospecting won, lost, lost, lost → 1/4; overall 3 won of 7 closed → 3/7. An open history
    // row (no outcome yet) counts for neither.
    const h = history(
      [
        ['Proposal', WON],
        [' proposal ', WON],
        ['ＰＲＯＰＯＳＡＬ', LOST],
        ['Prospecting', WON],
        ['Prospecting', LOST],
        ['Prospecting', LOST],
        ['Prospecting', LOST],
        ['Negotiation', OPEN],
      ],
      false,
    );
    const deals: Deal[] = [
      { stage: 'Proposal', amount: 300, close: '2025-04-20' }, // April, 2/3
      { stage: 'Prospecting', amount: 100, close: '2025-05-05' }, // May, 1/4
      { stage: 'Negotiation', amount: 700, close: '2025-05-31' }, // May, no closed history: 3/7
      { stage: 'Closed Won', amount: 500, close: '2025-03-01' }, // closed: not forecast
      { stage: 'Disqualified', amount: 900, close: '2025-04-20' }, // ignore: skipped
      { stage: '', amount: 900, close: '2025-04-20' }, // blank stage: skipped
    ];
    expectTable(run(deals, '2025-04-10', { history: h }), [
      HEADER,
      // 300 × 2/3 = 200
      ['2025-04', 1, 300, 2 / 3, 200],
      // 100 + 700 = 800; 1/4 + 3/7 = 19/28; 100/4 + 700 × 3/7 = 25 + 300 = 325
      ['2025-05', 2, 800, 19 / 28, 325],
      ['2025-06', 0, 0, 0, 0],
    ]);
  });

  it('without a history, takes the eventual-win chance at the deal’s age, open deals at risk', () => {
    // as_of 10 Apr. Closed deals, days open (close − created): won 10, 40, 60, 90; lost 50, 70,
    // 80 → overall 4/7.
    const closed: Deal[] = [
      { stage: 'Closed Won', created: '2025-01-01', close: '2025-01-11' }, // 10
      { stage: 'Closed Won', created: '2025-01-01', close: '2025-02-10' }, // 31 + 9 = 40
      { stage: 'Closed Lost', created: '2025-01-01', close: '2025-02-20' }, // 31 + 19 = 50
      { stage: 'Closed Won', created: '2025-01-01', close: '2025-03-02' }, // 31 + 28 + 1 = 60
      { stage: 'Closed Lost', created: '2025-01-01', close: '2025-03-12' }, // 70
      { stage: 'Closed Lost', created: '2025-01-01', close: '2025-03-22' }, // 80
      { stage: 'Closed Won', created: '2025-01-01', close: '2025-04-01' }, // 90
    ];
    const open: Deal[] = [
      // Age 10 Apr − 24 Feb = 4 + 31 + 10 = 45.
      { stage: 'Proposal', amount: 1000, created: '2025-02-24', close: '2025-04-30' },
      // Age 10 Apr − 4 Feb = 24 + 31 + 10 = 65.
      { stage: 'Proposal', amount: 700, created: '2025-02-04', close: '2025-04-30' },
      // No created date: overall 4/7 (and no age: at risk at no event time).
      { stage: 'Prospecting', amount: 70, close: '2025-05-02' },
      // Created after as_of: not in the pipeline yet (nor at risk).
      { stage: 'Prospecting', amount: 5000, created: '2025-04-11', close: '2025-04-30' },
    ];
    // Event times t: the closed cycles. At risk n = closed deals with cycle ≥ t + open deals of
    // age ≥ t (the two dated open deals, ages 45 and 65); W(t) = w/n + (1 − (w + l)/n) × W(next):
    //   t   closed ≥ t  open ≥ t  n  w  l  W
    //   90  1           0         1  1  0  1/1 = 1
    //   80  2           0         2  0  1  (1 − 1/2) × 1 = 1/2
    //   70  3           0         3  0  1  (2/3) × 1/2 = 1/3
    //   60  4           1 (65)    5  1  0  1/5 + (4/5) × 1/3 = 3/15 + 4/15 = 7/15
    //   50  5           1 (65)    6  0  1  (5/6) × 7/15 = 7/18
    //   40  6           2         8  1  0  (not needed)
    //   10  7           2         9  1  0  (not needed)
    // Age 45: first t ≥ 45 is 50, n = 6 ≥ 5 → 7/18 (the old closed-only rate: 2 won of the 5
    // closed ≥ 45 = 2/5, which left out the 65-day deal still open).
    // Age 65: first t ≥ 65 is 70, n = 3 < 5 → overall 4/7.
    expectTable(run([...closed, ...open], '2025-04-10'), [
      HEADER,
      // 7/18 + 4/7 = 49/126 + 72/126 = 121/126; 1000 × 7/18 + 700 × 4/7 = 3500/9 + 400 = 7100/9
      ['2025-04', 2, 1700, 121 / 126, 7100 / 9],
      ['2025-05', 1, 70, 4 / 7, 40],
      ['2025-06', 0, 0, 0, 0],
    ]);
    // Without created dates at all: every deal takes won ÷ (won + lost) = 4/7.
    const noDates = [...closed, ...open.slice(0, 3)].map((d) => ({ ...d, created: undefined }));
    expectTable(run(noDates, '2025-04-10', { withCreated: false }), [
      HEADER,
      // 1700 × 4/7 = 6800/7
      ['2025-04', 2, 1700, 8 / 7, 6800 / 7],
      ['2025-05', 1, 70, 4 / 7, 40],
      ['2025-06', 0, 0, 0, 0],
    ]);
  });

  it('counts the deals still open as at risk, which the closed-only rate left out', () => {
    // Five deals won after 10 days each (created 1 Jan, closed 11 Jan); five deals open since
    // 1 Jan (age at 31 Jan: 30) and one open since 26 Jan (age 5). No lost deal: overall 5/5 = 1.
    const deals: Deal[] = [
      ...[1, 2, 3, 4, 5].map(() => ({
        stage: 'Closed Won',
        created: '2025-01-01',
        close: '2025-01-11',
      })),
      ...[1, 2, 3, 4, 5].map(() => ({
        stage: 'Proposal',
        amount: 100,
        created: '2025-01-01',
        close: '2025-02-15',
      })),
      { stage: 'Proposal', amount: 1000, created: '2025-01-26', close: '2025-01-31' },
    ];
    // One event time, t = 10: closed with cycle ≥ 10: 5; open of age ≥ 10: the five of age 30
    // (the age-5 deal is censored at 5) → n = 10, w = 5, l = 0 → W = 5/10 + (1 − 5/10) × 0 = 1/2.
    // Age 5: first t ≥ 5 is 10, n = 10 ≥ 5 → 1/2 (the closed-only rate: 5 won of 5 → 1).
    // Age 30: no won deal stayed open 30 days (of 5 dated won deals) → 0.
    expectTable(run(deals, '2025-01-31'), [
      HEADER,
      // 1000 × 1/2 = 500
      ['2025-01', 1, 1000, 0.5, 500],
      // five × 100, probability 0
      ['2025-02', 5, 500, 0, 0],
      ['2025-03', 0, 0, 0, 0],
    ]);
  });

  it('gives probability 0 when no deal has closed, and still counts the pipeline', () => {
    const deals: Deal[] = [{ stage: 'Prospecting', amount: 250, close: '2025-04-20' }];
    expect(run(deals, '2025-04-10')).toEqual([
      HEADER,
      ['2025-04', 1, 250, 0, 0],
      ['2025-05', 0, 0, 0, 0],
      ['2025-06', 0, 0, 0, 0],
    ]);
  });
});

describe('KPI_PIPELINE_FORECAST core: landing period and amount', () => {
  // A history whose only outcome is a win: every open deal's probability is the overall 1, so
  // forecast won = open deals and these tests see the landing alone.
  const sure = history([['anything', WON]], false);
  // Won cycles (close − created): 20, 30, 50, 100 days; a lost one of 10 days is no won cycle.
  const closed: Deal[] = [
    { stage: 'Closed Won', created: '2025-01-01', close: '2025-01-21' }, // 20
    { stage: 'Closed Won', created: '2025-01-01', close: '2025-01-31' }, // 30
    { stage: 'Closed Won', created: '2025-01-01', close: '2025-02-20' }, // 31 + 19 = 50
    { stage: 'Closed Won', created: '2024-12-01', close: '2025-03-11' }, // 31 + 31 + 28 + 10 = 100
    { stage: 'Closed Lost', created: '2025-01-01', close: '2025-01-11' }, // 10
  ];

  it('lands by the expected close date, else after the median remaining time of won deals', () => {
    const open: Deal[] = [
      // Close 15 Jun, after as_of (10 Apr): June.
      { stage: 'Proposal', amount: 1, close: '2025-06-15', created: '2025-04-01' },
      // Blank close, age 10 Apr − 16 Mar = 15 + 10 = 25: won cycles ≥ 25 are 30, 50, 100 →
      // remaining 5, 25, 75 → median 25 → 10 Apr + 25 = 5 May: May.
      { stage: 'Proposal', amount: 10, created: '2025-03-16' },
      // Overdue (1 Mar), age 10 Apr − 1 Mar = 30 + 10 = 40: cycles ≥ 40 are 50, 100 →
      // remaining 10, 60 → median 35 → 10 Apr + 35 = 15 May: May.
      { stage: 'Proposal', amount: 100, close: '2025-03-01', created: '2025-03-01' },
      // Overdue, age 10 Apr − 1 Oct 2024 = 191 days: no won deal was open that long → as_of's
      // period, April.
      { stage: 'Proposal', amount: 1000, close: '2025-03-31', created: '2024-10-01' },
      // Blank close and no created date: nothing to go on → April.
      { stage: 'Proposal', amount: 10000 },
      // Close 1 Jul: beyond April … June, not in the table.
      { stage: 'Proposal', amount: 100000, close: '2025-07-01', created: '2025-04-01' },
      // Close on as_of itself: not overdue, April.
      { stage: 'Proposal', amount: 1000000, close: '2025-04-10', created: '2025-04-01' },
    ];
    expect(run([...closed, ...open], '2025-04-10', { history: sure })).toEqual([
      HEADER,
      ['2025-04', 3, 1011000, 3, 1011000],
      ['2025-05', 2, 110, 2, 110],
      ['2025-06', 1, 1, 1, 1],
    ]);
  });

  it('lands on as_of + ⌊median⌋ when the median falls between two days', () => {
    // Won cycles 20 and 35. Overdue deal of age 10 Apr − 31 Mar = 10: remaining 10 and 25 →
    // median 17.5 → 10 Apr + 17 = 27 Apr. Weekly: 10 Apr 2025 (Thu) is in ISO week 15 (7–13
    // Apr); Sunday 27 Apr ends week 17 (21–27 Apr) — rounding up would have made it week 18.
    const twoWins: Deal[] = [
      { stage: 'Closed Won', created: '2025-01-01', close: '2025-01-21' }, // 20
      { stage: 'Closed Won', created: '2025-01-01', close: '2025-02-05' }, // 31 + 4 = 35
      { stage: 'Proposal', amount: 7, close: '2025-04-01', created: '2025-03-31' },
    ];
    expect(run(twoWins, '2025-04-10', { history: sure, period: 'week', horizon: 4 })).toEqual([
      HEADER,
      ['2025-W15', 0, 0, 0, 0],
      ['2025-W16', 0, 0, 0, 0],
      ['2025-W17', 1, 7, 1, 7],
      ['2025-W18', 0, 0, 0, 0],
    ]);
  });

  it('fills a blank amount with the average won amount, else 0', () => {
    // Won amounts 300, 500 and one blank → average 400; won 3, lost 1 → probability 3/4.
    const deals: Deal[] = [
      { stage: 'Closed Won', amount: 300, close: '2025-03-01' },
      { stage: 'Closed Won', amount: 500, close: '2025-03-02' },
      { stage: 'Closed Won', close: '2025-03-03' },
      { stage: 'Closed Lost', amount: 10000, close: '2025-03-04' },
      { stage: 'Proposal', close: '2025-04-20' },
    ];
    expect(run(deals, '2025-04-10').slice(0, 2)).toEqual([
      HEADER,
      // pipeline 400; revenue 400 × 3/4 = 300
      ['2025-04', 1, 400, 0.75, 300],
    ]);
    // No won amount known (the lost deal's amount is no won amount): 0; probability 0 of 1.
    const none: Deal[] = [
      { stage: 'Closed Lost', amount: 10000, close: '2025-03-04' },
      { stage: 'Proposal', close: '2025-04-20' },
    ];
    expect(run(none, '2025-04-10')[1]).toEqual(['2025-04', 1, 0, 0, 0]);
  });
});

describe('KPI_PIPELINE_FORECAST core: backtest and arguments', () => {
  it('lands a snapshot observed before the period’s start after the remaining median', () => {
    // Won history rows closed before 1 Jan, durations (closed − observed): 5, 20, 30, 40 days;
    // Rates learned: Proposal won, won, lost → 2/3 (Prospecting won, won and the snapshot-day
    // row lost on 28 Dec → 2/3 too).
    // The snapshot before 1 Jan is observed 20 Dec (age at 1 Jan: 12 days): durations ≥ 12 are
    // 20, 30, 40 → remaining 8, 18, 28 → median 18 → 1 Jan + 18 = 19 Jan: in January.
    const h = history([
      ['Proposal', WON, '2024-11-01', '2024-11-06', 100], // 5
      ['Proposal', WON, '2024-11-01', '2024-11-21', 100], // 20
      ['Prospecting', WON, '2024-11-01', '2024-12-01', 100], // 30
      ['Prospecting', WON, '2024-11-01', '2024-12-11', 100], // 40
      ['Proposal', LOST, '2024-11-01', '2024-12-15', 100],
      ['Proposal', WON, '2024-12-20', '2025-01-19', 600], // snapshot: won in January
      ['Proposal', OPEN, '2024-12-20', '', 300], // snapshot: still open
      ['Prospecting', LOST, '2024-12-20', '2024-12-28', 900], // closed before 1 Jan: not in it
    ]);
    const out = run([], '2025-02-10', { history: h, view: 'backtest', horizon: 1 });
    expectTable(out, [
      [
        'period',
        'forecast conversions',
        'actual conversions',
        'forecast revenue',
        'actual revenue',
        'error',
        'actual ÷ forecast',
      ],
      // forecast 2/3 + 2/3 = 4/3; revenue 2/3 × 600 + 2/3 × 300 = 600; actual 1 won, 600;
      // error (600 − 600) / 600 = 0; actual ÷ forecast 1.
      ['2025-01', 4 / 3, 1, 600, 600, 0, 1],
    ]);
    // Won durations of 40 and 50 days (median 45) put a snapshot observed on 1 Jan on 15 Feb:
    // outside January, so January's forecast is 0 while its actual is 1 win of 600 →
    // error (0 − 600) ÷ 600 = −1, and no actual ÷ forecast.
    const late = history([
      ['Proposal', WON, '2024-11-01', '2024-12-11', 100], // 29 + 11 = 40
      ['Proposal', WON, '2024-11-01', '2024-12-21', 100], // 50
      ['Proposal', LOST, '2024-11-01', '2024-12-15', 100],
      ['Proposal', WON, '2025-01-01', '2025-01-19', 600],
    ]);
    expect(run([], '2025-02-10', { history: late, view: 'backtest', horizon: 1 })[1]).toEqual([
      '2025-01',
      0,
      1,
      0,
      600,
      -1,
      '',
    ]);
  });

  it('counts a snapshot’s age from its observation: only won deals open as long say when', () => {
    // Won durations (closed − observed) before 1 Jan: 5, 6, 7, 50; Proposal 4 won of 4 → 1.
    // The snapshot (observed 20 Dec) is still open on 1 Jan, 12 days on: of the won deals only
    // the 50-day one stayed open that long → remaining 38 → 1 Jan + 38 = 8 Feb. January: nothing
    // lands. February (1 Feb, 43 days on): remaining 50 − 43 = 7 → 8 Feb, in February; the deal
    // was won on 5 Feb for 600.
    const h = history([
      ['Proposal', WON, '2024-11-01', '2024-11-06', 100], // 5
      ['Proposal', WON, '2024-11-01', '2024-11-07', 100], // 6
      ['Proposal', WON, '2024-11-01', '2024-11-08', 100], // 7
      ['Proposal', WON, '2024-11-01', '2024-12-21', 100], // 29 + 21 = 50
      ['Proposal', WON, '2024-12-20', '2025-02-05', 600],
    ]);
    expect(run([], '2025-03-10', { history: h, view: 'backtest', horizon: 2 }).slice(1)).toEqual([
      ['2025-01', 0, 0, 0, 0, '', ''],
      // forecast 1 × 600; error (600 − 600) ÷ 600 = 0; actual ÷ forecast 1
      ['2025-02', 1, 1, 600, 600, 0, 1],
    ]);
  });

  it('refuses a backtest without a dated history and a horizon below 1', () => {
    const deals: Deal[] = [{ stage: 'Proposal', amount: 1, close: '2025-04-20' }];
    const undated = history([['Proposal', WON]], false);
    for (const h of [undefined, undated]) {
      try {
        run(deals, '2025-04-10', { history: h, view: 'backtest' });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(KpiError);
        expect((e as KpiError).code).toBe('noStageHistory');
      }
    }
    expect(() => run(deals, '2025-04-10', { horizon: 0 })).toThrow(
      'horizon row 1: "0" must be a whole number of at least 1',
    );
    expect(() => run(deals, '2025-04-10', { horizon: 601 })).toThrow(/more than the 600/);
  });
});

describe('KPI_PIPELINE_FORECAST core: properties (fast-check)', () => {
  const STAGES = ['Prospecting', 'Proposal', 'Closed Won', 'Closed Lost', 'Disqualified', ''];
  const AS_OF = day('2025-04-10');
  const dayNear = fc.oneof(fc.constant(NO_DAY), fc.integer({ min: AS_OF - 400, max: AS_OF + 200 }));
  const dealArb = fc.record({
    stage: fc.constantFrom(...STAGES),
    amount: fc.oneof(fc.constant(Number.NaN), fc.double({ min: 0, max: 1e7, noNaN: true })),
    close: dayNear,
    created: dayNear,
  });
  const historyArb = fc.option(
    fc.array(
      fc.record({
        stage: fc.constantFrom(...STAGES),
        outcome: fc.constantFrom(WON, LOST, OPEN),
      }),
      { maxLength: 20 },
    ),
    { nil: undefined },
  );
  const inputOf = (
    deals: { stage: string; amount: number; close: number; created: number }[],
    withCreated: boolean,
    hist: { stage: string; outcome: number }[] | undefined,
    horizon: number,
  ): PipelineInput => ({
    stages: deals.map((d) => d.stage),
    amount: Float64Array.from(deals, (d) => d.amount),
    closeDay: Int32Array.from(deals, (d) => d.close),
    createdDay: withCreated ? Int32Array.from(deals, (d) => d.created) : undefined,
    stageOf: stageReader(undefined),
    history: hist
      ? {
          stage: hist.map((r) => r.stage),
          outcome: Int8Array.from(hist, (r) => r.outcome),
        }
      : undefined,
    period: 'month',
    asOfDay: AS_OF,
    view: 'forecast',
    horizon,
  });

  it('is never negative, and forecast ≤ open deals and revenue ≤ pipeline in every row', () => {
    fc.assert(
      fc.property(
        fc.array(dealArb, { maxLength: 40 }),
        fc.boolean(),
        historyArb,
        fc.integer({ min: 1, max: 8 }),
        (deals, withCreated, hist, horizon) => {
          const out = pipelineForecast(inputOf(deals, withCreated, hist, horizon));
          expect(out.length).toBe(horizon + 1);
          let pipeline = 0;
          let revenue = 0;
          for (const row of out.slice(1)) {
            const [, n, p, w, r] = row as [string, number, number, number, number];
            for (const v of [n, p, w, r]) expect(v).toBeGreaterThanOrEqual(0);
            expect(w).toBeLessThanOrEqual(n);
            expect(r).toBeLessThanOrEqual(p);
            pipeline += p;
            revenue += r;
          }
          expect(revenue).toBeLessThanOrEqual(pipeline);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('forecasts the whole pipeline in range when every closed deal was won (no ages)', () => {
    const wonOnly = dealArb.filter((d) => d.stage !== 'Closed Lost');
    fc.assert(
      fc.property(
        fc.array(wonOnly, { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        (deals, withCreated, horizon) => {
          // At least one win, so the overall rate (and a stage's) is won ÷ closed = 1. Not the
          // age rate: the deals still open are at risk too, so W < 1 where they weigh in (and 0
          // past every won cycle) — the created dates are left out here.
          const all = [
            { stage: 'Closed Won', amount: 1, close: NO_DAY, created: NO_DAY },
            ...deals,
          ];
          const out = pipelineForecast(inputOf(all, false, undefined, horizon));
          for (const row of out.slice(1)) {
            expect(row[3]).toBe(row[1]);
            expect(row[4]).toBe(row[2]);
          }
          // The same with a history whose every outcome is a win.
          const hist = [{ stage: 'Proposal', outcome: WON }];
          const withHistory = pipelineForecast(inputOf(deals, withCreated, hist, horizon));
          for (const row of withHistory.slice(1)) {
            expect(row[3]).toBe(row[1]);
            expect(row[4]).toBe(row[2]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('pipeline: deals a lead tab cannot date, and deals older than any win', () => {
  // A lead tab: won rows dated (created → won date), lost rows undated, leads and MQLs not deals.
  // Six won deals took 10, 20, 30, 40, 50 and 60 days; four lost deals carry no closing date.
  const won = [10, 20, 30, 40, 50, 60].map((d) => ({
    stage: 'Closed Won',
    amount: 100,
    created: '2025-01-01',
    close: `2025-${d < 31 ? '01' : d < 59 ? '02' : '03'}-${String(d < 31 ? 1 + d : d < 59 ? d - 30 : d - 58).padStart(2, '0')}`,
  }));
  const lost = [1, 2, 3, 4].map(() => ({ stage: 'Closed Lost', created: '2025-01-01' }));
  const notDeals = [
    { stage: 'MQL', created: '2025-06-01' },
    { stage: 'New', created: '2025-06-01' },
  ];

  it('skips leads and MQLs, uses the overall rate when lost deals are undated, and 0 past every win', () => {
    const deals = [
      ...won,
      ...lost,
      ...notDeals,
      // Open 5 days at as_of (15 June): won deals open ≥ 5 days: all six; the lost are undated,
      // so the age rule would see only wins (6 ÷ 6) — the overall rate 6 ÷ (6 + 4) = 0.6 instead.
      { stage: 'Proposal', amount: 1000, created: '2025-06-10', close: '2025-06-30' },
      // Open 100 days: no won deal stayed open that long (the longest took 60): 0.
      { stage: 'Proposal', amount: 1000, created: '2025-03-07', close: '2025-06-30' },
    ];
    expectTable(run(deals, '2025-06-15'), [
      HEADER,
      // Two open deals in June (the MQL and the New lead are not deals): 0.6 + 0 won,
      // revenue 0.6 × 1000.
      ['2025-06', 2, 2000, 0.6, 600],
      ['2025-07', 0, 0, 0, 0],
      ['2025-08', 0, 0, 0, 0],
    ]);
  });
});
