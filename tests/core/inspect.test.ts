import { describe, expect, it } from 'vitest';
import { daysFromCivil, isoDay, yearMonthOfDay, ZoneClock } from '../../src/core/dates';
import { detectMapping } from '../../src/core/detect';
import {
  checkCreatedInWindow,
  headerScore,
  inspectValues,
  isDealHeader,
  proposedWindow,
  stagedListScore,
  suggestLeadTab,
} from '../../src/core/inspect';
import { readLeadTable } from '../../src/core/leads';

const clock = new ZoneClock('Asia/Tokyo');
const c = { lang: 'en' as const, clock, localeOrder: 'mdy' as const };

const LEADS: unknown[][] = [
  ['Lead ID', 'Created', 'Company', 'Status', 'Won date', 'Amount'],
  ['L1', '2025-01-10', 'Acme Inc.', 'Won', '2025-02-01', 1000],
  ['L2', '2025-02-11', 'Globex Ltd', 'Lost', '', ''],
  ['L3', '20/03/2025', 'Initech', 'Won', '2025-04-01', 3000],
  ['L4', '2025-03-25', 'Acme Inc.', 'New', '', ''],
];

describe('tab inspection (src/core/inspect.ts)', () => {
  it('proposes the last twelve whole months up to the latest lead', () => {
    expect(proposedWindow(daysFromCivil(2025, 3, 25))).toEqual({
      from: '2024-04-01',
      to: '2025-03-31',
    });
    expect(proposedWindow(daysFromCivil(2024, 12, 1))).toEqual({
      from: '2024-01-01',
      to: '2024-12-31',
    });
  });

  it('proposes the same window as the calendar arithmetic it replaced, any day', () => {
    for (let day = daysFromCivil(1990, 1, 1); day < daysFromCivil(2031, 1, 1); day += 7) {
      const { y, m: mo } = yearMonthOfDay(day);
      expect(proposedWindow(day)).toEqual({
        from: isoDay(daysFromCivil(mo === 12 ? y : y - 1, mo === 12 ? 1 : mo + 1, 1)),
        to: isoDay(daysFromCivil(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1) - 1),
      });
    }
  });

  it('scores headers, tells deal exports, suggests the lead list', () => {
    expect(headerScore(LEADS[0])).toBeGreaterThanOrEqual(5);
    expect(isDealHeader(['Deal - Title', 'Deal - Value'])).toBe(true);
    expect(isDealHeader(['Opportunity ID', 'Amount'])).toBe(true);
    expect(isDealHeader(LEADS[0])).toBe(false);
    expect(stagedListScore(['Company', 'Activity', 'Date'])).toBe(0);
    expect(stagedListScore(LEADS[0])).toBe(headerScore(LEADS[0]));
    const tabs = [
      { name: 'Deals', rows: 900, score: 6 },
      { name: 'Leads', rows: 100, score: 5 },
      { name: 'Notes', rows: 1000, score: 0 },
    ];
    expect(suggestLeadTab(tabs, new Set(['Deals']))).toBe('Leads');
    expect(suggestLeadTab([{ name: 'Notes', rows: 3, score: 0 }], new Set())).toBeNull();
  });

  it('inspects a tab: preview dates as ISO, reasons, notes, defaults, data range', () => {
    const detection = detectMapping(LEADS, 1, 'Leads', clock, 'mdy');
    const ins = inspectValues(c, 'Leads', LEADS, 1, detection, undefined, 'lead');
    expect(ins.rows).toBe(4);
    expect(ins.mapping.created).toBe(1);
    // 20/03/2025 can only be day first: read so, shown as ISO.
    expect(ins.preview[2][ins.fields.indexOf('created')]).toBe('2025-03-20');
    expect(ins.reasons.created).toBe('"Created": named so');
    expect(ins.notes[0]).toBe('Each row is a lead.');
    expect(ins.notes.some((n) => n.startsWith('"Created": text dates read day first'))).toBe(true);
    expect(ins.defaults).toEqual({
      period: 'month',
      from: '2024-04-01',
      to: '2025-03-31',
      avgDealSize: 2000,
    });
    expect(ins.dataRange).toEqual({ first: '2025-01-10', last: '2025-03-25' });
    // A mapping given by the user is explained as chosen by them.
    const mine = inspectValues(c, 'Leads', LEADS, 1, detection, { created: 4 }, 'lead');
    expect(mine.reasons.created).toBe('"Won date": chosen by you');
  });

  it("with no readable created date, proposes the year up to today (the sheet's zone)", () => {
    const values = [['Created'], ['soon']];
    const detection = detectMapping(values, 1, 'T', clock, 'mdy');
    const now = Date.UTC(2025, 5, 30, 16); // 2025-07-01 01:00 in Tokyo
    const ins = inspectValues(c, 'T', values, 1, detection, { created: 0 }, 'lead', now);
    expect(ins.defaults.from).toBe('2024-08-01');
    expect(ins.defaults.to).toBe('2025-07-31');
    expect(ins.dataRange).toBeNull();
  });

  it('refuses a build whose window holds no lead, or whose created dates are unreadable', () => {
    const table = readLeadTable(LEADS, { created: 1 }, clock, {}, 1);
    expect(() => checkCreatedInWindow(table, 1, '2025-01-01', '2025-12-31', 'en')).not.toThrow();
    expect(() => checkCreatedInWindow(table, 1, '2026-01-01', '2026-12-31', 'en')).toThrow(
      'No lead is created in the window 2026-01-01 … 2026-12-31: the created dates run from 2025-01-10 to 2025-03-25.',
    );
    const bad = readLeadTable([['Created'], ['soon']], { created: 0 }, clock, {}, 1);
    expect(() => checkCreatedInWindow(bad, 0, '2025-01-01', '2025-12-31', 'ja')).toThrow(
      /列「Created」に読み取れる日付がありません/,
    );
  });
});
