/**
 * The four export shapes users sent (#23), each through the manager's path in Japanese and in
 * English — proposed tabs, proposed columns, guessed stages, proposed window, nothing touched —
 * and each tree equal to the truth of its rows; plus what the sidebar says about each shape.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import { type CrmFixture, FIXTURE_TIME_ZONE } from '../fixtures/crm';
import {
  eurAmounts,
  noCreatedOpportunities,
  odooMixedLeads,
  twoTabsQualification,
} from '../fixtures/shapes';
import { managersPath, mismatches, TREE_LABELS } from '../helpers/managers-path';
import { untouchedSettings } from '../helpers/settings';

const SHAPES: [string, () => CrmFixture][] = [
  ['an opportunity export without a creation date', () => noCreatedOpportunities({ rows: 800 })],
  [
    'lead and opportunity rows in one tab, with an active flag',
    () => odooMixedLeads({ rows: 800 }),
  ],
  ['two tabs, qualification-step statuses', () => twoTabsQualification({ rows: 800 })],
  ['EUR amounts in a ja_JP spreadsheet', () => eurAmounts({ rows: 800 })],
];

describe('the four export shapes: the tree equals the truth, in Japanese and English', () => {
  for (const [what, make] of SHAPES) {
    for (const lang of ['ja', 'en'] as const) {
      it(`${what} (${lang})`, () => {
        const fx = make();
        const r = managersPath(fx, lang);
        expect(mismatches(r), fx.id).toEqual([]);
      });
    }
  }
});

function open(fx: CrmFixture): LocalRuntime {
  const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: fx.locale });
  rt.loadSheets(fx.tabs);
  return rt;
}

describe('what the sidebar says about each shape', () => {
  it('without a creation date: the window from the closing dates, leads and MQL "no data", and why', () => {
    const fx = noCreatedOpportunities({ rows: 800 });
    const rt = open(fx);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', fx.tabs[0].name);
    expect(ins.mapping.created).toBeUndefined();
    expect(ins.rowsAre).toBe('deal');
    expect(ins.notes.join('\n')).toContain(
      'No created date in this tab: leads and MQL read "no data"',
    );
    // The proposed window ends with the month of the latest closing date in the rows.
    const closes = fx.truth.flatMap((t) => [t.won, t.lost]).filter((d) => d !== undefined);
    const last = new Date(Math.max(...(closes as number[])) * 86_400_000);
    const end = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 0));
    expect(ins.defaults.to).toBe(end.toISOString().slice(0, 10));
    const r = managersPath(fx, 'en');
    expect(r.pairs.leads[0]).toBe(TREE_LABELS.en.noData);
    expect(r.pairs.mql[0]).toBe(TREE_LABELS.en.noData);
    expect(typeof r.pairs.won[0]).toBe('number');
    expect(typeof r.pairs.closed[0]).toBe('number');
  });

  it('without a creation date or anything that dates a won deal: refused, saying what is missing', () => {
    const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: 'ja_JP' });
    rt.loadSheets([
      {
        name: 'Deals',
        rows: [
          ['Deal', 'Firm', 'Value'],
          ['Renewal', 'Acme Inc.', '1200'],
          ['New', 'Globex Corp.', '900'],
        ],
        parse: 'user-entered',
      },
      {
        // A closing date, but no status to say which deals were won.
        name: 'Closed',
        rows: [
          ['Deal', 'Firm', 'Value', 'Close'],
          ['Renewal', 'Acme Inc.', '1200', '2025-04-03'],
          ['New', 'Globex Corp.', '900', '2025-04-09'],
        ],
        parse: 'user-entered',
      },
    ]);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Deals');
    expect(() => rt.callFromSidebar('kpiBuild', untouchedSettings(ins, 'ja'))).toThrow(
      'リードの作成日の列を選んでください。',
    );
    const closed = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Closed');
    const s = untouchedSettings(closed, 'ja');
    s.mapping = { closeDate: 3, company: 1, amount: 2 };
    expect(() => rt.callFromSidebar('kpiBuild', s)).toThrow(
      /作成日がなく、受注を日付づけるものもありません。作成日、受注日、または受注を表すステータス列と完了日/,
    );
  });

  it('lead and opportunity rows: the record type and the active flag found, won dated by the closed date', () => {
    const fx = odooMixedLeads({ rows: 800 });
    const rt = open(fx);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', fx.tabs[0].name);
    const header = fx.tabs[0].rows[0];
    expect(ins.mapping.kind).toBe(header.indexOf('Type'));
    expect(ins.mapping.active).toBe(header.indexOf('Active'));
    expect(ins.mapping.closeDate).toBe(header.indexOf('Closed Date'));
    expect(ins.rowsAre).toBe('lead');
    const guess = Object.fromEntries(ins.statuses.map((s) => [s.value, s.guess]));
    expect(guess).toMatchObject({ Lead: 'lead', Opportunity: 'sql', Won: 'won' });
  });

  it('two tabs: the lead tab and the deals tab proposed from their rows, qualification steps mapped', () => {
    const fx = twoTabsQualification({ rows: 800 });
    const rt = open(fx);
    const list = rt.callFromSidebar<{ suggested: string; suggestedDeals: string }>('kpiListTabs');
    expect(fx.tabs[0].name).toBe('Opportunities'); // first in the workbook, yet not the lead tab
    expect([list.suggested, list.suggestedDeals]).toEqual(['Leads', 'Opportunities']);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
    const guess = Object.fromEntries(ins.statuses.map((s) => [s.value, s.guess]));
    expect(guess).toMatchObject({
      'Marketing Qualified': 'mql',
      'Sales Qualified': 'sql',
      Converted: 'sql',
      Disqualified: 'ignore',
    });
    expect(ins.mapping.company).toBe(fx.tabs[1].rows[0].indexOf('Firm'));
    // Joined by the lead IDs the opportunities carry, though the two headers differ.
    const deals = rt.callFromSidebar<{ joinBy: string; dealKey?: number; notes: string[] }>(
      'kpiInspectDeals',
      'Opportunities',
      'Leads',
      ins.mapping,
    );
    expect(deals.joinBy).toBe('id');
    expect(deals.dealKey).toBe(fx.tabs[0].rows[0].indexOf('Originating Lead'));
    expect(deals.notes[0]).toMatch(/"Lead ID" = "Originating Lead"/);
  });

  it('EUR amounts: the money format is the data’s, not the spreadsheet’s ¥', () => {
    const fx = eurAmounts({ rows: 800 });
    const rt = open(fx);
    const ins = rt.callFromSidebar<TabInspection & { currency: { code: string } | null }>(
      'kpiInspectTab',
      fx.tabs[0].name,
    );
    expect(ins.currency?.code).toBe('EUR');
    rt.callFromSidebar('kpiBuild', untouchedSettings(ins, 'ja'));
    const v = rt.values('KPIツリー');
    let format = '';
    for (let r = 0; r < v.length && !format; r++) {
      for (const c of [3, 6, 9]) {
        if (v[r][c] === TREE_LABELS.ja.revenue) {
          const cell = rt.spreadsheet.getSheetByName('KPIツリー')?.getRange(r + 3, c + 2);
          format = String(cell?.getNumberFormats()[0][0] ?? '');
        }
      }
    }
    expect(format).toContain('€');
    expect(format).not.toContain('¥');
  });
});
