import { describe, expect, it } from 'vitest';
import { detectJoin, joinNote, matchCount } from '../../src/core/join';

const LEADS = [
  ['Lead ID', 'Company'],
  ['L1', 'Acme Inc.'],
  ['L2', 'Globex Ltd'],
  ['L3', 'Initech'],
];

describe('deals tab ↔ lead tab join (src/core/join.ts)', () => {
  it('joins by the same ID header, or by a lead-ID header in the deals tab', () => {
    expect(
      detectJoin(LEADS[0], { id: 0, company: 1 }, ['Deal', 'Lead ID'], { company: 0 }),
    ).toEqual({ joinBy: 'id', leadKey: 0, dealKey: 1 });
    expect(detectJoin(['mql_id', 'Company'], { id: 0 }, ['Deal ID', 'MQL ID'], {})).toEqual({
      joinBy: 'id',
      leadKey: 0,
      dealKey: 1,
    });
  });

  it('a generic record ID in both tabs is no join: then by company, else none', () => {
    expect(
      detectJoin(['Record ID', 'Company'], { id: 0, company: 1 }, ['Record ID', 'Company'], {
        company: 1,
      }),
    ).toEqual({ joinBy: 'company', leadKey: 1, dealKey: 1 });
    expect(detectJoin(['レコード番号'], { id: 0 }, ['レコード番号'], {})).toEqual({
      joinBy: 'none',
    });
    // E-mail stands in for the lead tab's company.
    expect(detectJoin(['Email'], { email: 0 }, ['Company'], { company: 0 })).toEqual({
      joinBy: 'company',
      leadKey: 0,
      dealKey: 0,
    });
  });

  it('counts the deals that find a lead', () => {
    expect(matchCount(['L1', 'L2', ''], ['L1', 'L9', '', 'L2'], 'id')).toEqual({
      matched: 2,
      total: 3,
    });
    expect(matchCount(['Acme Inc.'], ['ACME INC', 'Globex'], 'company').total).toBe(2);
  });

  it('says how deals join leads, in the spreadsheet language', () => {
    const deals = {
      values: [
        ['Deal', 'Lead ID'],
        ['D1', 'L1'],
        ['D2', 'L9'],
      ],
      headerRow: 1,
      header: ['Deal', 'Lead ID'],
    };
    const lead = { values: LEADS, headerRow: 1 };
    const join = detectJoin(LEADS[0], { id: 0 }, deals.header, {});
    expect(joinNote('en', join, lead, deals)).toBe(
      'Deals are joined to leads by "Lead ID" = "Lead ID": 1 of 2 deals match a lead.',
    );
    expect(joinNote('ja', { joinBy: 'none' }, lead, deals)).toMatch(
      /^商談タブにはリードタブと共通/,
    );
  });
});
