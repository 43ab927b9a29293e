/**
 * KPI_PIPELINE_FORECAST through the built bundle: the sheet in Asia/Tokyo, this process in UTC,
 * an opportunity export's columns (Stage, Amount, Close Date, Created Date) with Salesforce's
 * stage names. Every expected table is worked out here by hand.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { col, type Gas, loadBundle, tokyo } from '../helpers/gas';

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Same shape, same text, numbers equal to 9 digits. */
function expectTable(actual: unknown[][], expected: unknown[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => {
    expect(row.length).toBe(expected[r].length);
    row.forEach((v, c) => {
      const e = expected[r][c];
      if (typeof e === 'number' && typeof v === 'number') expect(v).toBeCloseTo(e, 9);
      else expect(v).toEqual(e);
    });
  });
}

/** A two-dimensional range from rows of cell codes. */
const range = (...rows: string[][]): string =>
  `[${rows.map((r) => `[${r.join(', ')}]`).join(', ')}]`;

// The opportunity export. as_of 15 Apr 2025 (Tokyo), months, the default horizon of 3.
//  #  Stage                 Amount  Close Date      Created     days open (close − created)
//  1  Closed Won            1,200   10 Mar          10 Jan      21 + 28 + 10 = 59
//  2  Closed Won            800     20 Feb          21 Jan      10 + 20 = 30
//  3  Closed Lost           500     31 Mar          31 Jan      28 + 31 = 59
//  4  Closed Won            (blank) 1 Apr           2 Mar       29 + 1 = 30
//  5  Closed Lost           300     5 Apr           4 Feb       24 + 31 + 5 = 60
//  6  Prospecting           1000    1 May 00:30     1 Apr       (open; age 14)
//  7  Proposal/Price Quote  (blank) 30 Apr          1 Mar       (open; age 30 + 15 = 45)
//  8  Proposal/Price Quote  600     31 Mar          16 Mar      (open, overdue; age 15 + 15 = 30)
//  9  Prospecting           400     (blank)         10 Apr      (open; age 5)
// 10  Prospecting           900     1 Aug           1 Apr       (open; lands after June)
// 11  Prospecting           100     30 Apr          20 Apr      (created after as_of: skipped)
// 12  Closed Lost           200     20 Mar          10 Mar      10
// 13  Closed Lost           200     25 Mar          20 Mar      5
const stages = col(
  "'Closed Won'",
  "'Closed Won'",
  "'Closed Lost'",
  "'Closed Won'",
  "'Closed Lost'",
  "'Prospecting'",
  "'Proposal/Price Quote'",
  "'Proposal/Price Quote'",
  "'Prospecting'",
  "'Prospecting'",
  "'Prospecting'",
  "'Closed Lost'",
  "'Closed Lost'",
);
const amounts = col(
  "'1,200'",
  '800',
  '500',
  "''",
  '300',
  '1000',
  "''",
  '600',
  '400',
  '900',
  '100',
  '200',
  '200',
);
const closes = col(
  tokyo(2025, 3, 10),
  tokyo(2025, 2, 20),
  tokyo(2025, 3, 31),
  tokyo(2025, 4, 1),
  tokyo(2025, 4, 5),
  // 1 May 00:30 in Tokyo is still 30 April in UTC: the deal lands in May.
  tokyo(2025, 5, 1, 0, 30),
  tokyo(2025, 4, 30),
  tokyo(2025, 3, 31),
  "''",
  tokyo(2025, 8, 1),
  tokyo(2025, 4, 30),
  tokyo(2025, 3, 20),
  tokyo(2025, 3, 25),
);
const created = col(
  tokyo(2025, 1, 10),
  tokyo(2025, 1, 21),
  tokyo(2025, 1, 31),
  tokyo(2025, 3, 2),
  tokyo(2025, 2, 4),
  tokyo(2025, 4, 1),
  tokyo(2025, 3, 1),
  "'2025-03-16'",
  tokyo(2025, 4, 10),
  tokyo(2025, 4, 1),
  tokyo(2025, 4, 20),
  tokyo(2025, 3, 10),
  tokyo(2025, 3, 20),
);
const asOf = tokyo(2025, 4, 15);

// Closed: won 1, 2, 4; lost 3, 5, 12, 13 → overall 3/7. Average won amount (1,200 + 800) / 2 =
// 1,000 (row 4 has none).
// Win probability by age: the eventual-win chance of a deal still open at its age, the deals
// still open counted as at risk up to their age. Event times t (the closed cycles): 5 L (13),
// 10 L (12), 30 W W (2, 4), 59 W L (1, 3), 60 L (5). Open deals created by as_of, ages:
// 5 (9), 14 (6), 14 (10: it lands after June but is at risk all the same), 30 (8), 45 (7).
// n = closed with cycle ≥ t + open of age ≥ t; W(t) = w/n + (1 − (w + l)/n) × W(next):
//   t   closed ≥ t  open ≥ t           n   w  l  W
//   60  1           0                  1   0  1  0
//   59  3           0                  3   1  1  1/3 + (1/3) × 0 = 1/3
//   30  5           2 (30, 45)         7   2  0  2/7 + (5/7) × 1/3 = 6/21 + 5/21 = 11/21
//   10  6           4 (14, 14, 30, 45) 10  0  1  (9/10) × 11/21 = 33/70
//   5   7           5                  12  0  1  (11/12) × 33/70 = 121/280
// Each open deal takes W at the first t ≥ its age (n ≥ 5, else 3/7):
//   6 (age 14): t = 30, n = 7 → 11/21
//   7 (age 45): t = 59, n = 3 < 5 → 3/7
//   8 (age 30): t = 30, n = 7 → 11/21
//   9 (age 5): t = 5, n = 12 → 121/280
// Landing: 6 → May (1 May in Tokyo), 7 → April (30 Apr). 8 is overdue: won cycles ≥ 30 are
// 59, 30, 30 → remaining 29, 0, 0 → median 0 → 15 Apr, April. 9 has no close date: won cycles
// ≥ 5 are 30, 30, 59 → remaining 25, 25, 54 → median 25 → 15 Apr + 25 = 10 May, May.
const TABLE = [
  // 7 + 8: 1,000 (the average) + 600 = 1,600; 3/7 + 11/21 = 9/21 + 11/21 = 20/21;
  // 1,000 × 3/7 + 600 × 11/21 = 9,000/21 + 6,600/21 = 15,600/21 = 5,200/7 (742.86)
  ['2025-04', 2, 1600, 20 / 21, 5200 / 7],
  // 6 + 9: 1,000 + 400 = 1,400; 11/21 + 121/280 = 440/840 + 363/840 = 803/840;
  // 1,000 × 11/21 + 400 × 121/280 = 11,000/21 + 3,630/21 = 14,630/21 = 2,090/3 (696.67)
  ['2025-05', 2, 1400, 803 / 840, 2090 / 3],
  ['2025-06', 0, 0, 0, 0],
];

describe('KPI_PIPELINE_FORECAST in the bundle (Tokyo sheet, UTC process)', () => {
  let en: Gas;
  let ja: Gas;
  beforeAll(() => {
    en = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    ja = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
  });
  const call = (gas: Gas, ...args: string[]) =>
    plain(gas.call<unknown[][]>('KPI_PIPELINE_FORECAST', ...args));

  it('forecasts an opportunity export by win chances at each deal’s age (en_US headers)', () => {
    const out = call(en, stages, amounts, closes, "''", asOf, "''", "''", "''", created);
    expectTable(out, [
      ['period', 'open deals', 'pipeline', 'forecast won', 'forecast revenue'],
      ...TABLE,
    ]);
  });

  it('gives Japanese headers on a ja_JP sheet, with a status map and a quarter', () => {
    const out = call(ja, stages, amounts, closes, "''", asOf, "''", "''", "''", created);
    expectTable(out, [
      ['期間', '未決着の商談数', 'パイプライン金額', '受注数（予測）', '売上（予測）'],
      ...TABLE,
    ]);
    // A map that makes "Prospecting" mean ignore leaves deals 7 and 8 (April); quarterly, they
    // land in 2025-Q2 and the next two quarters are empty. Only they are open now (ages 30, 45):
    //   t   closed ≥ t  open ≥ t  n  w  l  W
    //   60  1           0         1  0  1  0
    //   59  3           0         3  1  1  1/3
    //   30  5           2         7  2  0  2/7 + (5/7) × 1/3 = 11/21
    // so 8 (age 30) still takes 11/21 and 7 (age 45, n = 3 < 5) 3/7, as in April above.
    const map = "'Prospecting=ignore; Closed Won=won; Closed Lost=lost'";
    const quarter = call(ja, stages, amounts, closes, "''", asOf, "'四半期'", "''", map, created);
    expectTable(quarter.slice(1), [
      ['2025-Q2', 2, 1600, 20 / 21, 5200 / 7],
      ['2025-Q3', 0, 0, 0, 0],
      ['2025-Q4', 0, 0, 0, 0],
    ]);
  });

  it('takes win rates by stage from a stage history when one is given', () => {
    // History (stage | outcome): Prospecting won 1 of 4 → 1/4; Proposal/Price Quote won 2 of 3
    // → 2/3 (its outcomes written as TRUE, "受注", "Closed Lost").
    const history = range(
      ["'Prospecting'", "'won'"],
      ["'Prospecting'", "'lost'"],
      ["'Prospecting'", '0'],
      ["'Prospecting'", 'false'],
      ["'Proposal/Price Quote'", 'true'],
      ["'proposal/price quote'", "'受注'"],
      ["'Proposal/Price Quote'", "'Closed Lost'"],
    );
    const out = call(en, stages, amounts, closes, history, asOf, "''", "''", "''", created);
    expectTable(out.slice(1), [
      // 7 + 8: 2/3 each; 1,000 × 2/3 + 600 × 2/3 = 3,200/3
      ['2025-04', 2, 1600, 4 / 3, 3200 / 3],
      // 6 + 9: 1/4 each; 1,400 / 4 = 350
      ['2025-05', 2, 1400, 0.5, 350],
      ['2025-06', 0, 0, 0, 0],
    ]);
  });

  // A dated stage history: stage | outcome | observed on | closed on | amount, one snapshot on the
  // first of January, February and March.
  //  deal  stage        outcome       observed  closed   amount
  //  A     Proposal     Won           1 Jan     20 Jan   100
  //  G     Prospecting  Lost          1 Jan     25 Jan   50
  //  B     Prospecting  FALSE         1 Jan     10 Feb   200
  //  C     Prospecting  TRUE          1 Jan     15 Feb   300
  //  B     Proposal     失注          1 Feb     10 Feb   200
  //  C     Proposal     受注          1 Feb     15 Feb   300
  //  D     Prospecting  Closed Lost   1 Feb     5 Mar    400
  //  D     Proposal     0             1 Mar     5 Mar    400
  //  E     Prospecting  1             1 Mar     20 Mar   (blank)
  //  F     Prospecting  (open)        1 Mar     (blank)  500
  //  H     Proposal     lost          1 Mar     1 Mar    100
  const P = "'Proposal/Price Quote'";
  const Q = "'Prospecting'";
  const dated = range(
    [P, "'Won'", tokyo(2025, 1, 1), tokyo(2025, 1, 20), '100'],
    [Q, "'Lost'", tokyo(2025, 1, 1), tokyo(2025, 1, 25), '50'],
    [Q, 'false', tokyo(2025, 1, 1), tokyo(2025, 2, 10), '200'],
    [Q, 'true', tokyo(2025, 1, 1), tokyo(2025, 2, 15), '300'],
    [P, "'失注'", tokyo(2025, 2, 1), tokyo(2025, 2, 10), '200'],
    [P, "'受注'", tokyo(2025, 2, 1), tokyo(2025, 2, 15), '300'],
    [Q, "'Closed Lost'", tokyo(2025, 2, 1), tokyo(2025, 3, 5), '400'],
    [P, '0', "'2025-03-01'", tokyo(2025, 3, 5), '400'],
    [Q, '1', tokyo(2025, 3, 1), tokyo(2025, 3, 20), "''"],
    [Q, "''", tokyo(2025, 3, 1), "''", '500'],
    [P, "'lost'", tokyo(2025, 3, 1), tokyo(2025, 3, 1), '100'],
    ["''", "''", "''", "''", "''"],
  );

  it('backtests each month from the snapshot at its start (default horizon 6)', () => {
    const out = call(
      en,
      stages,
      amounts,
      closes,
      dated,
      asOf,
      "''",
      "''",
      "''",
      created,
      "'backtest'",
    );
    // as_of in April: the six months before are Oct … Mar; the first observation is 1 Jan, so
    // October to December are skipped.
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
      // January: nothing closed before 1 Jan → every rate 0. A was won on 20 Jan for 100.
      // error (0 − 100) ÷ 100 = −1; no ratio to a forecast of 0.
      ['2025-01', 0, 1, 0, 100, -1, ''],
      // February: known before 1 Feb: A (Proposal, won), G (Prospecting, lost) → Proposal 1,
      // Prospecting 0. Won durations: A 19 days → 1 Feb + 19 = 20 Feb, in February.
      // Snapshot of 1 Feb: B (Proposal 1 × 200), C (Proposal 1 × 300), D (Prospecting 0) →
      // forecast 2, 500. Won in February: C, 300. error (500 − 300) ÷ 300 = 2/3; 300 ÷ 500.
      ['2025-02', 2, 1, 500, 300, 2 / 3, 0.6],
      // March: known before 1 Mar (H closed on 1 Mar is not): Proposal A W, B L, C W → 2/3;
      // Prospecting G L, B L, C W → 1/3. Won durations 19 (A), 45 (C from 1 Jan), 14 (C from
      // 1 Feb) → median 19 → 20 Mar, in March. Average won amount (100 + 300 + 300) / 3 = 700/3.
      // Snapshot of 1 Mar, all open on 1 Mar (H closed that very day):
      //   D 2/3 × 400, E 1/3 × 700/3 (blank amount), F 1/3 × 500, H 2/3 × 100
      //   forecast 2/3 + 1/3 + 1/3 + 2/3 = 2; revenue 2400/9 + 700/9 + 1500/9 + 600/9 = 5200/9
      // Won in March: E (20 Mar), its blank amount counted as the same 700/3 = 2100/9.
      // error (5200 − 2100) ÷ 2100 = 31/21; actual ÷ forecast 2100 ÷ 5200 = 21/52.
      ['2025-03', 2, 1, 5200 / 9, 700 / 3, 31 / 21, 21 / 52],
    ]);
    // Two periods asked for: February and March only.
    expect(
      call(en, stages, amounts, closes, dated, asOf, "''", '2', "''", created, "'バックテスト'")
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(['2025-02', '2025-03']);
  });

  it('refuses a backtest without a dated stage history, in English and Japanese', () => {
    const en1 =
      'history: the pipeline cannot be backtested without a dated stage history; give stage | outcome | observed on | closed on [| amount]';
    const ja1 =
      'history: 日付付きのステージ履歴がないため、パイプラインをバックテストできません。ステージ | 結果 | 観測日 | 決着日 [| 金額] の範囲を指定してください';
    const twoColumns = range([P, "'won'"]);
    for (const history of ["''", twoColumns]) {
      const args = [stages, amounts, closes, history, asOf, "''", "''", "''", "''", "'backtest'"];
      expect(() => en.call('KPI_PIPELINE_FORECAST', ...args)).toThrow(en1);
      expect(() => ja.call('KPI_PIPELINE_FORECAST', ...args)).toThrow(ja1);
    }
  });

  it('names the argument, row and value of a bad cell', () => {
    const bad = col('800', '500', "'TBD'");
    const three = col("'Closed Won'", "'Closed Lost'", "'Prospecting'");
    const dates = col(tokyo(2025, 3, 1), tokyo(2025, 3, 2), tokyo(2025, 4, 30));
    expect(() => en.call('KPI_PIPELINE_FORECAST', three, bad, dates, "''", asOf)).toThrow(
      'amounts row 3: "TBD" is not a number',
    );
    expect(() => ja.call('KPI_PIPELINE_FORECAST', three, bad, dates, "''", asOf)).toThrow(
      'amounts 3行目: "TBD" は数値ではありません',
    );
    const good = col('800', '500', '100');
    expect(() =>
      en.call('KPI_PIPELINE_FORECAST', three, good, col("''", "'soon'", "''"), "''", asOf),
    ).toThrow('close_dates row 2: "soon" is not a date');
    expect(() =>
      en.call('KPI_PIPELINE_FORECAST', three, good, dates, range([P, "'maybe'"]), asOf),
    ).toThrow(
      'history row 1: "maybe" is not an outcome; use won or lost, TRUE or FALSE, 1 or 0 (blank = still open)',
    );
    expect(() => en.call('KPI_PIPELINE_FORECAST', three, col('1', '2'), dates, "''", asOf)).toThrow(
      'amounts has 2 rows but stages has 3: the ranges must be the same height',
    );
    expect(() => ja.call('KPI_PIPELINE_FORECAST', three, good, dates, "''", "''")).toThrow(
      'as_of を指定してください',
    );
    expect(() =>
      en.call('KPI_PIPELINE_FORECAST', three, good, dates, "''", asOf, "''", "'1.5'"),
    ).toThrow('horizon row 1: "1.5" must be a whole number of at least 1');
  });
});
