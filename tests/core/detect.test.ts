import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../../src/core/dates';
import { detectMapping } from '../../src/core/detect';
import { FIELD_SYNONYMS, type LeadField } from '../../src/core/headers';
import { guessStage } from '../../src/core/stages';

const clock = new ZoneClock('Asia/Tokyo');

/** A small lead tab: one column per field, with data that means that field. */
const FIELDS: Partial<Record<LeadField, (i: number) => unknown>> = {
  created: (i) => `2025-0${1 + (i % 6)}-1${i % 9}`,
  company: (i) => ['株式会社アルファ', 'Acme Inc.', 'ベータ合同会社', 'Globex Ltd'][i % 4],
  email: (i) => `p${i}@example${i % 7}.com`,
  owner: (i) => ['佐藤', 'Smith', '鈴木'][i % 3],
  status: (i) => ['New', 'MQL', 'Closed Won', 'Closed Lost', 'Working'][i % 5],
  mqlDate: (i) => (i % 2 ? `2025-0${1 + (i % 6)}-2${i % 9}` : ''),
  dealDate: (i) => (i % 3 === 0 ? `2025-0${2 + (i % 6)}-0${1 + (i % 9)}` : ''),
  wonDate: (i) => (i % 5 === 2 ? `2025-0${3 + (i % 6)}-0${1 + (i % 9)}` : ''),
  amount: (i) => (i % 5 === 2 ? 1000 * (i + 1) : ''),
};
const NAMES = Object.keys(FIELDS) as LeadField[];

/** Synonyms that keep a lead tab a lead tab (an "opportunity id" would make rows deals). */
const synonyms = (f: LeadField) => FIELD_SYNONYMS[f].filter((s) => !/opportun|deal/.test(s));

/** Spells a normalised synonym the way exports do: case, spaces, underscores. */
const spell = (s: string, style: number) =>
  style === 0 ? s : style === 1 ? s.toUpperCase() : `${s.slice(0, 1).toUpperCase()}${s.slice(1)}_`;

describe('detection of real exports', () => {
  it('renaming headers among synonyms, reordering columns or adding unrelated ones never changes what is detected', () => {
    fc.assert(
      fc.property(
        fc.tuple(...NAMES.map((f) => fc.nat(synonyms(f).length - 1))),
        fc.array(fc.nat(2), { minLength: NAMES.length, maxLength: NAMES.length }),
        fc.array(fc.stringMatching(/^[a-z]{3,8}$/), { maxLength: 4 }),
        fc.integer(),
        (picks, styles, extras, seed) => {
          type Col = { field?: LeadField; header: string; cell: (i: number) => unknown };
          const cols: Col[] = NAMES.map((f, k) => ({
            field: f,
            header: spell(synonyms(f)[picks[k]], styles[k]),
            cell: FIELDS[f] as (i: number) => unknown,
          }));
          // Unrelated columns: names no field uses, values that mean nothing to the funnel.
          for (const x of extras) {
            cols.push({ header: `zz ${x}`, cell: (i) => (i % 2 ? `${x}${i}` : i * 3) });
          }
          // Shuffle deterministically by the seed.
          const order = cols
            .map((c, i) => ({ c, k: Math.sin(seed + i * 7919) }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.c);
          const rows = [
            order.map((c) => c.header),
            ...Array.from({ length: 40 }, (_, i) => order.map((c) => c.cell(i))),
          ];
          const found = detectMapping(rows, 1, 'Leads', clock, 'mdy');
          const meaning = Object.fromEntries(
            Object.entries(found.mapping).map(([f, col]) => [f, order[col as number].field]),
          );
          // Every field is found, at the column that holds it; nothing else is mapped.
          expect(meaning).toEqual(Object.fromEntries(NAMES.map((f) => [f, f])));
          expect(found.rows).toBe('lead');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('guesses what CRM status values mean', () => {
    const cases: [string, string, string][] = [
      ['Closed Won', 'deal', 'won'],
      ['Closed Lost', 'deal', 'lost'],
      ['Closed-Lost to Competition', 'deal', 'lost'],
      ['Negotiation/Review', 'deal', 'sql'],
      ['Prospecting', 'deal', 'sql'],
      ['Open', 'deal', 'sql'],
      ['Open', 'lead', 'lead'],
      ['Marketing Qualified Lead', 'lead', 'mql'],
      ['Sales Qualified Lead', 'lead', 'sql'],
      ['Customer', 'lead', 'won'],
      ['Closed - Converted', 'lead', 'sql'],
      ['Closed - Not Converted', 'lead', 'ignore'],
      ['Unqualified', 'lead', 'ignore'],
      ['受注', 'deal', 'won'],
      ['失注', 'deal', 'lost'],
      ['アプローチ', 'deal', 'sql'],
      ['ナーチャリング', 'lead', 'nurture'],
      ['新規', 'lead', 'lead'],
    ];
    for (const [value, rows, stage] of cases) {
      expect([value, guessStage(value, rows as 'lead' | 'deal')]).toEqual([value, stage]);
    }
  });

  it('takes the status column whose values close (Pipedrive: Status over Stage)', () => {
    const rows = [
      ['Deal - Title', 'Deal - Stage', 'Deal - Status', 'Deal - Deal created', 'Deal - Value'],
      ['A', 'Lead In', 'Open', '2024-05-01 09:00:00', 100],
      ['B', 'Proposal Made', 'Won', '2024-05-02 09:00:00', 200],
      ['C', 'Contact Made', 'Lost', '2024-05-03 09:00:00', 300],
    ];
    const found = detectMapping(rows, 1, 'deals', clock, 'dmy');
    expect(found.rows).toBe('deal');
    expect(found.mapping.status).toBe(2);
    expect(found.mapping.created).toBe(3);
    expect(found.mapping.amount).toBe(4);
  });

  it('a lead tab whose statuses include won and lost is still a lead tab', () => {
    const rows: unknown[][] = [
      ['Name', 'Company', 'Owner', 'Create Date', 'Close Date', 'Status', 'Amount'],
    ];
    const statuses = ['New', 'MQL', 'Working', 'Nurture', 'Won', 'Lost'];
    for (let i = 0; i < 60; i++) {
      rows.push([
        `P${i}`,
        `Co ${i % 9} Inc.`,
        'Ann',
        `2025-04-${10 + (i % 9)}`,
        i % 6 > 3 ? '2025-05-20' : '',
        statuses[i % 6],
        i % 6 === 4 ? 100 : '',
      ]);
    }
    expect(detectMapping(rows, 1, 'Sheet1', clock, 'mdy').rows).toBe('lead');
    // Japanese, on a tab named リード.
    const ja = rows.map((r, i) =>
      i === 0 ? ['氏名', '会社名', '担当者', '作成日', '完了日', 'ステータス', '金額'] : r,
    );
    expect(detectMapping(ja, 1, 'リード', clock, 'mdy').rows).toBe('lead');
  });

  it('the created date must be the earliest in most rows, not a next-action date', () => {
    const rows: unknown[][] = [
      ['商談名', '会社名', '商談日', '次回アクション日', 'フェーズ', '金額'],
    ];
    for (let i = 0; i < 50; i++) {
      rows.push([
        `案件${i}`,
        '株式会社アルファ',
        i % 10 === 0 ? '' : `2025/04/${10 + (i % 9)}`,
        '2025/06/01',
        '提案',
        1000,
      ]);
    }
    const found = detectMapping(rows, 1, 'Sheet1', clock, 'mdy');
    expect(found.rows).toBe('deal');
    expect(found.mapping.created).toBe(2); // 商談日, not 次回アクション日
  });

  it('a status column spelled three ways per stage still says won or lost', () => {
    const stages = Array.from({ length: 24 }, (_, i) => `Stage ${i}`).concat([
      'Closed Won',
      'Closed Lost',
    ]);
    const rows: unknown[][] = [['Opportunity Name', 'Stage', 'Status', 'Created Date', 'Amount']];
    for (let i = 0; i < 240; i++) {
      const s = stages[i % stages.length];
      const spelled = [s, s.toUpperCase(), ` ${s.toLowerCase()} `][i % 3];
      rows.push([`Deal ${i}`, spelled, i % 2 ? 'Active' : 'Closed Lost', '2025-04-01', 10]);
    }
    const found = detectMapping(rows, 1, 'Opportunities', clock, 'mdy');
    expect(found.mapping.status).toBe(1); // Stage (won and lost), not Status (lost only)
  });
});
