import { describe, expect, it } from 'vitest';
import { conversionDays } from '../../src/core/conversion';
import { DateReader, daysFromCivil, ZoneClock } from '../../src/core/dates';

const reader = new DateReader(new ZoneClock('Asia/Tokyo'));
const day = (y: number, m: number, d: number) => daysFromCivil(y, m, d);

describe('conversion dates for the cohort', () => {
  it('joins by ID with case kept: Salesforce IDs differing only in case are two leads', () => {
    const days = conversionDays({
      leads: 2,
      dates: ['2025-05-01'],
      reader,
      leadKeys: ['00Q5g00000AbCdE', '00Q5g00000abcde'],
      dealKeys: ['00Q5g00000abcde'],
      matchBy: 'id',
    });
    expect(days[0]).toBeNaN();
    expect(days[1]).toBe(day(2025, 5, 1));
  });

  it('by company, a lead converts at its company’s first deal on or after the lead, not an older one', () => {
    const days = conversionDays({
      leads: 1,
      dates: ['2023-01-10', '2024-06-01'],
      reader,
      leadKeys: ['Acme Inc.'],
      dealKeys: ['ACME, Inc', 'acme'],
      matchBy: 'company',
      leadDays: [day(2024, 3, 1)],
    });
    expect(days).toEqual([day(2024, 6, 1)]);
  });

  it('keeps only rows whose status means the stage (a close date is a won date only there)', () => {
    const days = conversionDays({
      leads: 3,
      dates: ['2025-04-20', '2025-04-21', ''],
      reader,
      statuses: ['Closed Won', 'Closed Lost', 'Closed Won'],
      stages: { 'closed won': 'won', 'closed lost': 'lost' },
      stage: 'won',
    });
    expect(days[0]).toBe(day(2025, 4, 20));
    expect(days[1]).toBeNaN();
    expect(days[2]).toBeNaN();
  });
});
