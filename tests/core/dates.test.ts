import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DateReader,
  daysFromCivil,
  periodLabel,
  periodOfDay,
  periodStartDay,
  ZoneClock,
} from '../../src/core/dates';
import { KpiError } from '../../src/core/errors';

const tokyo = new ZoneClock('Asia/Tokyo');
const reader = new DateReader(tokyo);
/** The local (Tokyo) day of a cell, as a Y-M-D string computed independently with Date.UTC. */
const localDay = (v: unknown): string => {
  const ms = reader.read(v, 'x', 1);
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
};

describe('ZoneClock', () => {
  it('knows Tokyo is UTC+9 with no DST', () => {
    expect(tokyo.offsetAt(Date.UTC(2025, 0, 15))).toBe(9 * 3600_000);
    expect(tokyo.offsetAt(Date.UTC(2025, 6, 15))).toBe(9 * 3600_000);
  });

  it('follows DST in New York on the switch day, per instant', () => {
    const ny = new ZoneClock('America/New_York');
    // 2025-03-09 07:00 UTC = 03:00 EDT (just after the switch); 06:59 UTC = 01:59 EST.
    expect(ny.toLocal(Date.UTC(2025, 2, 9, 7, 0))).toBe(Date.UTC(2025, 2, 9, 3, 0));
    expect(ny.toLocal(Date.UTC(2025, 2, 9, 6, 59))).toBe(Date.UTC(2025, 2, 9, 1, 59));
    expect(ny.toLocal(Date.UTC(2025, 6, 1, 12))).toBe(Date.UTC(2025, 6, 1, 8));
  });

  it('round-trips fromLocal', () => {
    const local = Date.UTC(2025, 3, 1, 0, 0);
    expect(tokyo.fromLocal(local)).toBe(Date.UTC(2025, 2, 31, 15, 0));
  });

  it('rejects an unknown zone', () => {
    expect(() => new ZoneClock('Mars/Olympus')).toThrow(KpiError);
  });
});

describe('DateReader', () => {
  it('buckets a Date cell in the spreadsheet zone, not the process zone', () => {
    // 1 April 00:00 in Tokyo is 31 March 15:00 UTC: it must land on 1 April.
    expect(localDay(new Date(Date.UTC(2025, 2, 31, 15, 0)))).toBe('2025-04-01');
    expect(localDay(new Date(Date.UTC(2025, 2, 31, 14, 59)))).toBe('2025-03-31');
  });

  it('reads text dates in the common Japanese and ISO spellings', () => {
    for (const text of [
      '2025-04-01',
      '2025/4/1',
      '2025/04/01',
      '2025年4月1日',
      '2025.4.1',
      '２０２５／４／１',
      ' 2025-04-01 ',
      '2025/4/1 23:59',
      '2025-04-01T10:30:00',
    ]) {
      expect(localDay(text), text).toBe('2025-04-01');
    }
  });

  it('treats text with a zone as an instant', () => {
    expect(localDay('2025-03-31T15:00:00Z')).toBe('2025-04-01');
    expect(localDay('2025-04-01T00:30:00+09:00')).toBe('2025-04-01');
    expect(localDay('2025-03-31T23:30:00-01:00')).toBe('2025-04-01');
  });

  it('reads serial numbers as Sheets does (1899-12-30 epoch)', () => {
    expect(localDay(45748)).toBe('2025-04-01');
    expect(localDay(45748.99)).toBe('2025-04-01');
    expect(localDay(1)).toBe('1899-12-31');
  });

  it('returns NaN for blanks', () => {
    expect(reader.read('', 'x', 1)).toBeNaN();
    expect(reader.read(null, 'x', 1)).toBeNaN();
    expect(reader.read('   ', 'x', 1)).toBeNaN();
  });

  it('rejects non-dates naming argument, row and value', () => {
    const bad = [
      '2025/13/01',
      '2025/2/30',
      'next week',
      '2025-04',
      true,
      0,
      -5,
      Number.NaN,
      new Date(Number.NaN),
      '#N/A',
      1e12,
    ];
    for (const v of bad) {
      expect(() => reader.read(v, 'converted_dates', 17), String(v)).toThrow(
        /^converted_dates row 17: ".*" is not a date$/,
      );
    }
    expect(() => reader.read('2025/13/01', 'converted_dates', 17)).toThrow(
      'converted_dates row 17: "2025/13/01" is not a date',
    );
  });
});

describe('periods', () => {
  const day = (y: number, m: number, d: number) => daysFromCivil(y, m, d);
  it('labels months, quarters and ISO weeks', () => {
    expect(periodLabel(periodOfDay(day(2025, 4, 1), 'month'), 'month')).toBe('2025-04');
    expect(periodLabel(periodOfDay(day(2025, 12, 31), 'month'), 'month')).toBe('2025-12');
    expect(periodLabel(periodOfDay(day(2025, 4, 1), 'quarter'), 'quarter')).toBe('2025-Q2');
    expect(periodLabel(periodOfDay(day(2025, 3, 31), 'quarter'), 'quarter')).toBe('2025-Q1');
    // 2025-04-01 is a Tuesday in ISO week 14.
    expect(periodLabel(periodOfDay(day(2025, 4, 1), 'week'), 'week')).toBe('2025-W14');
    // ISO year boundaries: 2024-12-30 (Mon) is 2025-W01; 2021-01-03 (Sun) is 2020-W53.
    expect(periodLabel(periodOfDay(day(2024, 12, 30), 'week'), 'week')).toBe('2025-W01');
    expect(periodLabel(periodOfDay(day(2021, 1, 3), 'week'), 'week')).toBe('2020-W53');
    expect(periodLabel(periodOfDay(day(2021, 1, 4), 'week'), 'week')).toBe('2021-W01');
  });

  it('starts weeks on Monday', () => {
    const mon = day(2025, 3, 31);
    expect(periodOfDay(mon - 1, 'week')).toBe(periodOfDay(mon, 'week') - 1);
    expect(periodOfDay(mon + 6, 'week')).toBe(periodOfDay(mon, 'week'));
    expect(periodStartDay(periodOfDay(mon + 3, 'week'), 'week')).toBe(mon);
  });

  it('numbers consecutive periods consecutively', () => {
    expect(periodOfDay(day(2025, 1, 1), 'month') - periodOfDay(day(2024, 12, 31), 'month')).toBe(1);
    expect(
      periodOfDay(day(2025, 1, 1), 'quarter') - periodOfDay(day(2024, 12, 31), 'quarter'),
    ).toBe(1);
    expect(periodStartDay(periodOfDay(day(2025, 5, 20), 'quarter'), 'quarter')).toBe(
      day(2025, 4, 1),
    );
  });

  it('agrees with Date.UTC across four centuries', () => {
    for (let y = 1800; y <= 2400; y += 7) {
      for (const m of [1, 2, 3, 12]) {
        expect(day(y, m, 1)).toBe(Date.UTC(y, m - 1, 1) / DAY_MS);
      }
    }
  });
});
