import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateReader, ZoneClock } from '../../src/core/dates';
import { localized } from '../../src/core/errors';
import { localizeTable } from '../../src/core/i18n';
import { DEFAULT_HOT, dealQuadrants, hotSet, readTarget, readWon } from '../../src/core/quadrants';

const HEADER = ['target', 'temperature', 'deals', 'amount', 'won', 'win rate'];
const clock = new ZoneClock('Asia/Tokyo');
const wonReader = new DateReader(clock, 'mdy');
const tokyo = (y: number, m: number, d: number, h = 0, mi = 0) =>
  new Date(Date.UTC(y, m - 1, d, h - 9, mi));

describe('DEAL_QUADRANTS', () => {
  const targets = [true, 'yes', '対象外', false, '○', '', 'ターゲット', 'No', 1, ''];
  const temperatures = ['Hot', 'low', '高', 'A', '', 'cold', 'ホット', '', 'B', ''];
  const amounts = [100, 200, '1,000', 50, 70, '', 30, 5, '', 999];
  const won = [tokyo(2025, 4, 1, 0, 30), '', true, '2025-05-02', false, 45_000, '', '', '', ''];

  it('splits deals into the four quadrants, the deals without a temperature, then Total', () => {
    // Row 10 is blank in targets and temperatures: not a deal, its amount 999 is not counted.
    expect(dealQuadrants(targets, temperatures, { amounts, wonDates: won, wonReader })).toEqual([
      HEADER,
      // Rows 1 (Hot, 100, won) and 7 (ホット, 30).
      ['target', 'hot', 2, 130, 1, 0.5],
      // Rows 2 (low, 200) and 9 (B, no amount).
      ['target', 'cold', 2, 200, 0, 0],
      // Rows 3 (高, 1,000, won) and 4 (A, 50, won).
      ['non-target', 'hot', 2, 1050, 2, 1],
      // Row 6 (cold, no amount, won by serial 45000).
      ['non-target', 'cold', 1, '', 1, 1],
      // Rows 5 (target ○, 70) and 8 (No, 5): no temperature, whatever the target.
      ['(no temperature)', '', 2, 75, 0, 0],
      ['Total', '', 9, 1455, 4, 4 / 9],
    ]);
  });

  it('leaves amount, won and win rate blank without their columns, and drops an empty no-temperature row', () => {
    expect(dealQuadrants(['yes', 'no'], ['hot', 'cold'])).toEqual([
      HEADER,
      ['target', 'hot', 1, '', '', ''],
      ['target', 'cold', 0, '', '', ''],
      ['non-target', 'hot', 0, '', '', ''],
      ['non-target', 'cold', 1, '', '', ''],
      ['Total', '', 2, '', '', ''],
    ]);
    // No deals at all: every quadrant is there, empty; win rate has nothing to divide.
    expect(
      dealQuadrants(['', ''], ['', ''], { amounts: [1, 2], wonDates: ['', ''], wonReader }),
    ).toEqual([
      HEADER,
      ['target', 'hot', 0, '', 0, ''],
      ['target', 'cold', 0, '', 0, ''],
      ['non-target', 'hot', 0, '', 0, ''],
      ['non-target', 'cold', 0, '', 0, ''],
      ['Total', '', 0, '', 0, ''],
    ]);
  });

  it('does not count the unticked checkboxes of a target column that runs on below the data', () => {
    const out = dealQuadrants([true, false, false, false], ['hot', 'cold', '', ''], {
      amounts: [10, 20, 30, ''],
      wonDates: ['', '', '', false],
      wonReader,
    });
    // Row 3 (FALSE with an amount) is a deal without a temperature; row 4 is only checkboxes.
    expect(out.map((r) => r.slice(0, 3))).toEqual([
      HEADER.slice(0, 3),
      ['target', 'hot', 1],
      ['target', 'cold', 0],
      ['non-target', 'hot', 0],
      ['non-target', 'cold', 1],
      ['(no temperature)', '', 1],
      ['Total', '', 3],
    ]);
  });

  it('reads hot_values from a range of any shape or one text split on commas', () => {
    expect(hotSet(undefined)).toEqual(new Set(DEFAULT_HOT));
    expect(hotSet([['', '']])).toEqual(new Set(DEFAULT_HOT));
    expect(hotSet('S, Ａ、b')).toEqual(new Set(['s', 'a', 'b']));
    expect(
      hotSet([
        ['S', ''],
        [3, 'x,y'],
      ]),
    ).toEqual(new Set(['s', '3', 'x', 'y']));
    const out = dealQuadrants(['yes', 'yes', 'yes', 'no'], ['S', 'A', 3, '３'], {
      hotValues: [['s'], [3]],
    });
    expect(out.slice(1, 5).map((r) => r[2])).toEqual([2, 1, 1, 0]);
    // The default hot words, in any case and width.
    const words = ['HOT', 'High', 'ａ', '高', '高い', 'ﾎｯﾄ', ' Hot Lead '];
    expect(
      dealQuadrants(
        words.map(() => 'no'),
        words,
      )[3][2],
    ).toBe(words.length);
  });

  it('reads every accepted target value and rejects the rest, naming row and value (EN and JA)', () => {
    for (const v of [
      true,
      1,
      'YES',
      'y',
      'True',
      'target',
      '対象',
      'ターゲット',
      'はい',
      '○',
      '◯',
      '●',
      'ｙｅｓ',
    ])
      expect(readTarget(v, 1), String(v)).toBe(true);
    for (const v of [
      false,
      0,
      'no',
      'N',
      'FALSE',
      'Non-Target',
      '対象外',
      'ターゲット外',
      'いいえ',
      '×',
      '',
      ' ',
    ])
      expect(readTarget(v, 1), String(v)).toBe(false);
    expect(() => dealQuadrants(['yes', 'A'], ['hot', 'hot'])).toThrow(
      'targets row 2: "A" is not a target flag; use TRUE/FALSE, 1/0, yes/no, target/non-target, 対象/対象外, ターゲット/ターゲット外, はい/いいえ, ○/× (blank = not a target)',
    );
    expect(() => dealQuadrants([2], ['hot'])).toThrow('targets row 1: "2" is not a target flag');
    expect(() => localized('ja', () => dealQuadrants(['', 'maybe'], ['', 'hot']))).toThrow(
      'targets 2行目: "maybe" はターゲットの判定値ではありません。次のいずれかを使ってください: TRUE/FALSE',
    );
  });

  it('reads won dates, serials and TRUE as won, blank and FALSE as not, and rejects other text', () => {
    expect(readWon(tokyo(2025, 4, 1, 0, 30), wonReader, 1)).toBe(true);
    expect(readWon('2025/4/1', wonReader, 1)).toBe(true);
    expect(readWon('4/1/2025', wonReader, 1)).toBe(true);
    expect(readWon(45_000, wonReader, 1)).toBe(true);
    expect(readWon(true, wonReader, 1)).toBe(true);
    expect(readWon('TRUE', wonReader, 1)).toBe(true);
    for (const v of ['', false, 0, ' ', 'false', null])
      expect(readWon(v, wonReader, 1)).toBe(false);
    expect(() =>
      dealQuadrants(['yes', 'yes'], ['hot', 'hot'], { wonDates: ['', 'won!'], wonReader }),
    ).toThrow(
      'won_dates row 2: "won!" is not a won date; use a date, TRUE or FALSE (blank = not won)',
    );
    expect(() =>
      localized('ja', () => dealQuadrants(['yes'], ['hot'], { wonDates: [-5], wonReader })),
    ).toThrow(
      'won_dates 1行目: "-5" は受注日ではありません。日付、TRUE または FALSE を使ってください（空欄 = 未受注）',
    );
  });

  it('rejects an amount that is not a number, naming row and value', () => {
    expect(() => dealQuadrants(['yes', 'no'], ['hot', ''], { amounts: [1, 'lots'] })).toThrow(
      'amounts row 2: "lots" is not a number',
    );
  });

  it('translates header, label words and Total for a Japanese sheet', () => {
    const out = localizeTable(dealQuadrants(['yes', 'no'], ['hot', '']), 'ja', {
      total: true,
      labelCols: [0, 1],
      headers: { amount: '商談金額' },
    });
    expect(out.map((r) => r.slice(0, 3))).toEqual([
      ['ターゲット', '温度感', '商談数'],
      ['ターゲット', '高', 1],
      ['ターゲット', '低', 0],
      ['ターゲット外', '高', 0],
      ['ターゲット外', '低', 0],
      ['温度感なし', '', 1],
      ['合計', '', 2],
    ]);
    expect(out[0].slice(3)).toEqual(['商談金額', '受注数', '受注率']);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties.

const TARGET_CELLS = [true, false, 'yes', 'no', '対象', '対象外', 1, 0, '', '○', '×'];
const TEMPS = ['hot', 'cold', 'A', 'B', 'C', '高', '低', 3, '', ''];
const deal = fc.record({
  target: fc.constantFrom(...TARGET_CELLS),
  temp: fc.constantFrom(...TEMPS),
  amount: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 10_000 })),
  won: fc.constantFrom('', true, false, tokyo(2025, 1, 1), '2025-02-03'),
});

describe('DEAL_QUADRANTS invariants (fast-check)', () => {
  it('quadrants and the no-temperature row add up to Total, which counts every deal row', () => {
    fc.assert(
      fc.property(fc.array(deal, { maxLength: 60 }), (ds) => {
        const out = dealQuadrants(
          ds.map((d) => d.target),
          ds.map((d) => d.temp),
          { amounts: ds.map((d) => d.amount), wonDates: ds.map((d) => d.won), wonReader },
        );
        const body = out.slice(1, -1);
        const total = out[out.length - 1];
        // A row with something in targets or temperatures — but not an unticked checkbox alone.
        const isDeal = (d: (typeof ds)[number]) =>
          (d.target !== '' || d.temp !== '') &&
          !(
            d.temp === '' &&
            d.target === false &&
            d.amount === '' &&
            (d.won === '' || d.won === false)
          );
        const deals = ds.filter(isDeal);
        const num = (v: unknown) => (v === '' ? 0 : (v as number));
        expect(total[2]).toBe(deals.length);
        expect(body.reduce((a, r) => a + num(r[2]), 0)).toBe(deals.length);
        const amount = deals.reduce((a, d) => a + num(d.amount), 0);
        expect(body.reduce((a, r) => a + num(r[3]), 0)).toBe(amount);
        expect(num(total[3])).toBe(amount);
        const won = deals.filter((d) => d.won !== '' && d.won !== false).length;
        expect(body.reduce((a, r) => a + num(r[4]), 0)).toBe(won);
        expect(total[4]).toBe(won);
        for (const r of out.slice(1)) {
          if (r[5] !== '') {
            expect(r[5] as number).toBeGreaterThanOrEqual(0);
            expect(r[5] as number).toBeLessThanOrEqual(1);
          }
        }
        // The no-temperature row is there exactly when some deal has no temperature.
        const noTemp = deals.filter((d) => d.temp === '').length;
        expect(out.length).toBe(noTemp > 0 ? 7 : 6);
      }),
      { numRuns: 300 },
    );
  });

  it('swapping hot_values to their complement swaps the hot and cold rows', () => {
    const present = ['hot', 'cold', 'a', 'b', 'c', '高', '低', '3'];
    fc.assert(
      fc.property(fc.array(deal, { maxLength: 60 }), fc.subarray(present), (ds, hot) => {
        const cold = present.filter((v) => !hot.includes(v));
        // A value no deal has keeps either list from being empty (empty = the default list).
        const run = (values: string[]) =>
          dealQuadrants(
            ds.map((d) => d.target),
            ds.map((d) => d.temp),
            { amounts: ds.map((d) => d.amount), hotValues: [...values, 'never'] },
          );
        const a = run(hot);
        const b = run(cold);
        const numbers = (r: unknown[]) => r.slice(2);
        expect(numbers(b[1])).toEqual(numbers(a[2]));
        expect(numbers(b[2])).toEqual(numbers(a[1]));
        expect(numbers(b[3])).toEqual(numbers(a[4]));
        expect(numbers(b[4])).toEqual(numbers(a[3]));
        expect(b.slice(5)).toEqual(a.slice(5));
      }),
    );
  });

  it('is linear: 1M deal rows stay fast', () => {
    const n = 1_000_000;
    const targets = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? true : 'no'));
    const temps = Array.from({ length: n }, (_, i) => ['A', 'B', 'C', ''][i % 4]);
    const amounts = Array.from({ length: n }, (_, i) => i % 100);
    const won = Array.from({ length: n }, (_, i) =>
      i % 5 === 0 ? tokyo(2025, 1, 1 + (i % 28)) : '',
    );
    const t0 = performance.now();
    const out = dealQuadrants(targets, temps, { amounts, wonDates: won, wonReader });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(out.at(-1)?.slice(2, 5)).toEqual([n, 49.5 * n, n / 5]);
  });
});
