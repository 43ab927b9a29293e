/**
 * PROSPECT_ACCURACY through the built bundle: the sheet in Asia/Tokyo, this process in UTC.
 * Expected tables are worked out by hand from the Tokyo wall-clock dates below.
 */
import { describe, expect, it } from 'vitest';
import { col, loadBundle, tokyo } from '../helpers/gas';

const text = (s: string) => JSON.stringify(s);
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const blank = "''";

const JA_HEADER = [
  '担当者',
  'ランク',
  '判定数',
  '期限内に商談化',
  '転換率',
  'チームの率',
  '商談化までの日数（中央値）',
  '受注金額',
  '傾向',
];

describe('PROSPECT_ACCURACY in the bundle (Tokyo sheet, UTC process)', () => {
  // Rank dates at 00:30 Tokyo on the 1st (still the previous day in UTC) and deals the same
  // Tokyo day or the next one.
  const owners = col(text('Sato'), text('Sato'), text('Suzuki'), text('Suzuki'), blank, blank);
  const ranks = col(text('A'), text('A'), text('A'), text('B'), blank, blank);
  const rankDates = col(
    tokyo(2025, 4, 1, 0, 30),
    tokyo(2025, 3, 31, 23, 30),
    tokyo(2025, 5, 1, 0, 30),
    tokyo(2025, 6, 1, 0, 30),
    blank,
    blank,
  );
  const dealDates = col(
    tokyo(2025, 4, 1, 23, 50), // 0 days in Tokyo
    tokyo(2025, 4, 1, 0, 30), // 1 day in Tokyo (0 in UTC)
    tokyo(2025, 5, 11, 9, 0), // 10 days
    blank,
    blank,
    blank,
  );
  const amounts = col('1000', '2000', '3000', '4000', blank, blank);
  const won = col(tokyo(2025, 5, 1), blank, tokyo(2025, 6, 1), blank, blank, blank);

  it('counts calendar days in the sheet’s zone (horizon 0: only same-day deals)', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    const out = gas.call<unknown[][]>(
      'PROSPECT_ACCURACY',
      owners,
      ranks,
      rankDates,
      dealDates,
      amounts,
      won,
      '0',
    );
    // Team A: 3 judged, 1 deal within 0 days (Sato's first).
    expect(plain(out)).toEqual([
      [
        'owner',
        'rank',
        'judged',
        'became deals',
        'rate',
        'team rate',
        'median days',
        'amount',
        'flag',
      ],
      ['Sato', 'A', 2, 1, 0.5, 1 / 3, 0, 1000, ''],
      ['Suzuki', 'A', 1, 0, 0, 1 / 3, '', 0, ''],
      ['Suzuki', 'B', 1, 0, 0, 0, '', 0, ''],
    ]);
  });

  it('takes per-rank horizons from a two-column range, in Japanese on a ja_JP sheet', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    const out = gas.call<unknown[][]>(
      'PROSPECT_ACCURACY',
      owners,
      ranks,
      rankDates,
      dealDates,
      amounts,
      won,
      `[[${text('A')}, 30], [${text('*')}, 5]]`,
    );
    expect(plain(out)).toEqual([
      JA_HEADER,
      // Days 0 and 1: median 0.5; only the first was won.
      ['Sato', 'A', 2, 2, 1, 1, 0.5, 1000, ''],
      ['Suzuki', 'A', 1, 1, 1, 1, 10, 3000, ''],
      ['Suzuki', 'B', 1, 0, 0, 0, '', 0, ''],
    ]);
    // Without amounts the amount column is blank, not 0.
    const bare = gas.call<unknown[][]>('PROSPECT_ACCURACY', owners, ranks, rankDates, dealDates);
    expect(plain(bare).map((r) => r[7])).toEqual(['受注金額', '', '', '']);
  });

  it('localizes the flags on a ja_JP sheet', () => {
    const n = 10;
    const cells = (f: (i: number) => string) => col(...Array.from({ length: n }, (_, i) => f(i)));
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    const out = gas.call<unknown[][]>(
      'PROSPECT_ACCURACY',
      cells((i) => text(i < 5 ? '楽観さん' : '慎重さん')),
      cells(() => text('A')),
      cells((i) => tokyo(2025, 1, 1 + i)),
      cells((i) => (i < 5 ? blank : tokyo(2025, 2, 1))),
    );
    // Team A: 5 of 10.
    expect(plain(out).slice(1)).toEqual([
      ['慎重さん', 'A', 5, 5, 1, 0.5, 24, '', '慎重'], // 26 … 22 days,
      ['楽観さん', 'A', 5, 0, 0, 0.5, '', '', '楽観的'],
    ]);
  });

  it('takes open-ended ranges of different heights, single cells, and rejects misfit ranges', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    // owners as G2:G (trailing blanks), the rest as exact ranges.
    const out = gas.call<unknown[][]>(
      'PROSPECT_ACCURACY',
      col(text('x'), text('y'), blank, blank, blank),
      col(text('A'), text('A')),
      col(tokyo(2025, 1, 1), tokyo(2025, 1, 2)),
      col(tokyo(2025, 1, 11), blank),
    );
    expect(plain(out).slice(1)).toEqual([
      ['x', 'A', 1, 1, 1, 0.5, 10, '', ''],
      ['y', 'A', 1, 0, 0, 0.5, '', '', ''],
    ]);
    // One cell each (a scalar, as Sheets passes a single-cell reference).
    const one = gas.call<unknown[][]>(
      'PROSPECT_ACCURACY',
      text('x'),
      text('B'),
      tokyo(2025, 1, 1),
      tokyo(2025, 1, 3),
    );
    expect(plain(one)[1]).toEqual(['x', 'B', 1, 1, 1, 1, 2, '', '']);
    // A range that ends before another's data, and a two-column range.
    expect(() =>
      gas.call(
        'PROSPECT_ACCURACY',
        col(text('x'), text('y'), text('z')),
        col(text('A'), text('A')),
        col(tokyo(2025, 1, 1), tokyo(2025, 1, 2)),
        col(blank, blank),
      ),
    ).toThrow('ranks has 2 rows but owners has 3: the ranges must be the same height');
    expect(() =>
      gas.call(
        'PROSPECT_ACCURACY',
        `[[${text('x')}, ${text('y')}]]`,
        col(text('A')),
        col(tokyo(2025, 1, 1)),
        col(blank),
      ),
    ).toThrow('owners must be a single column, but it has 2 columns');
  });

  it('reads text dates by the sheet’s locale and names a bad cell in the sheet’s language', () => {
    const gb = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_GB' });
    const out = gb.call<unknown[][]>(
      'PROSPECT_ACCURACY',
      col(text('x')),
      col(text('A')),
      col(text('01/04/2025')),
      col(text('03/04/2025')),
    );
    expect(plain(out)[1]).toEqual(['x', 'A', 1, 1, 1, 1, 2, '', '']);
    // In an en_US sheet a column whose own text is day first (20/10/2017) reads 01/02/2018 as
    // 1 February: judged 1 Feb, deal 10 Feb (month-first by its own 10/20/2017 → 9 days).
    const us = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    const own = us.call<unknown[][]>(
      'PROSPECT_ACCURACY',
      col(text('x'), text('x')),
      col(text('A'), text('B')),
      col(text('01/02/2018'), text('20/10/2017')),
      col(text('02/10/2018'), text('10/20/2017')),
    );
    expect(plain(own).slice(1)).toEqual([
      ['x', 'A', 1, 1, 1, 1, 9, '', ''],
      ['x', 'B', 1, 1, 1, 1, 0, '', ''],
    ]);
    const ja = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    expect(() =>
      ja.call(
        'PROSPECT_ACCURACY',
        col(text('x'), text('y')),
        col(text('A'), text('A')),
        col(tokyo(2025, 1, 1), text('来週')),
        col(blank, blank),
      ),
    ).toThrow('rank_dates 2行目: "来週" は日付ではありません');
    expect(() =>
      ja.call('PROSPECT_ACCURACY', owners, ranks, rankDates, dealDates, blank, blank, '-3'),
    ).toThrow('horizons 1行目: "-3" は負の値にできません');
    const en = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    expect(() =>
      en.call(
        'PROSPECT_ACCURACY',
        owners,
        ranks,
        rankDates,
        dealDates,
        blank,
        blank,
        `[[${text('A')}, 30], [${text('B')}, ${text('soon')}]]`,
      ),
    ).toThrow('horizons row 2: "soon" is not a number');
  });
});
