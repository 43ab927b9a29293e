/**
 * KPI_COHORT_FORECAST's backtest on export-shaped fixtures (issue 24): a lead export with created
 * and won dates and amounts, a Salesforce opportunity report (won = Stage "Closed Won", dated by
 * its Close Date) and a Japanese SFA 商談 export. Each export is loaded into the local runtime in
 * its team's locale, the formula is typed in a cell, and the table it spills must equal a backtest
 * computed here from the export's text rows by a plain, separate implementation of the method —
 * months as 'YYYY-MM' strings, objects and loops, nothing shared with src/ — first checked by hand
 * on a tiny worked example. One line per fixture prints the backtest's MAPE and bias.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import {
  ACTIVITY_LEAD_HEADERS,
  activityLog,
  type CrmFixture,
  FIXTURE_TIME_ZONE,
  JAPANESE_HEADERS,
  japaneseDeals,
  SALESFORCE_HEADERS,
  salesforceOpportunities,
} from '../fixtures/crm';
import { col, loadBundle } from '../helpers/gas';

// ---- the method, written plainly -------------------------------------------------------------

/** One exported row: dates as 'YYYY-MM-DD' ('' for none), the won amount (null for none). */
interface PlainRow {
  created: string;
  won: string;
  amount: number | null;
}

interface PlainBacktestRow {
  month: string;
  forecast: number;
  actual: number;
  forecastRevenue: number | null;
  actualRevenue: number | null;
  error: number | null;
  ratio: number | null;
}

const monthOf = (date: string): string => date.slice(0, 7);
const monthNumber = (month: string): number =>
  Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthName = (n: number): string =>
  `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
/** Months from `from` to `to` (negative when `to` is earlier). */
const monthsBetween = (from: string, to: string): number => monthNumber(to) - monthNumber(from);
const addMonths = (month: string, k: number): string => monthName(monthNumber(month) + k);

/**
 * The backtest of the last `horizon` completed months before as_of's month T. For each month P:
 *  - what was known at P's start: leads created before P, conversions dated before P;
 *  - rate(k) = conversions at age k ÷ leads, over the cohorts (lead months) c with c + k < P
 *    (age = conversion month − lead month; a conversion dated before its lead is age 0);
 *    0 when no cohort qualifies;
 *  - forecast(P) = Σ over cohorts c < P of leads(c) × rate(P − c);
 *  - actual(P) = every conversion dated in P (the period's own leads too: what the method
 *    leaves out shows in its error);
 *  - revenue: forecast × the average amount of the conversions dated before P; actual = the sum
 *    of their amounts; the error is on revenue when amounts are given, else on conversions.
 * Only months from the second after the first lead month are backtested: before that no cohort
 * can contribute (a cohort of age k ≥ 1 needs an older one that completed age k).
 */
function plainBacktest(
  rows: PlainRow[],
  asOf: string,
  horizon: number,
  withAmounts: boolean,
): PlainBacktestRow[] {
  const T = monthOf(asOf);
  const leads = rows.filter((r) => r.created !== '' && r.created <= asOf);
  const wins = rows.filter((r) => r.won !== '' && r.won <= asOf);
  if (leads.length === 0) return [];
  let first = monthOf(leads[0].created);
  for (const r of leads) if (monthOf(r.created) < first) first = monthOf(r.created);

  const out: PlainBacktestRow[] = [];
  let start = addMonths(T, -horizon);
  if (start <= addMonths(first, 1)) start = addMonths(first, 2);
  for (let P = start; P < T; P = addMonths(P, 1)) {
    // Leads per cohort before P, and each converted lead's age.
    const leadsIn: Record<string, number> = {};
    for (const r of leads) {
      const c = monthOf(r.created);
      if (c < P) leadsIn[c] = (leadsIn[c] ?? 0) + 1;
    }
    const rate = (k: number): number => {
      let exposure = 0;
      let converted = 0;
      for (const c of Object.keys(leadsIn)) {
        if (monthsBetween(c, P) > k) exposure += leadsIn[c];
      }
      for (const r of leads) {
        const c = monthOf(r.created);
        if (r.won === '' || r.won > asOf || !(monthsBetween(c, P) > k)) continue;
        const age = Math.max(0, monthsBetween(c, monthOf(r.won)));
        if (age === k) converted++;
      }
      return exposure > 0 ? converted / exposure : 0;
    };
    let forecast = 0;
    for (const c of Object.keys(leadsIn)) forecast += leadsIn[c] * rate(monthsBetween(c, P));

    let actual = 0;
    let actualRevenue = 0;
    let amountSum = 0;
    let amountCount = 0;
    for (const r of wins) {
      const w = monthOf(r.won);
      if (w === P) {
        actual++;
        if (r.amount !== null) actualRevenue += r.amount;
      }
      if (w < P && r.amount !== null) {
        amountSum += r.amount;
        amountCount++;
      }
    }
    const average = amountCount > 0 ? amountSum / amountCount : null;
    const forecastRevenue = withAmounts && average !== null ? forecast * average : null;
    const f = withAmounts ? forecastRevenue : forecast;
    const a = withAmounts ? actualRevenue : actual;
    out.push({
      month: P,
      forecast,
      actual,
      forecastRevenue,
      actualRevenue: withAmounts ? actualRevenue : null,
      error: f !== null && a > 0 ? (f - a) / a : null,
      ratio: f !== null && f > 0 ? a / f : null,
    });
  }
  return out;
}

/** MAPE = mean |error| over the rows with an error; bias = Σ(forecast − actual) ÷ Σ actual. */
function scores(rows: { f: number | null; a: number | null; error: number | null }[]): {
  mape: number;
  bias: number;
} {
  const errors = rows.filter((r) => r.error !== null).map((r) => Math.abs(r.error as number));
  let over = 0;
  let actual = 0;
  for (const r of rows) {
    if (r.f === null || r.a === null) continue;
    over += r.f - r.a;
    actual += r.a;
  }
  return { mape: errors.reduce((x, y) => x + y, 0) / errors.length, bias: over / actual };
}

const plainScores = (rows: PlainBacktestRow[], withAmounts: boolean) =>
  scores(
    rows.map((r) =>
      withAmounts
        ? { f: r.forecastRevenue, a: r.actualRevenue, error: r.error }
        : { f: r.forecast, a: r.actual, error: r.error },
    ),
  );

/** The plain backtest as the function's table body ('' for none). */
const asTable = (rows: PlainBacktestRow[]): (string | number)[][] =>
  rows.map((r) => [
    r.month,
    r.forecast,
    r.actual,
    r.forecastRevenue ?? '',
    r.actualRevenue ?? '',
    r.error ?? '',
    r.ratio ?? '',
  ]);

function expectSameTable(actual: unknown[][], expected: (string | number)[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i].length);
    row.forEach((v, j) => {
      const e = expected[i][j];
      if (typeof e !== 'number') expect(v, `row ${i + 1} col ${j + 1}`).toBe(e);
      else if (Math.abs(e) < 1) expect(v as number, `row ${i + 1} col ${j + 1}`).toBeCloseTo(e, 9);
      // Revenue (thousands to millions): the same 9 significant decimals, relative.
      else expect((v as number) / e, `row ${i + 1} col ${j + 1}`).toBeCloseTo(1, 9);
    });
  });
}

// ---- a tiny worked example, checked by hand --------------------------------------------------

describe('the plain backtest, on a worked example checked by hand', () => {
  // as_of 10 Apr 2025 (T = April), horizon 2: March is backtested (February, the month after the
  // first cohort, could only ever show 0: no cohort has completed an age before it).
  const rows: PlainRow[] = [
    { created: '2025-01-05', won: '2025-01-20', amount: 100 }, // a: Jan → age 0
    { created: '2025-01-10', won: '2025-02-15', amount: 300 }, // b: Jan → age 1
    { created: '2025-01-12', won: '', amount: null }, //          c: Jan
    { created: '2025-01-30', won: '2025-03-02', amount: 250 }, // d: Jan → age 2
    { created: '2025-02-03', won: '2025-02-25', amount: 200 }, // e: Feb → age 0
    { created: '2025-02-14', won: '2025-03-09', amount: 400 }, // f: Feb → age 1
    { created: '2025-03-01', won: '', amount: null }, //          g: Mar
    { created: '2025-03-20', won: '2025-04-02', amount: 500 }, // h: Mar → won in T
  ];
  /*
   * (February would be Jan 4 × rate(1), and no cohort has completed age 1 before February: 0
   *   whatever the data — not backtested.)
   * March: cohorts Jan (4), Feb (2). rate(0) = (a + e) ÷ 6 = 1/3; rate(1) = b ÷ 4 = 1/4;
   *   rate(2): none completed → 0. Forecast = Jan 4 × 0 + Feb 2 × 1/4 = 1/2.
   *   Actual: d (Jan), f (Feb) = 2, revenue 250 + 400 = 650.
   *   Average before Mar: (100 + 300 + 200) ÷ 3 = 200 → forecast revenue 1/2 × 200 = 100.
   *   Error (100 − 650) ÷ 650 = −11/13; actual ÷ forecast = 650/100 = 6.5.
   * MAPE = 11/13 (one period). Bias = (100 − 650) ÷ 650 = −11/13.
   * On conversions: Mar (1/2 − 2)/2 = −3/4, ratio 2 ÷ 1/2 = 4; MAPE = 3/4; bias = −3/4.
   */
  const byHand: (string | number)[][] = [['2025-03', 1 / 2, 2, 100, 650, -11 / 13, 6.5]];

  it('gives the hand-worked table, MAPE and bias', () => {
    const plain = plainBacktest(rows, '2025-04-10', 2, true);
    expectSameTable(asTable(plain), byHand);
    const s = plainScores(plain, true);
    expect(s.mape).toBeCloseTo(11 / 13, 12);
    expect(s.bias).toBeCloseTo(-11 / 13, 12);

    const counts = plainBacktest(rows, '2025-04-10', 2, false);
    expectSameTable(asTable(counts), [['2025-03', 1 / 2, 2, '', '', -3 / 4, 4]]);
    const c = plainScores(counts, false);
    expect(c.mape).toBeCloseTo(3 / 4, 12);
    expect(c.bias).toBeCloseTo(-3 / 4, 12);
    // A longer horizon reaches back to March only (the second month after the first cohort).
    expect(plainBacktest(rows, '2025-04-10', 6, true).map((r) => r.month)).toEqual(['2025-03']);
  });

  it('is what the bundle prints for the same rows', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    const text = (s: string) => (s === '' ? "''" : `'${s}'`);
    const out = gas.call<unknown[][]>(
      'KPI_COHORT_FORECAST',
      col(...rows.map((r) => text(r.created))),
      col(...rows.map((r) => text(r.won))),
      "'2025-04-10'",
      "'month'",
      '2',
      col(...rows.map((r) => (r.amount === null ? "''" : String(r.amount)))),
      "''",
      "'backtest'",
    );
    expectSameTable(out.slice(1), byHand);
  });
});

// ---- the fixtures ----------------------------------------------------------------------------

/** 'YYYY-MM-DD' of a text date: year first (2025-04-01, 2025/4/1 10:23) or US month first. */
function plainDate(text: string, order: 'ymd' | 'mdy'): string {
  const m = /^(\d{1,4})[/-](\d{1,2})[/-](\d{1,4})/.exec(text.trim());
  if (!m) {
    if (text.trim() === '') return '';
    throw new Error(`not a date in the fixture: ${text}`);
  }
  const [y, mo, d] = order === 'ymd' ? [m[1], m[2], m[3]] : [m[3], m[1], m[2]];
  return `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** 12250 from "USD 12,250.00", "$12,300", "¥1,230,000", "1230000"; null when blank. */
function plainAmount(text: string): number | null {
  const digits = text.replace(/[^0-9.]/g, '');
  return digits === '' ? null : Number(digits);
}

const letter = (headers: readonly string[], name: string): string => {
  const i = headers.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return String.fromCharCode(65 + i);
};

interface Case {
  fixture: () => CrmFixture;
  tab: string;
  /** The formula a user types (header language and words of the fixture's locale). */
  formula: string;
  asOf: string;
  horizon: number;
  /** The export's text rows → plain rows. */
  rows: (fx: CrmFixture) => PlainRow[];
}

/** The data rows (below the header) of a tab's text, by column name. */
function records(fx: CrmFixture, tab: string): Record<string, string>[] {
  const sheet = fx.tabs.find((t) => t.name === tab);
  if (!sheet) throw new Error(`${fx.id}: no tab ${tab}`);
  const headerRow = fx.headerRow[tab];
  const header = sheet.rows[headerRow - 1] as string[];
  return sheet.rows
    .slice(headerRow)
    .map((r) => Object.fromEntries(header.map((h, i) => [h, String(r[i] ?? '')])));
}

const L = (name: string) => letter(ACTIVITY_LEAD_HEADERS, name);
const S = (name: string) => letter(SALESFORCE_HEADERS, name);
const J = (name: string) => letter(JAPANESE_HEADERS, name);

const CASES: Case[] = [
  {
    // A lead export: Created, Won date, Amount ("$12,300" or "12300"); ISO dates.
    fixture: activityLog,
    tab: 'Leads',
    formula: `=KPI_COHORT_FORECAST(Leads!${L('Created')}2:${L('Created')}, Leads!${L('Won date')}2:${L('Won date')}, DATE(2025,9,30), "month", 6, Leads!${L('Amount')}2:${L('Amount')}, "", "backtest")`,
    asOf: '2025-09-30',
    horizon: 6,
    rows: (fx) =>
      records(fx, 'Leads').map((r) => ({
        created: plainDate(r.Created, 'ymd'),
        won: plainDate(r['Won date'], 'ymd'),
        amount: plainAmount(r.Amount),
      })),
  },
  {
    // An opportunity report: won = Stage "Closed Won" (any case or trailing space, as Sheets'
    // = and TRIM read it), dated by its Close Date (set for lost deals too); US dates.
    fixture: salesforceOpportunities,
    tab: 'Opportunities',
    formula: `=KPI_COHORT_FORECAST(Opportunities!${S('Created Date')}2:${S('Created Date')}, ARRAYFORMULA(IF(TRIM(Opportunities!${S('Stage')}2:${S('Stage')})="Closed Won", Opportunities!${S('Close Date')}2:${S('Close Date')}, "")), DATE(2017,6,14), "month", 6, Opportunities!${S('Amount')}2:${S('Amount')}, "", "backtest")`,
    asOf: '2017-06-14',
    horizon: 6,
    rows: (fx) =>
      records(fx, 'Opportunities').map((r) => ({
        created: plainDate(r['Created Date'], 'mdy'),
        won: r.Stage.trim().toLowerCase() === 'closed won' ? plainDate(r['Close Date'], 'mdy') : '',
        amount: plainAmount(r.Amount),
      })),
  },
  {
    // A Japanese SFA export (title row above the header, ja_JP): 作成日時 is a date-time, 受注日
    // hand-typed (some unpadded, a few left blank), 金額 with ¥, ￥ or none; Japanese words.
    fixture: japaneseDeals,
    tab: '商談',
    formula: `=KPI_COHORT_FORECAST('商談'!${J('作成日時')}3:${J('作成日時')}, '商談'!${J('受注日')}3:${J('受注日')}, DATE(2025,9,30), "月", 8, '商談'!${J('金額')}3:${J('金額')}, "", "バックテスト")`,
    asOf: '2025-09-30',
    horizon: 8,
    rows: (fx) =>
      records(fx, '商談').map((r) => ({
        created: plainDate(r.作成日時, 'ymd'),
        won: plainDate(r.受注日, 'ymd'),
        amount: plainAmount(r.金額),
      })),
  },
];

describe('KPI_COHORT_FORECAST backtest on export-shaped fixtures (typed in a cell)', () => {
  it.each(CASES.map((c) => [c.fixture().id, c] as const))('%s', (_id, c) => {
    const fx = c.fixture();
    const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: fx.locale });
    rt.loadSheets(fx.tabs);
    const sheet = rt.spreadsheet.self.insertSheet('Backtest');
    sheet.getRange('A1').setFormula(c.formula);
    const id = rt.wb.sheetId('Backtest') as number;
    const spilled = rt.wb.getValues(id, 1, 1, c.horizon + 2, 7) as unknown[][];

    const plain = plainBacktest(c.rows(fx), c.asOf, c.horizon, true);
    // Enough history for a full backtest, with conversions and revenue in every month.
    expect(plain.length).toBe(c.horizon);
    for (const r of plain) expect(r.actual).toBeGreaterThan(0);
    expect(spilled[0]).toEqual(
      fx.locale === 'ja_JP'
        ? [
            '期間',
            '転換数（予測）',
            '転換数（実績）',
            '売上（予測）',
            '売上（実績）',
            '誤差',
            '実績÷予測',
          ]
        : [
            'period',
            'forecast conversions',
            'actual conversions',
            'forecast revenue',
            'actual revenue',
            'error',
            'actual ÷ forecast',
          ],
    );
    expectSameTable(spilled.slice(1, 1 + plain.length), asTable(plain));
    // Nothing below the table.
    expect(spilled[1 + plain.length]).toEqual(['', '', '', '', '', '', '']);

    const printed = scores(
      spilled.slice(1, 1 + plain.length).map((r) => ({
        f: r[3] === '' ? null : (r[3] as number),
        a: r[4] === '' ? null : (r[4] as number),
        error: r[5] === '' ? null : (r[5] as number),
      })),
    );
    const expected = plainScores(plain, true);
    expect(printed.mape).toBeCloseTo(expected.mape, 9);
    expect(printed.bias).toBeCloseTo(expected.bias, 9);
    console.log(
      `${fx.id}: backtest of ${plain.length} months to ${c.asOf}: MAPE ${(printed.mape * 100).toFixed(1)} %, bias ${(printed.bias * 100).toFixed(1)} % (revenue)`,
    );
  });
});
