import { describe, expect, it } from 'vitest';
import { activityArea } from '../../src/core/activity';

const HEADER = ['owner', 'activities', 'companies', 'area', 'coverage', 'health'];

describe('ACTIVITY_AREA', () => {
  it('computes area and coverage per owner and a distinct Total', () => {
    const companies = [
      '株式会社アルファ',
      'アルファ株式会社',
      'taro@beta.co.jp',
      'Gamma Inc.',
      '㈱アルファ',
      'x@gmail.com',
    ];
    const owners = ['Sato', 'Sato', 'Sato', 'Suzuki', 'Suzuki', 'Suzuki'];
    expect(activityArea(companies, { owners })).toEqual([
      HEADER,
      // Sato: 3 activities on alpha, alpha, beta → 2 companies.
      ['Sato', 3, 2, 6, 2 / 3, 'OK'],
      // Suzuki: gamma, alpha, a free-mail person → 3 companies.
      ['Suzuki', 3, 3, 9, 1, 'OK'],
      // Total: alpha, beta, gamma, the person → 4, not 2 + 3.
      ['Total', 6, 4, 24, 4 / 6, 'OK'],
    ]);
  });

  it('flags coverage below min_coverage as LOW (calls that all went to the same few companies)', () => {
    const out = activityArea(['A社', 'A社', 'A社', 'B社'], { counts: [10, 20, 30, 40] });
    expect(out).toEqual([HEADER, ['Total', 100, 2, 200, 0.02, 'LOW']]);
    expect(activityArea(['a', 'b'], { minCoverage: 1 })[1][5]).toBe('OK');
    expect(activityArea(['a', 'a'], { minCoverage: 0.5 })[1][5]).toBe('OK');
    expect(activityArea(['a', 'a', 'a'], { minCoverage: 0.5 })[1][5]).toBe('LOW');
  });

  it('skips blank companies, counts blank counts as 0 and does not call a 0-activity company reached', () => {
    const out = activityArea(['a', '', 'b', 'c'], {
      counts: [2, 5, '', 0],
      owners: ['x', 'x', 'y', 'y'],
    });
    expect(out).toEqual([
      HEADER,
      ['x', 2, 1, 2, 0.5, 'OK'],
      ['y', 0, 0, 0, '', ''],
      ['Total', 2, 1, 2, 0.5, 'OK'],
    ]);
  });

  it('keeps owners in order of first appearance and labels blank owners', () => {
    const out = activityArea(['a', 'b', 'c', 'd'], { owners: ['Zed', '', 'Amy', 'Zed'] });
    expect(out.map((r) => r[0])).toEqual(['owner', 'Zed', '(blank)', 'Amy', 'Total']);
  });

  it('rejects negative and non-numeric counts with the row', () => {
    expect(() => activityArea(['a', 'b'], { counts: [1, -3] })).toThrow(
      'counts row 2: "-3" must not be negative',
    );
    expect(() => activityArea(['a', 'b'], { counts: ['many', 1] })).toThrow(
      'counts row 1: "many" is not a number',
    );
  });

  it('reads numeric text counts', () => {
    expect(activityArea(['a'], { counts: ['1,200'] })[1][1]).toBe(1200);
  });
});
