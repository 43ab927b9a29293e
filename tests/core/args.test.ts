import { describe, expect, it } from 'vitest';
import { alignColumns, choice, column, isOmitted, scalar } from '../../src/core/args';
import { VIEW_CHOICES } from '../../src/core/cohort';
import { PERIOD_CHOICES } from '../../src/core/dates';

describe('argument shaping', () => {
  it('takes a 2D single-column range, a scalar or a 1D array', () => {
    expect(column([['a'], ['b']], 'x')).toEqual(['a', 'b']);
    expect(column('a', 'x')).toEqual(['a']);
    expect(column(['a', 'b'], 'x')).toEqual(['a', 'b']);
  });

  it('rejects a multi-column range', () => {
    expect(() => column([['a', 'b']], 'lead_dates')).toThrow(
      'lead_dates must be a single column, but it has 2 columns',
    );
  });

  it('trims trailing blank rows of open-ended ranges and keeps the columns aligned', () => {
    const a = { name: 'a', values: ['x', '', 'y', '', '', ''] };
    const b = { name: 'b', values: ['', '', '', 'z', '', ''] };
    expect(alignColumns([a, b])).toBe(4);
    expect(a.values).toEqual(['x', '', 'y', '']);
    expect(b.values).toEqual(['', '', '', 'z']);
  });

  it('accepts different heights only when the extra rows are blank', () => {
    const ok = [
      { name: 'a', values: ['x', 'y'] },
      { name: 'b', values: ['1', '2', '', ''] },
    ];
    expect(alignColumns(ok)).toBe(2);
    const bad = [
      { name: 'lead_dates', values: ['x', 'y'] },
      { name: 'converted_dates', values: ['1', '2', '3'] },
    ];
    expect(() => alignColumns(bad)).toThrow(
      'lead_dates has 2 rows but converted_dates has 3: the ranges must be the same height',
    );
  });

  it('does not modify the caller’s arrays', () => {
    const range = [['a'], ['']];
    const flat = ['a', ''];
    alignColumns([{ name: 'r', values: column(range, 'r') }]);
    alignColumns([{ name: 'f', values: column(flat, 'f') }]);
    expect(range).toEqual([['a'], ['']]);
    expect(flat).toEqual(['a', '']);
  });

  it('reads enumerated choices in English or Japanese, and lists the valid ones', () => {
    expect(choice('', 'view', VIEW_CHOICES, 'chase')).toBe('chase');
    expect(choice(' Slice ', 'view', VIEW_CHOICES, 'chase')).toBe('slice');
    expect(choice('輪切り', 'view', VIEW_CHOICES, 'chase')).toBe('slice');
    expect(choice('追っかけ', 'view', VIEW_CHOICES, 'chase')).toBe('chase');
    expect(choice([['WEEK']], 'period', PERIOD_CHOICES, 'month')).toBe('week');
    expect(() => choice('daily', 'period', PERIOD_CHOICES, 'month')).toThrow(
      /period: "daily" is not valid; use one of month, .*week.*quarter/,
    );
    expect(() => choice('constructor', 'view', VIEW_CHOICES, 'chase')).toThrow(/not valid/);
  });

  it('unwraps one-cell ranges and recognises omitted arguments', () => {
    expect(scalar([[5]])).toBe(5);
    expect(isOmitted(undefined)).toBe(true);
    expect(isOmitted('')).toBe(true);
    expect(isOmitted([['']])).toBe(true);
    expect(isOmitted([['a']])).toBe(false);
  });
});
