/**
 * CYCLE_TIME and RETENTION through the built bundle: the sheet in Asia/Tokyo, this process in
 * UTC, Date cells made inside the bundle's realm; Japanese headers and Total labels on a ja_JP
 * sheet, English ones on an en_US sheet. Expected tables are worked out here by hand.
 */
import { describe, expect, it } from 'vitest';
import { col, loadBundle, tokyo } from '../helpers/gas';

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe('CYCLE_TIME in the bundle (Tokyo sheet, UTC process)', () => {
  // 1 Apr 00:30 Tokyo is 31 Mar 15:30 UTC: an April start. 31 Mar 23:30 Tokyo is a March start.
  // Days are Tokyo calendar days: 31 Mar 23:30 → 1 Apr 00:30 is 1 day.
  const starts = col(
    tokyo(2025, 4, 1, 0, 30),
    tokyo(2025, 3, 31, 23, 30),
    tokyo(2025, 4, 10, 9),
    tokyo(2025, 4, 20, 9),
    "''",
  );
  const ends = col(
    tokyo(2025, 4, 11, 18),
    tokyo(2025, 4, 1, 0, 30),
    tokyo(2025, 4, 12, 9),
    "''",
    tokyo(2025, 4, 30),
  );
  const owners = col("'佐藤'", "'鈴木'", "'佐藤'", "'鈴木'", "'田中'");

  it('gives English headers and Total on an en_US sheet', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    expect(plain(gas.call('CYCLE_TIME', starts, ends))).toEqual([
      ['period', 'count', 'median days', 'p75 days', 'mean days', 'open'],
      ['2025-03', 1, 1, 1, 1, 0],
      // 1 → 11 Apr: 10 days; 10 → 12 Apr: 2 days; 20 Apr open.
      ['2025-04', 2, 6, 8, 6, 1],
      // 1, 2, 10: median 2, p75 position 1.5 → 6, mean 13 / 3
      ['Total', 3, 2, 6, 13 / 3, 1],
    ]);
  });

  it('gives Japanese headers, 合計 and 全体 on a ja_JP sheet', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    const head = ['日数（中央値）', '日数（75パーセンタイル）', '日数（平均）', '未完了'];
    expect(plain(gas.call('CYCLE_TIME', starts, ends))).toEqual([
      ['期間', '件数', ...head],
      ['2025-03', 1, 1, 1, 1, 0],
      ['2025-04', 2, 6, 8, 6, 1],
      ['合計', 3, 2, 6, 13 / 3, 1],
    ]);
    expect(plain(gas.call('CYCLE_TIME', starts, ends, '"月"', owners))).toEqual([
      ['期間', 'グループ', '件数', ...head],
      ['2025-03', '佐藤', 0, '', '', '', 0],
      ['2025-03', '鈴木', 1, 1, 1, 1, 0],
      ['2025-04', '佐藤', 2, 6, 8, 6, 0],
      ['2025-04', '鈴木', 0, '', '', '', 1],
      ['合計', '佐藤', 2, 6, 8, 6, 0],
      ['合計', '鈴木', 1, 1, 1, 1, 1],
      ['合計', '全体', 3, 2, 6, 13 / 3, 1],
    ]);
  });

  it('accepts open-ended ranges of different heights and reports bad cells in Japanese', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    // Leads!B2:B beside Leads!C2:C500: trailing blank rows are ignored.
    const out = gas.call<unknown[][]>(
      'CYCLE_TIME',
      col("'2025-05-01'", "'2025-05-03'", "''", "''"),
      col("'2025-05-04'", "''"),
      "'week'",
    );
    // Thu 1 May and Sat 3 May 2025 are in ISO week 18.
    expect(plain(out)).toEqual([
      ['期間', '件数', '日数（中央値）', '日数（75パーセンタイル）', '日数（平均）', '未完了'],
      ['2025-W18', 1, 3, 3, 3, 1],
      ['合計', 1, 3, 3, 3, 1],
    ]);
    expect(() =>
      gas.call('CYCLE_TIME', col("'2025-05-01'", "'2025-05-02'"), col("''", "'未定'")),
    ).toThrow('end_dates 2行目: "未定" は日付ではありません');
    expect(() => gas.call('CYCLE_TIME', col("'2025-05-01'"), col("''"), "'daily'")).toThrow(
      /period: "daily" は指定できません/,
    );
  });
});

describe('RETENTION in the bundle (Tokyo sheet, UTC process)', () => {
  // Jan: two customers; one's end is 31 Mar 23:30 Tokyo (14:30 UTC): March. Feb: one whose
  // start is 1 Feb 00:30 Tokyo (31 Jan in UTC) and whose end is 1 Apr 00:30 Tokyo (31 Mar UTC):
  // April. as_of 30 Apr.
  const starts = col(tokyo(2025, 1, 10), tokyo(2025, 1, 20), tokyo(2025, 2, 1, 0, 30));
  const ends = col(tokyo(2025, 3, 31, 23, 30), "''", tokyo(2025, 4, 1, 0, 30));
  const asOf = tokyo(2025, 4, 30);

  it('buckets starts and ends by the Tokyo calendar (en_US headers)', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    expect(plain(gas.call('RETENTION', starts, ends, "''", asOf))).toEqual([
      ['period', 'customers', '+0', '+1', '+2', '+3'],
      // End of Jan, Feb: both; end of Mar: the March end is gone; Apr: still one.
      ['2025-01', 2, 1, 1, 0.5, 0.5],
      // End of Feb, Mar: still a customer (its end is in April); end of Apr: gone.
      ['2025-02', 1, 1, 1, 0, ''],
    ]);
  });

  it('gives Japanese headers on a ja_JP sheet, and counts companies', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    const companies = col("'株式会社アルファ'", "'(株)アルファ'", "'ベータ株式会社'");
    // Alpha: one customer from January, open (its second row has no end).
    expect(plain(gas.call('RETENTION', starts, ends, "'月次'", asOf, companies))).toEqual([
      ['期間', '顧客数', '+0', '+1', '+2', '+3'],
      ['2025-01', 1, 1, 1, 1, 1],
      ['2025-02', 1, 1, 1, 0, ''],
    ]);
    expect(() => gas.call('RETENTION', starts, ends, "''", "'先月'")).toThrow(
      'as_of 1行目: "先月" は日付ではありません',
    );
  });
});
