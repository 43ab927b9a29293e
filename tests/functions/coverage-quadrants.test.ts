/**
 * LIST_COVERAGE and DEAL_QUADRANTS through the built bundle: the sheet in Asia/Tokyo, this process
 * in UTC; Japanese headers and labels on a ja_JP sheet, English on en_US; errors in the sheet's
 * language. Expected tables are worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { col, loadBundle, tokyo } from '../helpers/gas';

const text = (s: string) => JSON.stringify(s);
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe('LIST_COVERAGE in the bundle', () => {
  // The list (open-ended: trailing blanks), activities by two reps.
  const list = col(text('株式会社アルファ'), text('ベータ'), text('gamma.co.jp'), "''", "''", "''");
  const companies = col(
    text('(株)アルファ'),
    text('ベータ株式会社'),
    text('taro@gamma.co.jp'),
    text('株式会社オメガ'),
    text('㈱アルファ'),
    "''",
    "''",
  );
  const counts = col('3', '1', '2', '4', '1', "''", "''");
  const owners = col(
    text('佐藤'),
    text('佐藤'),
    text('鈴木'),
    text('鈴木'),
    text('鈴木'),
    "''",
    "''",
  );

  it('gives Japanese headers and 合計 on a ja_JP sheet', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    const out = plain(gas.call<unknown[][]>('LIST_COVERAGE', list, companies, counts, owners, '2'));
    expect(out).toEqual([
      [
        '担当者',
        'リスト社数',
        '接触社数',
        'カバー率',
        'リスト内活動数',
        '1社あたり活動数',
        '接触回数不足の社数',
        'リスト外活動数',
      ],
      // 佐藤: アルファ 3, ベータ 1 → 2 reached of 3; only アルファ has ≥ 2 touches.
      ['佐藤', 3, 2, 2 / 3, 4, 2, 2, 0],
      // 鈴木: gamma (by e-mail) 2, アルファ 1 → 2 reached; gamma has 2; オメガ 4 is off the list.
      ['鈴木', 3, 2, 2 / 3, 3, 1.5, 2, 4],
      // Anyone: アルファ 4, ベータ 1, gamma 2 → all 3 reached; ベータ is below 2.
      ['合計', 3, 3, 1, 7, 7 / 3, 1, 4],
    ]);
  });

  it('gives English headers on an en_US sheet, and only Total without owners', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    const out = plain(gas.call<unknown[][]>('LIST_COVERAGE', list, companies));
    expect(out).toEqual([
      [
        'owner',
        'list size',
        'reached',
        'coverage',
        'list activities',
        'activities per company',
        'below min touches',
        'off-list activities',
      ],
      ['Total', 3, 3, 1, 4, 4 / 3, 0, 1],
    ]);
  });

  it('names min_touches and the value in the sheet language', () => {
    const ja = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    expect(() => ja.call('LIST_COVERAGE', list, companies, "''", "''", '0.5')).toThrow(
      'min_touches 1行目: "0.5" は1以上の整数にしてください',
    );
    const en = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    expect(() => en.call('LIST_COVERAGE', list, companies, "''", "''", '[[0]]')).toThrow(
      'min_touches row 1: "0" must be a whole number of at least 1',
    );
    expect(() => en.call('LIST_COVERAGE', '[["a", "b"]]', companies)).toThrow(
      'target_list must be a single column, but it has 2 columns',
    );
  });
});

describe('DEAL_QUADRANTS in the bundle', () => {
  const targets = col('true', text('yes'), text('対象外'), 'false', text('○'), "''", "''");
  const temps = col(text('高'), text('B'), text('hot'), text('C'), "''", "''", "''");
  const amounts = col('100', text('¥2,000'), '300', '400', '50', "''", "''");
  // Row 1: 00:30 on 1 April in Tokyo (still 31 March in UTC) is a date like any other: won.
  const won = col(tokyo(2025, 4, 1, 0, 30), "''", text('2025/04/02'), 'false', 'true', "''", "''");

  it('gives Japanese headers and label words on a ja_JP sheet', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    const out = plain(gas.call<unknown[][]>('DEAL_QUADRANTS', targets, temps, amounts, won));
    expect(out).toEqual([
      ['ターゲット', '温度感', '商談数', '商談金額', '受注数', '受注率'],
      ['ターゲット', '高', 1, 100, 1, 1],
      ['ターゲット', '低', 1, 2000, 0, 0],
      ['ターゲット外', '高', 1, 300, 1, 1],
      ['ターゲット外', '低', 1, 400, 0, 0],
      ['温度感なし', '', 1, 50, 1, 1],
      ['合計', '', 5, 2850, 3, 0.6],
    ]);
  });

  it('takes hot_values as a range or a text, with English output on en_US', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    // B and C are hot now; 高 and hot are not.
    const out = plain(
      gas.call<unknown[][]>('DEAL_QUADRANTS', targets, temps, "''", "''", text('b、c')),
    );
    expect(out).toEqual([
      ['target', 'temperature', 'deals', 'amount', 'won', 'win rate'],
      ['target', 'hot', 1, '', '', ''],
      ['target', 'cold', 1, '', '', ''],
      ['non-target', 'hot', 1, '', '', ''],
      ['non-target', 'cold', 1, '', '', ''],
      ['(no temperature)', '', 1, '', '', ''],
      ['Total', '', 5, '', '', ''],
    ]);
    const byRange = plain(
      gas.call<unknown[][]>('DEAL_QUADRANTS', targets, temps, "''", "''", '[["B", "C"]]'),
    );
    expect(byRange).toEqual(out);
  });

  it('names the argument, row and value of a bad cell in the sheet language', () => {
    const ja = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    expect(() =>
      ja.call('DEAL_QUADRANTS', col(text('yes'), text('A')), col(text('hot'), text('hot'))),
    ).toThrow('targets 2行目: "A" はターゲットの判定値ではありません');
    const en = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    expect(() =>
      en.call(
        'DEAL_QUADRANTS',
        col(text('yes'), text('no')),
        col(text('hot'), "''"),
        "''",
        col("''", text('next week')),
      ),
    ).toThrow('won_dates row 2: "next week" is not a won date');
    expect(() =>
      en.call(
        'DEAL_QUADRANTS',
        col(text('yes'), text('no')),
        col(text('hot'), text('hot'), text('x')),
      ),
    ).toThrow('targets has 2 rows but temperatures has 3');
  });
});
