/**
 * KPI_COHORT_FORECAST through the built bundle (issue 24): the sheet in Asia/Tokyo, this process
 * in UTC, Date cells made inside the bundle's realm. A small worked example whose whole forecast
 * and backtest tables are worked out by hand below; English and Japanese headers; the errors a
 * user meets, in both languages; open-ended ranges.
 */
import { describe, expect, it } from 'vitest';
import { col, loadBundle, tokyo } from '../helpers/gas';

/** Same shape; strings equal; numbers equal to 12 decimals (the hand values are fractions). */
function expectTable(actual: unknown, expected: (string | number)[][]): void {
  const rows = actual as unknown[][];
  expect(rows.length).toBe(expected.length);
  rows.forEach((row, i) => {
    expect(row.length).toBe(expected[i].length);
    row.forEach((v, j) => {
      const e = expected[i][j];
      if (typeof e === 'number') {
        expect(typeof v, `row ${i} col ${j}`).toBe('number');
        expect(v as number, `row ${i} col ${j}`).toBeCloseTo(e, 12);
      } else expect(v, `row ${i} col ${j}`).toBe(e);
    });
  });
}

/*
 * Eleven leads over January … May 2025 (Tokyo wall-clock times), as_of 15 May: T = May.
 *
 *   lead  created            converted          amount   cohort → age
 *   L1    6 Jan 10:00        20 Jan             100      Jan → 0
 *   L2    15 Jan             10 Feb             200      Jan → 1
 *   L3    25 Jan             12 Mar             150      Jan → 2
 *   L4    28 Jan             8 May              900      Jan → 4 (in T: not learnt from)
 *   L5    1 Feb 00:30        5 Mar              300      Feb → 1
 *   L6    2025/2/20 (text)   —                   —       Feb
 *   L7    3 Mar              25 Mar             400      Mar → 0
 *   L8    18 Mar             1 Apr 00:30        500      Mar → 1
 *   L9    10 Apr             28 Apr             600      Apr → 0
 *   L10   22 Apr             20 May             700      after as_of: not known
 *   L11   2 May              10 May             800      May (T's own lead: not forecast)
 *
 * 1 Feb 00:30 Tokyo is 31 Jan 15:30 UTC and 1 Apr 00:30 Tokyo is 31 Mar 15:30 UTC: bucketed in
 * UTC, L5 would be a January lead and L8 a March conversion (age 0), and every number below
 * would change.
 *
 * Leads per cohort: Jan 4, Feb 2, Mar 2, Apr 2 (May 1).
 */
const created = col(
  tokyo(2025, 1, 6, 10),
  tokyo(2025, 1, 15),
  tokyo(2025, 1, 25),
  tokyo(2025, 1, 28),
  tokyo(2025, 2, 1, 0, 30),
  "'2025/2/20'",
  tokyo(2025, 3, 3),
  tokyo(2025, 3, 18),
  tokyo(2025, 4, 10),
  tokyo(2025, 4, 22),
  tokyo(2025, 5, 2),
);
const converted = col(
  tokyo(2025, 1, 20),
  tokyo(2025, 2, 10),
  tokyo(2025, 3, 12),
  tokyo(2025, 5, 8),
  tokyo(2025, 3, 5),
  "''",
  tokyo(2025, 3, 25),
  tokyo(2025, 4, 1, 0, 30),
  tokyo(2025, 4, 28),
  tokyo(2025, 5, 20),
  tokyo(2025, 5, 10),
);
const amounts = col('100', '200', '150', '900', '300', "''", '400', '500', '600', '700', '800');
const asOf = tokyo(2025, 5, 15);

/*
 * Forecast at the start of May, from what was known before May:
 *   r_0 = age-0 conversions ÷ leads of Jan…Apr = (L1 + L7 + L9) ÷ (4+2+2+2) = 3/10
 *   r_1 = age-1 ÷ leads of Jan…Mar            = (L2 + L5 + L8) ÷ (4+2+2)   = 3/8
 *   r_2 = age-2 ÷ leads of Jan, Feb           = L3 ÷ (4+2)                 = 1/6
 *   r_3 = age-3 ÷ leads of Jan                = 0 ÷ 4                      = 0
 *   (age 4: no cohort has completed it: adds nothing)
 *   May  = Jan×(age 4: —) + Feb×r_3 + Mar×r_2 + Apr×r_1 = 0 + 0 + 2/6 + 2×3/8 = 13/12
 *   June = Feb (age 4: —) + Mar×r_3 + Apr×r_2           = 0 + 2/6               = 1/3
 *   July = Mar (age 4: —) + Apr×r_3                     = 0
 * Average amount of the conversions dated before May: L1, L2, L3, L5, L7, L8, L9 =
 *   (100+200+150+300+400+500+600) ÷ 7 = 2250/7. Actual so far in May: L4 and L11 (L10 is after
 *   as_of) = 2 conversions, 900 + 800 = 1700.
 */
const AVG_MAY = 2250 / 7;
const FORECAST: (string | number)[][] = [
  ['2025-05', 13 / 12, (13 / 12) * AVG_MAY, 2, 1700],
  ['2025-06', 1 / 3, (1 / 3) * AVG_MAY, '', ''],
  ['2025-07', 0, 0, '', ''],
];

/*
 * Backtest: the completed periods Mar and Apr (before March no cohort had completed an age that
 * a younger one could take: February's forecast would be 0 whatever the data, so it is not shown),
 * each forecast from what was known at its start; actual = every conversion dated in it (the
 * period's own leads too: what the forecast leaves out shows in its error); error = (forecast −
 * actual) ÷ actual on revenue (amounts given).
 *   Mar: r_0 = L1 ÷ (4+2) = 1/6, r_1 = L2 ÷ 4 = 1/4. Mar = Jan (age 2: —) + Feb×r_1 = 2/4 = 1/2.
 *        Actual: L3, L5 and March's own L7 → 3, 150 + 300 + 400 = 850.
 *        Average before Mar: (100+200)/2 = 150 → forecast revenue 75.
 *        Error (75 − 850) ÷ 850 = −775/850 = −31/34; actual ÷ forecast = 850/75 = 34/3.
 *   Apr: r_0 = (L1 + L7) ÷ (4+2+2) = 1/4, r_1 = (L2 + L5) ÷ (4+2) = 1/3, r_2 = L3 ÷ 4 = 1/4.
 *        Apr = Jan (age 3: —) + Feb×r_2 + Mar×r_1 = 2/4 + 2/3 = 7/6.
 *        Actual: L8 (1 Apr 00:30 in Tokyo) and April's own L9 → 2, 500 + 600 = 1100.
 *        Average before Apr: (100+200+150+300+400)/5 = 230 → forecast revenue 7/6 × 230 = 805/3.
 *        Error (805/3 − 1100) ÷ 1100 = −2495/3300 = −499/660; actual ÷ forecast = 3300/805 =
 *        660/161.
 */
const BACKTEST: (string | number)[][] = [
  ['2025-03', 1 / 2, 3, 75, 850, -31 / 34, 34 / 3],
  ['2025-04', 7 / 6, 2, 805 / 3, 1100, -499 / 660, 660 / 161],
];
/* Without amounts the error is on conversions: Mar (1/2 − 3)/3 = −5/6,
 * actual ÷ forecast 3 ÷ 1/2 = 6; Apr (7/6 − 2)/2 = −5/12, 2 ÷ 7/6 = 12/7. */
const BACKTEST_COUNTS: (string | number)[][] = [
  ['2025-03', 1 / 2, 3, '', '', -5 / 6, 6],
  ['2025-04', 7 / 6, 2, '', '', -5 / 12, 12 / 7],
];

const EN_FORECAST = [
  'period',
  'forecast conversions',
  'forecast revenue',
  'actual conversions',
  'actual revenue',
];
const EN_BACKTEST = [
  'period',
  'forecast conversions',
  'actual conversions',
  'forecast revenue',
  'actual revenue',
  'error',
  'actual ÷ forecast',
];
const JA_FORECAST = ['期間', '転換数（予測）', '売上（予測）', '転換数（実績）', '売上（実績）'];
const JA_BACKTEST = [
  '期間',
  '転換数（予測）',
  '転換数（実績）',
  '売上（予測）',
  '売上（実績）',
  '誤差',
  '実績÷予測',
];

describe('KPI_COHORT_FORECAST in the bundle (Tokyo sheet, UTC process)', () => {
  it('forecasts the worked example, bucketed by the Tokyo calendar (en_US headers)', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    expectTable(
      gas.call('KPI_COHORT_FORECAST', created, converted, asOf, "'month'", '3', amounts),
      [EN_FORECAST, ...FORECAST],
    );
    // The defaults are month and 3 periods; as_of may be text.
    expectTable(
      gas.call('KPI_COHORT_FORECAST', created, converted, "'2025-05-15'", "''", "''", amounts),
      [EN_FORECAST, ...FORECAST],
    );
    // Without amounts: no revenue.
    expectTable(gas.call('KPI_COHORT_FORECAST', created, converted, asOf), [
      EN_FORECAST,
      ...FORECAST.map((r) => [r[0], r[1], '', r[3], '']),
    ]);
  });

  it('adds the planned new leads with the same development', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    // 10 leads a month from May: in May at age 0 (10 × 3/10 = 3); in June May's at age 1 and
    // June's at age 0 (10 × (3/10 + 3/8) = 6.75); in July ages 2, 1, 0 (10 × (3/10 + 3/8 + 1/6)
    // = 101/12).
    const plan = [3, 6.75, 101 / 12];
    expectTable(
      gas.call('KPI_COHORT_FORECAST', created, converted, asOf, "'month'", '3', amounts, '10'),
      [
        EN_FORECAST,
        ...FORECAST.map((r, i) => {
          const f = (r[1] as number) + plan[i];
          return [r[0], f, f * AVG_MAY, r[3], r[4]];
        }),
      ],
    );
  });

  it('backtests the worked example: error on revenue, or on conversions without amounts', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    expectTable(
      gas.call(
        'KPI_COHORT_FORECAST',
        created,
        converted,
        asOf,
        "'month'",
        '3',
        amounts,
        "''",
        "'backtest'",
      ),
      [EN_BACKTEST, ...BACKTEST],
    );
    // Default horizon (6): still only Mar and Apr, the completed periods a cohort can reach.
    expectTable(
      gas.call(
        'KPI_COHORT_FORECAST',
        created,
        converted,
        asOf,
        "''",
        "''",
        amounts,
        "''",
        "'backtest'",
      ),
      [EN_BACKTEST, ...BACKTEST],
    );
    // horizon 1: the last completed period.
    expectTable(
      gas.call(
        'KPI_COHORT_FORECAST',
        created,
        converted,
        asOf,
        "''",
        '1',
        amounts,
        "''",
        "'backtest'",
      ),
      [EN_BACKTEST, ...BACKTEST.slice(1)],
    );
    expectTable(
      gas.call(
        'KPI_COHORT_FORECAST',
        created,
        converted,
        asOf,
        "''",
        "''",
        "''",
        "''",
        "'backtest'",
      ),
      [EN_BACKTEST, ...BACKTEST_COUNTS],
    );
  });

  it('gives Japanese headers on a ja_JP sheet, with Japanese argument words', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    expectTable(
      gas.call('KPI_COHORT_FORECAST', created, converted, "'2025/05/15'", "'月'", '3', amounts),
      [JA_FORECAST, ...FORECAST],
    );
    expectTable(
      gas.call(
        'KPI_COHORT_FORECAST',
        created,
        converted,
        asOf,
        "'月次'",
        "''",
        amounts,
        "''",
        "'バックテスト'",
      ),
      [JA_BACKTEST, ...BACKTEST],
    );
  });

  it('accepts open-ended ranges (trailing blank rows, different heights)', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    // Leads!B2:B beside Leads!K2:K500 and Leads!L2:L: blank rows past the data are ignored.
    const blanks = (n: number) => Array.from({ length: n }, () => "''");
    const open = (range: string, n: number) =>
      `${range.slice(0, -1)}, ${blanks(n)
        .map((b) => `[${b}]`)
        .join(', ')}]`;
    expectTable(
      gas.call(
        'KPI_COHORT_FORECAST',
        open(created, 5),
        open(converted, 40),
        asOf,
        "'month'",
        '3',
        open(amounts, 2),
      ),
      [EN_FORECAST, ...FORECAST],
    );
  });

  it('bad_cells "skip" leaves unreadable cells out, as the generated sheets ask; "error" names them', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    // L6 (not converted) with an amount typed as "TBD": its amount is never used, so skipping it
    // gives the worked example's table; the default names the cell.
    const tbd = col('100', '200', '150', '900', '300', "'TBD'", '400', '500', '600', '700', '800');
    const args = [created, converted, asOf, "'month'", '3', tbd, "''", "''"];
    expectTable(gas.call('KPI_COHORT_FORECAST', ...args, "'skip'"), [EN_FORECAST, ...FORECAST]);
    expect(() => gas.call('KPI_COHORT_FORECAST', ...args)).toThrow(
      'amounts row 6: "TBD" is not a number',
    );
    expect(() => gas.call('KPI_COHORT_FORECAST', ...args, "'sometimes'")).toThrow(
      'bad_cells: "sometimes" is not valid',
    );
  });

  describe('errors, in English and in Japanese', () => {
    const en = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    const ja = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    const both = (args: string[], enMessage: string, jaMessage: string) => {
      expect(() => en.call('KPI_COHORT_FORECAST', ...args)).toThrow(enMessage);
      expect(() => ja.call('KPI_COHORT_FORECAST', ...args)).toThrow(jaMessage);
    };

    it('as_of is required (no TODAY() inside the function)', () => {
      both([created, converted, "''"], 'as_of is required', 'as_of を指定してください');
      both([created, converted, col("''")], 'as_of is required', 'as_of を指定してください');
    });

    it('names the created_dates row and value that is not a date', () => {
      const bad = col(tokyo(2025, 1, 6), tokyo(2025, 1, 7), "'next week'", tokyo(2025, 2, 1));
      const conv = col("''", "''", "''", "''");
      both(
        [bad, conv, asOf],
        'created_dates row 3: "next week" is not a date',
        'created_dates 3行目: "next week" は日付ではありません',
      );
    });

    it('refuses horizon 0', () => {
      both(
        [created, converted, asOf, "'month'", '0'],
        'horizon row 1: "0" must be a whole number of at least 1',
        'horizon 1行目: "0" は1以上の整数にしてください',
      );
    });

    it('refuses ranges of different heights when the longer one has data past the shorter', () => {
      const three = col(tokyo(2025, 1, 6), tokyo(2025, 1, 7), tokyo(2025, 1, 8));
      const two = col("''", tokyo(2025, 2, 1));
      both(
        [three, two, asOf],
        'conversion_dates has 2 rows but created_dates has 3: the ranges must be the same height',
        'conversion_dates は2行、created_dates は3行です。範囲の行数をそろえてください',
      );
    });
  });
});
