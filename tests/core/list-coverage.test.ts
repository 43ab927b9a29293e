import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { companyKey } from '../../src/core/company';
import { localized } from '../../src/core/errors';
import { localizeTable } from '../../src/core/i18n';
import { bareDomain, listCoverage, readMinTouches } from '../../src/core/listCoverage';

const HEADER = [
  'owner',
  'list size',
  'reached',
  'coverage',
  'list activities',
  'activities per company',
  'below min touches',
  'off-list activities',
];

describe('LIST_COVERAGE', () => {
  // The list: アルファ (twice, two spellings), Beta, Gamma, Delta; a blank row → 4 companies.
  const list = ['株式会社アルファ', 'Beta', 'Gamma', 'アルファ株式会社', '', 'Delta Inc.'];
  const companies = ['(株)アルファ', 'beta', 'zeta', 'アルファ', '', 'gamma', 'omega'];
  const owners = ['Sato', 'Sato', 'Sato', 'Suzuki', 'Suzuki', 'Suzuki', ''];
  const counts = [2, 1, 3, 1, 5, 0, 1];

  it('counts reach, depth and off-list work per owner and in total', () => {
    expect(listCoverage(list, companies, { counts, owners })).toEqual([
      HEADER,
      // Sato: アルファ ×2, Beta ×1 on the list; zeta ×3 off it.
      ['Sato', 4, 2, 0.5, 3, 1.5, 2, 3],
      // Suzuki: アルファ ×1; the blank company row (5) is no activity; gamma with 0 is not reached.
      ['Suzuki', 4, 1, 0.25, 1, 1, 3, 0],
      // The blank owner: omega, off the list.
      ['(blank)', 4, 0, 0, 0, '', 4, 1],
      // Anyone: アルファ ×3, Beta ×1; Gamma and Delta unreached.
      ['Total', 4, 2, 0.5, 4, 2, 2, 4],
    ]);
  });

  it('counts list companies below min_touches, unreached ones included', () => {
    const out = listCoverage(list, companies, { counts, owners, minTouches: 2 });
    // Only アルファ has 2 touches: by Sato (2) and in total (3); Suzuki's 1 is not enough.
    expect(out.map((r) => r[6])).toEqual(['below min touches', 3, 4, 4, 3]);
    expect(listCoverage(list, companies, { counts, owners, minTouches: '4' }).at(-1)?.[6]).toBe(4);
  });

  it('gives only the Total row without owners, 1 activity per row without counts', () => {
    expect(listCoverage(list, companies)).toEqual([
      HEADER,
      // アルファ ×2, beta, gamma on the list (4 activities, 3 companies); zeta, omega off it.
      ['Total', 4, 3, 0.75, 4, 4 / 3, 1, 2],
    ]);
  });

  it('leaves coverage blank for an empty list and depth blank when nothing is reached', () => {
    expect(listCoverage(['', ''], ['a', 'b'], { owners: ['x', 'y'] })).toEqual([
      HEADER,
      ['x', 0, 0, '', 0, '', 0, 1],
      ['y', 0, 0, '', 0, '', 0, 1],
      ['Total', 0, 0, '', 0, '', 0, 2],
    ]);
    expect(listCoverage(['a'], [])).toEqual([HEADER, ['Total', 1, 0, 0, 0, '', 1, 0]]);
  });

  it('reads e-mail addresses as their domain, free mail as a person', () => {
    const out = listCoverage(
      ['taro@alpha.co.jp', 'someone@gmail.com'],
      ['hanako@alpha.co.jp', 'jiro@alpha.co.jp', 'other@gmail.com', 'someone@gmail.com'],
    );
    // alpha.co.jp ×2; someone@gmail.com ×1; other@gmail.com is another person, off the list.
    expect(out[1]).toEqual(['Total', 2, 2, 1, 3, 1.5, 0, 1]);
  });

  it('lets a bare domain in the list cover the e-mails at that domain and the same text', () => {
    expect(bareDomain('alpha.co.jp')).toBe('alpha.co.jp');
    expect(bareDomain(' https://www.Alpha.co.jp/about ')).toBe('alpha.co.jp');
    expect(bareDomain('ＡＬＰＨＡ．ＣＯ．ＪＰ')).toBe('alpha.co.jp');
    expect(bareDomain('Alpha Inc.')).toBe('');
    expect(bareDomain('taro@alpha.co.jp')).toBe('');
    expect(bareDomain('株式会社アルファ')).toBe('');
    expect(bareDomain(3.5)).toBe('');
    const out = listCoverage(
      ['alpha.co.jp', 'www.alpha.co.jp', 'beta.com'],
      ['taro@alpha.co.jp', 'alpha.co.jp', 'x@beta.com', 'beta.com'],
      { owners: ['a', 'b', 'a', 'b'] },
    );
    expect(out).toEqual([
      HEADER,
      // The two list spellings are one company; each rep reached both, one way or the other.
      ['a', 2, 2, 1, 2, 1, 0, 0],
      ['b', 2, 2, 1, 2, 1, 0, 0],
      ['Total', 2, 2, 1, 4, 2, 0, 0],
    ]);
  });

  it('skips blank companies and trailing blanks of the list; owners in order of first appearance', () => {
    const out = listCoverage(['b', 'a', '', '', ''], ['a', '', 'c', 'b', 'a'], {
      owners: ['Zed', 'Amy', 'Amy', '  ', 'Zed'],
    });
    // Amy's only row with a company is c (off the list); the blank company row adds nothing.
    expect(out.map((r) => r[0])).toEqual(['owner', 'Zed', 'Amy', '(blank)', 'Total']);
    expect(out[1]).toEqual(['Zed', 2, 1, 0.5, 2, 2, 1, 0]);
    expect(out[2]).toEqual(['Amy', 2, 0, 0, 0, '', 2, 1]);
    expect(out[3]).toEqual(['(blank)', 2, 1, 0.5, 1, 1, 1, 0]);
  });

  it('rejects a min_touches that is not a whole number ≥ 1, naming it and the value', () => {
    expect(readMinTouches('')).toBe(1);
    expect(readMinTouches(undefined)).toBe(1);
    expect(readMinTouches(3)).toBe(3);
    expect(readMinTouches('２')).toBe(2);
    expect(() => listCoverage(['a'], ['a'], { minTouches: 0 })).toThrow(
      'min_touches row 1: "0" must be a whole number of at least 1',
    );
    expect(() => listCoverage(['a'], ['a'], { minTouches: 1.5 })).toThrow(
      'min_touches row 1: "1.5" must be a whole number of at least 1',
    );
    expect(() => listCoverage(['a'], ['a'], { minTouches: 'many' })).toThrow(
      'min_touches row 1: "many" is not a number',
    );
    expect(() => localized('ja', () => listCoverage(['a'], ['a'], { minTouches: -2 }))).toThrow(
      'min_touches 1行目: "-2" は1以上の整数にしてください',
    );
  });

  it('rejects negative and non-numeric counts with the row, in EN and JA', () => {
    expect(() => listCoverage(['a'], ['a', 'b'], { counts: [1, -3] })).toThrow(
      'counts row 2: "-3" must not be negative',
    );
    expect(() => localized('ja', () => listCoverage(['a'], ['a'], { counts: ['多い'] }))).toThrow(
      'counts 1行目: "多い" は数値ではありません',
    );
  });

  it('translates the header and the Total label for a Japanese sheet', () => {
    const out = localizeTable(listCoverage(['a'], ['a'], { owners: ['佐藤'] }), 'ja', {
      total: true,
    });
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
      ['佐藤', 1, 1, 1, 1, 1, 0, 0],
      ['合計', 1, 1, 1, 1, 1, 0, 0],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties, against a plain reference written here (Maps of company keys, no typed arrays).

/** Spellings of one company each (checked below to share a key). */
const VARIANTS: readonly (readonly string[])[] = [
  ['株式会社アルファ', 'アルファ株式会社', '(株)アルファ', '㈱アルファ', 'ｱﾙﾌｧ株式会社'],
  ['Acme Inc.', 'ACME, Inc', 'acme'],
  ['taro@beta.co.jp', 'hanako@beta.co.jp', 'BETA <jiro@beta.co.jp>'],
  ['ガンマ合同会社', '合同会社ガンマ'],
  ['Delta Corp', 'DELTA CORPORATION', 'delta corp.'],
  ['someone@gmail.com'],
  ['Epsilon Ltd', 'epsilon limited'],
  ['ゼータ有限会社', '(有)ゼータ'],
];

const OWNER_NAMES = ['Sato', 'Suzuki', 'Tanaka', 'Ito'];

const rowArb = fc.record({
  company: fc.integer({ min: -1, max: VARIANTS.length - 1 }),
  variant: fc.nat(10),
  count: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 })),
  owner: fc.integer({ min: -1, max: OWNER_NAMES.length - 1 }),
});
const listArb = fc.array(
  fc.record({ company: fc.integer({ min: -1, max: VARIANTS.length - 1 }), variant: fc.nat(10) }),
  { maxLength: 12 },
);

const spell = (company: number, variant: number): string =>
  company < 0 ? '' : VARIANTS[company][variant % VARIANTS[company].length];

/** The table, by the contract, from plain company keys. */
function reference(
  list: readonly string[],
  companies: readonly string[],
  counts: readonly number[],
  owners: readonly string[] | undefined,
  min: number,
): unknown[][] {
  const listKeys = [...new Set(list.filter((c) => c !== '').map(companyKey))];
  const onList = new Set(listKeys);
  const L = listKeys.length;
  const labels: string[] = [];
  const touches = new Map<string, Map<string, number>>();
  const off = new Map<string, number>();
  const add = (who: string, key: string, n: number) => {
    if (!touches.has(who)) touches.set(who, new Map());
    if (!off.has(who)) off.set(who, 0);
    if (onList.has(key)) {
      const m = touches.get(who) as Map<string, number>;
      m.set(key, (m.get(key) ?? 0) + n);
    } else off.set(who, (off.get(who) as number) + n);
  };
  companies.forEach((c, i) => {
    if (c === '') return;
    const who = owners ? owners[i] || '(blank)' : '';
    if (owners && !labels.includes(who)) labels.push(who);
    add(who, companyKey(c), counts[i]);
    add('\u0000total', companyKey(c), counts[i]);
  });
  const row = (label: string, who: string): unknown[] => {
    const m = touches.get(who) ?? new Map<string, number>();
    const values = listKeys.map((k) => m.get(k) ?? 0);
    const reached = values.filter((v) => v > 0).length;
    const acts = values.reduce((a, b) => a + b, 0);
    return [
      label,
      L,
      reached,
      L > 0 ? reached / L : '',
      acts,
      reached > 0 ? acts / reached : '',
      values.filter((v) => v < min).length,
      off.get(who) ?? 0,
    ];
  };
  return [HEADER, ...labels.map((l) => row(l, l)), row('Total', '\u0000total')];
}

describe('LIST_COVERAGE invariants (fast-check)', () => {
  it('the variants really are one company each', () => {
    for (const v of VARIANTS) expect(new Set(v.map(companyKey)).size).toBe(1);
    expect(new Set(VARIANTS.map((v) => companyKey(v[0]))).size).toBe(VARIANTS.length);
  });

  it('equals the reference, on the dense and the grouped path, and keeps its bounds', () => {
    fc.assert(
      fc.property(
        listArb,
        fc.array(rowArb, { maxLength: 80 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (ls, rs, min, withOwners) => {
          const list = ls.map((l) => spell(l.company, l.variant));
          const companies = rs.map((r) => spell(r.company, r.variant));
          const counts = rs.map((r) => r.count);
          const owners = withOwners
            ? rs.map((r) => (r.owner < 0 ? '' : OWNER_NAMES[r.owner]))
            : undefined;
          const expected = reference(list, companies, counts, owners, min);
          const dense = listCoverage(list, companies, { counts, owners, minTouches: min });
          const grouped = listCoverage(list, companies, {
            counts,
            owners,
            minTouches: min,
            denseLimit: 0,
          });
          expect(dense).toEqual(expected);
          expect(grouped).toEqual(expected);

          const total = dense[dense.length - 1];
          const activities = rs.reduce((a, r) => a + (r.company < 0 ? 0 : r.count), 0);
          expect((total[4] as number) + (total[7] as number)).toBe(activities);
          for (const row of dense.slice(1)) {
            const [, size, reached, coverage, , , below] = row as number[];
            if (coverage !== ('' as unknown)) {
              expect(coverage).toBeGreaterThanOrEqual(0);
              expect(coverage).toBeLessThanOrEqual(1);
            }
            expect(reached).toBeLessThanOrEqual(size);
            expect(below).toBeGreaterThanOrEqual(size - reached);
            expect(total[2] as number).toBeGreaterThanOrEqual(reached);
            if (min === 1) expect(below).toBe(size - reached);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not change when a company is spelled another way', () => {
    fc.assert(
      fc.property(
        listArb,
        fc.array(rowArb, { maxLength: 60 }),
        fc.array(fc.nat(10), { minLength: 140, maxLength: 140 }),
        (ls, rs, shifts) => {
          const opts = {
            counts: rs.map((r) => r.count),
            owners: rs.map((r) => (r.owner < 0 ? '' : OWNER_NAMES[r.owner])),
          };
          const a = listCoverage(
            ls.map((l) => spell(l.company, l.variant)),
            rs.map((r) => spell(r.company, r.variant)),
            opts,
          );
          const b = listCoverage(
            ls.map((l, i) => spell(l.company, l.variant + shifts[i])),
            rs.map((r, i) => spell(r.company, r.variant + shifts[i + 20])),
            opts,
          );
          expect(b).toEqual(a);
        },
      ),
    );
  });

  it('is linear: 200k rows × 3,000 owners × a 5,000-company list stay fast', () => {
    const n = 200_000;
    const list = Array.from({ length: 5000 }, (_, i) => `List Co ${i}`);
    const companies = Array.from({ length: n }, (_, i) => `List Co ${(i * 7919) % 6000}`);
    const owners = Array.from({ length: n }, (_, i) => `rep ${i % 3000}`);
    const t0 = performance.now();
    const out = listCoverage(list, companies, { owners });
    const ms = performance.now() - t0;
    expect(out.length).toBe(3002);
    // Companies 5000…5999 are off the list: 1000 of every 6000 rows' cycle.
    const total = out[out.length - 1];
    expect((total[4] as number) + (total[7] as number)).toBe(n);
    expect(ms).toBeLessThan(5000);
  });
});
