import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  daysFromCivil,
  isIsoDate,
  isoDay,
  isoMinute,
  isoToDay,
  localOfSerial,
  serialOfDay,
} from '../../src/core/dates';

describe('days, ISO text and serials (src/core/dates/civil.ts)', () => {
  it('isoToDay and isoDay are inverse', () => {
    for (const iso of ['1899-12-30', '1970-01-01', '2000-02-29', '2025-04-01', '9999-12-31']) {
      expect(isoDay(isoToDay(iso))).toBe(iso);
    }
    expect(isoToDay('1970-01-02')).toBe(1);
  });

  it('isoToDay refuses anything but yyyy-mm-dd', () => {
    expect(() => isoToDay('2025-4-1')).toThrow(/not an ISO date/);
    expect(() => isoToDay('')).toThrow(/not an ISO date/);
  });

  it('isIsoDate accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-02-31')).toBe(false);
    expect(isIsoDate('2024-2-1')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });

  it('serials: the day a date cell holds, and back', () => {
    expect(serialOfDay(0)).toBe(25_569);
    expect(serialOfDay(isoToDay('1899-12-30'))).toBe(0);
    expect(serialOfDay(isoToDay('2025-04-01'))).toBe(45_748);
    // A serial's time of day survives, to the millisecond.
    expect(localOfSerial(45_748.5)).toBe(isoToDay('2025-04-01') * DAY_MS + DAY_MS / 2);
    expect(localOfSerial(serialOfDay(daysFromCivil(2017, 10, 20)))).toBe(
      daysFromCivil(2017, 10, 20) * DAY_MS,
    );
  });

  it('isoMinute writes a local ms value to the minute', () => {
    const local = isoToDay('2025-11-23') * DAY_MS + (14 * 60 + 5) * 60_000 + 59_999;
    expect(isoMinute(local)).toBe('2025-11-23 14:05');
    expect(isoMinute(0)).toBe('1970-01-01 00:00');
  });
});
