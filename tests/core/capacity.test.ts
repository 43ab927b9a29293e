import { describe, expect, it } from 'vitest';
import { capacity, ceilSafe } from '../../src/core/capacity';

const HEADER = ['stage', 'required', 'capacity', 'utilisation', 'heads needed'];

describe('CAPACITY', () => {
  it('runs the reverse funnel from a revenue target', () => {
    // 30M yen ÷ 1M average = 30 won; ÷ 0.25 = 120 SQL; ÷ 0.4 = 300 MQL; ÷ 0.2 = 1500 leads.
    const out = capacity({
      stages: ['Lead', 'MQL', 'SQL', 'Won'],
      rates: [0.2, 0.4, 0.25, ''],
      heads: ['', 3, 4, ''],
      perHead: ['', 120, 20, ''],
      target: 30_000_000,
      avgDealSize: 1_000_000,
    });
    expect(out).toEqual([
      HEADER,
      ['Lead', 1500, '', '', ''],
      ['MQL', 300, 360, 300 / 360, 3],
      ['SQL', 120, 80, 1.5, 6],
      ['Won', 30, '', '', ''],
    ]);
  });

  it('rounds the final count and every stage up', () => {
    const out = capacity({
      stages: ['Deal', 'Won'],
      rates: [0.3, ''],
      heads: ['', ''],
      perHead: ['', ''],
      target: 2_500_000,
      avgDealSize: 1_000_000,
    });
    // 2.5 → 3 won; 3 ÷ 0.3 = 10 deals (not 11 from floating-point noise).
    expect(out.slice(1).map((r) => r[1])).toEqual([10, 3]);
    expect(ceilSafe(10 / 0.1)).toBe(100);
    expect(ceilSafe(100.4)).toBe(101);
  });

  it('accepts percent text rates and a count target', () => {
    const out = capacity({
      stages: ['MQL', 'SQL'],
      rates: ['25%', ''],
      heads: [2, 1],
      perHead: [50, 10],
      target: 10,
    });
    expect(out).toEqual([HEADER, ['MQL', 40, 100, 0.4, 1], ['SQL', 10, 10, 1, 1]]);
  });

  it('shows zero heads as zero capacity', () => {
    const out = capacity({
      stages: ['MQL', 'SQL'],
      rates: [0.5, ''],
      heads: [0, ''],
      perHead: [50, ''],
      target: 10,
    });
    expect(out[1]).toEqual(['MQL', 20, 0, '', 1]);
  });

  it('rejects bad rates, heads and targets with the row and value', () => {
    const base = {
      stages: ['A', 'B', 'C'],
      rates: [0.5, 0.5, ''],
      heads: ['', '', ''],
      perHead: ['', '', ''],
      target: 10,
    };
    expect(() => capacity({ ...base, rates: [0.5, 0, ''] })).toThrow(
      'rates row 2: "0" is not a conversion rate',
    );
    expect(() => capacity({ ...base, rates: [1.5, 0.5, ''] })).toThrow(/rates row 1: "1.5"/);
    expect(() => capacity({ ...base, rates: ['', 0.5, ''] })).toThrow(/rates row 1: ""/);
    expect(() => capacity({ ...base, heads: ['', -1, ''] })).toThrow(
      'heads row 2: "-1" must not be negative',
    );
    expect(() => capacity({ ...base, perHead: [0, '', ''], heads: [1, '', ''] })).toThrow(
      /per_head row 1/,
    );
    expect(() => capacity({ ...base, target: '' })).toThrow('target is required');
    expect(() => capacity({ ...base, target: -5 })).toThrow(
      /target row 1: "-5" must not be negative/,
    );
    expect(() => capacity({ ...base, stages: ['A', '', 'C'] })).toThrow(
      'stages row 2: the stage name is blank',
    );
  });
});
