import { describe, expect, it } from 'vitest';
import { cohortConversion } from '../../src/core/cohort';
import { ZoneClock } from '../../src/core/dates';

const clock = new ZoneClock('Asia/Tokyo');
const chase = (leads: unknown[], convs: unknown[], extra: object = {}) =>
  cohortConversion(leads, convs, { view: 'chase', period: 'month', clock, ...extra });
const slice = (leads: unknown[], convs: unknown[], extra: object = {}) =>
  cohortConversion(leads, convs, { view: 'slice', period: 'month', clock, ...extra });

describe('COHORT_CONVERSION chase (追っかけ)', () => {
  // Jan: 4 leads — converted in Jan, Feb, Mar and never. Feb: 2 leads — one in Feb. Mar: none.
  // Apr: 1 lead, not converted.
  const leads = [
    '2025-01-05',
    '2025-01-10',
    '2025-01-20',
    '2025-01-31',
    '2025-02-01',
    '2025-02-14',
    '2025-04-02',
  ];
  const convs = ['2025-01-25', '2025-02-10', '2025-03-03', '', '2025-02-20', '', ''];

  it('follows each cohort, with empty periods and the immature triangle', () => {
    expect(chase(leads, convs)).toEqual([
      ['period', 'leads', 'converted', 'rate', '+0', '+1', '+2', '+3'],
      ['2025-01', 4, 3, 0.75, 0.25, 0.5, 0.75, 0.75],
      ['2025-02', 2, 1, 0.5, 0.5, 0.5, 0.5, ''],
      ['2025-03', 0, 0, '', '', '', '', ''],
      ['2025-04', 1, 0, 0, 0, '', '', ''],
    ]);
  });

  it('ignores conversions after as_of and widens to the as_of period', () => {
    const out = chase(leads, convs, { asOf: '2025-02-28' });
    // The April lead is after as_of; the March conversion is too.
    expect(out).toEqual([
      ['period', 'leads', 'converted', 'rate', '+0', '+1'],
      ['2025-01', 4, 2, 0.5, 0.25, 0.5],
      ['2025-02', 2, 1, 0.5, 0.5, ''],
    ]);
    const later = chase(leads, convs, { asOf: '2025-06-30' });
    expect(later[0].length).toBe(4 + 6); // +0 … +5
    expect(later[1].slice(4)).toEqual([0.25, 0.5, 0.75, 0.75, 0.75, 0.75]);
    expect(later[4].slice(4)).toEqual([0, 0, 0, '', '', '']);
  });

  it('counts a conversion dated before its lead at +0', () => {
    // The latest date is the March lead, so as_of defaults to March: K = 0.
    expect(chase(['2025-03-10'], ['2025-01-01'])).toEqual([
      ['period', 'leads', 'converted', 'rate', '+0'],
      ['2025-03', 1, 1, 1, 1],
    ]);
  });

  it('buckets Date cells at month ends in Tokyo, not UTC', () => {
    // 2025-02-01 00:30 Tokyo = 2025-01-31 15:30 UTC: a February lead.
    const feb1 = new Date(Date.UTC(2025, 0, 31, 15, 30));
    // 2025-02-28 23:30 Tokyo = 14:30 UTC: still February.
    const feb28 = new Date(Date.UTC(2025, 1, 28, 14, 30));
    expect(chase([feb1], [feb28])).toEqual([
      ['period', 'leads', 'converted', 'rate', '+0'],
      ['2025-02', 1, 1, 1, 1],
    ]);
  });

  it('counts companies instead of leads: first lead, earliest conversion', () => {
    const out = chase(
      ['2025-01-10', '2025-02-03', '2025-02-05', '2025-02-07'],
      ['', '2025-03-01', '2025-02-20', ''],
      {
        companies: ['株式会社アルファ', 'アルファ株式会社', 'taro@beta.co.jp', 'hanako@beta.co.jp'],
      },
    );
    // Alpha: cohort Jan (first lead), converts Mar (+2). Beta: cohort Feb, converts Feb (+0).
    expect(out).toEqual([
      ['period', 'companies', 'converted', 'rate', '+0', '+1', '+2'],
      ['2025-01', 1, 1, 1, 0, 0, 1],
      ['2025-02', 1, 1, 1, 1, 1, ''],
    ]);
  });

  it('buckets by ISO week and by quarter', () => {
    const weeks = cohortConversion(
      ['2025-03-31', '2025-04-06', '2025-04-07'],
      ['2025-04-08', '', ''],
      {
        view: 'chase',
        period: 'week',
        clock,
      },
    );
    expect(weeks.map((r) => r.slice(0, 4))).toEqual([
      ['period', 'leads', 'converted', 'rate'],
      ['2025-W14', 2, 1, 0.5],
      ['2025-W15', 1, 0, 0],
    ]);
    expect(weeks[1].slice(4)).toEqual([0, 0.5]);
    const quarters = cohortConversion(['2025-03-31', '2025-04-01'], ['2025-07-01', ''], {
      view: 'chase',
      period: 'quarter',
      clock,
    });
    expect(quarters).toEqual([
      ['period', 'leads', 'converted', 'rate', '+0', '+1', '+2'],
      ['2025-Q1', 1, 1, 1, 0, 0, 1],
      ['2025-Q2', 1, 0, 0, 0, 0, ''],
    ]);
  });

  it('returns only the header when there are no leads', () => {
    expect(chase([], [])).toEqual([['period', 'leads', 'converted', 'rate']]);
    expect(chase(['', ''], ['', ''])).toEqual([['period', 'leads', 'converted', 'rate']]);
  });

  it('refuses a span too wide to show, naming the suspicious row', () => {
    const leads = ['2025-01-10', '2025-02-10', '1925-02-01', '2025-03-01'];
    expect(() =>
      cohortConversion(leads, ['', '', '', ''], { view: 'chase', period: 'week', clock }),
    ).toThrow(/lead_dates row 3 \("1925-02-01"\)/);
  });
});

describe('COHORT_CONVERSION slice (輪切り)', () => {
  it('counts leads and conversions by their own period', () => {
    const out = slice(
      ['2025-01-05', '2025-01-20', '2025-02-01', ''],
      ['2025-02-03', '', '2025-02-10', '2025-04-01'],
    );
    expect(out).toEqual([
      ['period', 'leads', 'converted', 'rate'],
      ['2025-01', 2, 0, 0],
      ['2025-02', 1, 2, 2],
      ['2025-03', 0, 0, ''],
      ['2025-04', 0, 1, ''],
    ]);
  });

  it('applies as_of to both columns', () => {
    const out = slice(['2025-01-05', '2025-03-01'], ['2025-02-03', '2025-03-05'], {
      asOf: '2025-02-28',
    });
    expect(out).toEqual([
      ['period', 'leads', 'converted', 'rate'],
      ['2025-01', 1, 0, 0],
      ['2025-02', 0, 1, ''],
    ]);
  });
});
