/**
 * The manager's path on exports shaped like real CRMs' (tests/fixtures/crm.ts): load the export
 * into a spreadsheet, inspect the tab, build with what the sidebar proposes — no column chosen by
 * hand, the status meanings as guessed, the window it proposes — and compare the KPI tree with
 * totals computed from the fixture's ground truth (never from the export text or our code).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkbookFile } from '../../local/io';
import { LocalRuntime } from '../../local/runtime';
import type { DealsInspection, TabInspection } from '../../src/addon/api';
import { daysFromCivil } from '../../src/core/dates';
import {
  CRM_FIXTURES,
  type CrmFixture,
  defaultWindow,
  expectedTotals,
  FIXTURE_TIME_ZONE,
  olistFunnel,
} from '../fixtures/crm';
import { untouchedSettings } from '../helpers/settings';

const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

const untouched = untouchedSettings;

const LABELS = {
  en: {
    leads: 'Leads',
    mql: 'MQL',
    deals: 'Deals',
    won: 'Won deals',
    revenue: 'Revenue (KGI)',
    closed: 'Win rate of closed deals: won ÷ (won + lost)',
    noData: 'no data',
  },
  ja: {
    leads: 'リード',
    mql: 'MQL',
    deals: '商談数',
    won: '受注数',
    revenue: '売上（KGI）',
    closed: '受注率（決着分: 受注÷(受注+失注)）',
    noData: 'データなし',
  },
};

function treeActual(rt: LocalRuntime, sheet: string, label: string): unknown {
  const v = rt.values(sheet);
  for (let r = 0; r < v.length; r++) {
    for (const c of [3, 6, 9]) if (v[r][c] === label) return v[r + 2][c + 1];
  }
  throw new Error(`no node ${label}`);
}

function open(fx: CrmFixture) {
  const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: fx.locale });
  rt.loadSheets(fx.tabs);
  return rt;
}

describe('real CRM exports through inspect → Build, nothing touched', () => {
  for (const make of CRM_FIXTURES) {
    const fx = make();
    if (fx.id === 'olist-funnel') continue; // two tabs: below
    it(`${fx.crm}: the tree equals the ground truth of the proposed window`, () => {
      const rt = open(fx);
      const lang = fx.locale.startsWith('ja') ? 'ja' : 'en';
      const L = LABELS[lang];
      const before = fx.tabs.map((t) => JSON.stringify(rt.values(t.name)));
      const { tabs, suggested } = rt.callFromSidebar<{
        tabs: { name: string }[];
        suggested: string;
      }>('kpiListTabs');
      expect(tabs.length).toBe(fx.tabs.length);
      // The activity-log fixture puts the decoy first: the lead list is the one to build from.
      const main = fx.id === 'activity-log' ? (suggested ?? '') : fx.tabs[0].name;
      const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', main);
      const win = defaultWindow(fx);
      expect([ins.defaults.from, ins.defaults.to]).toEqual([iso(win.fromDay), iso(win.toDay)]);
      const truth = expectedTotals(fx, win.fromDay, win.toDay);
      const result = rt.callFromSidebar<{ checks: string[] }>('kpiBuild', untouched(ins, lang));
      const sheet = lang === 'ja' ? 'KPIツリー' : 'KPI tree';
      const shown = (label: string, want: number | null) => {
        const got = treeActual(rt, sheet, label);
        if (want === null) expect(got, label).toBe(L.noData);
        else expect(got, label).toBe(want);
      };
      shown(L.leads, truth.leads);
      shown(L.mql, truth.mql);
      shown(L.deals, truth.deals);
      shown(L.won, truth.won);
      shown(L.revenue, truth.revenue);
      const closed = treeActual(rt, sheet, L.closed);
      if (truth.won !== null && truth.lost !== null && truth.won + truth.lost > 0) {
        expect(closed).toBeCloseTo(truth.won / (truth.won + truth.lost), 12);
      } else {
        expect(closed).toBe(L.noData);
      }
      // Every no-data stage is explained in the build's checks.
      const missing = Object.entries(truth).filter(([, v]) => v === null).length;
      expect(result.checks.length).toBeGreaterThanOrEqual(Math.min(1, missing));
      // No formula was written with a missing argument, and none evaluates to an error.
      for (const id of rt.spreadsheet.order) {
        const { rows, cols } = rt.wb.extent(id);
        const formulas = rt.wb.getFormulas(id, 1, 1, Math.max(rows, 1), Math.max(cols, 1));
        expect(formulas.flat().filter((f) => /undefined/.test(String(f)))).toEqual([]);
        const values = rt.wb.getValues(id, 1, 1, Math.max(rows, 1), Math.max(cols, 1));
        const errors = values.flat().filter((v) => typeof v === 'string' && /^#[A-Z]/.test(v));
        expect(errors, rt.wb.sheetName(id)).toEqual([]);
      }
      // The user's tabs are exactly as they were.
      expect(fx.tabs.map((t) => JSON.stringify(rt.values(t.name)))).toEqual(before);
    });
  }

  it('the same from the .csv files `npm start -- --leads … --deals …` reads (a UK user’s day-first Zoho export)', async () => {
    const fx = CRM_FIXTURES.map((m) => m()).find((f) => f.id === 'zoho-deals') as CrmFixture;
    const dir = mkdtempSync(join(tmpdir(), 'kpi-csv-'));
    const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: fx.locale });
    for (const [name, text] of Object.entries(fx.csv)) {
      const file = join(dir, `${name}.csv`);
      writeFileSync(file, text);
      rt.loadSheets(await readWorkbookFile(file));
    }
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', fx.tabs[0].name);
    // Imported into an en_GB sheet, the day-first dates become Date cells (USER_ENTERED, read day
    // first by the locale): no text is left for the column to decide an order from.
    const deals = rt.values(fx.tabs[0].name);
    const closing = deals[0].indexOf('Closing Date');
    const isDate = (v: unknown) => Object.prototype.toString.call(v) === '[object Date]';
    expect(
      deals
        .slice(1)
        .filter((r) => r[closing] !== '')
        .every((r) => isDate(r[closing])),
    ).toBe(true);
    expect(ins.notes.join('\n')).not.toMatch(/day first|month first/);
    const win = defaultWindow(fx);
    const truth = expectedTotals(fx, win.fromDay, win.toDay);
    rt.callFromSidebar('kpiBuild', untouched(ins, 'en'));
    expect(treeActual(rt, 'KPI tree', 'Won deals')).toBe(truth.won);
    expect(treeActual(rt, 'KPI tree', 'Deals')).toBe(truth.deals);
    expect(treeActual(rt, 'KPI tree', 'Revenue (KGI)')).toBe(truth.revenue);
  });

  it('a tab with no conversion date: the cohort sheet says what to map instead of #ERROR!', () => {
    const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: 'en_US' });
    rt.loadSheets([
      {
        name: 'Leads',
        rows: [
          ['Created Date', 'Company'],
          ['2025-04-01', 'Acme Inc.'],
          ['2025-04-02', 'Globex'],
        ],
      },
    ]);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
    rt.callFromSidebar('kpiBuild', untouched(ins, 'en'));
    const cohort = rt.values('Cohort');
    expect(String(cohort[1][0])).toMatch(
      /^This cohort table has no conversion date: map a deal date/,
    );
    expect(treeActual(rt, 'KPI tree', 'Leads')).toBe(2);
    expect(treeActual(rt, 'KPI tree', 'Won deals')).toBe('no data');
  });

  it('warns that an activity log is not a lead list and names the lead tab', () => {
    const fx = CRM_FIXTURES.map((m) => m()).find((f) => f.id === 'activity-log') as CrmFixture;
    const rt = open(fx);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', fx.tabs[0].name);
    expect(ins.warnings.join(' ')).toContain('activity log');
    expect(ins.warnings.join(' ')).toContain(`"${fx.tabs[1].name}"`);
  });

  it('explains why each column was taken (close_date: won only where deal_stage is won)', () => {
    const fx = CRM_FIXTURES[0]();
    const rt = open(fx);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', fx.tabs[0].name);
    expect(ins.rowsAre).toBe('deal');
    expect(ins.reasons.created).toContain('engage_date');
    expect(ins.reasons.created).toContain('earliest');
    expect(ins.notes.join('\n')).toContain(
      '"close_date" is a closing date: the won date where "deal_stage" means won',
    );
    const guess = Object.fromEntries(ins.statuses.map((s) => [s.value.trim(), s.guess]));
    expect(guess).toMatchObject({ Won: 'won', Lost: 'lost', Engaging: 'sql', Prospecting: 'sql' });
    // "won", "Won " and "WON" are one status, listed once in its usual spelling, counts added.
    expect(ins.statuses.map((s) => s.value).sort()).toEqual([
      'Engaging',
      'Lost',
      'Prospecting',
      'Won',
    ]);
    const rows = fx.truth.filter((t) => t.status !== undefined);
    expect(ins.statuses.reduce((n, s) => n + s.count, 0)).toBe(rows.length);
  });

  it('refuses a window with no lead in it, naming the window and the data range', () => {
    const fx = CRM_FIXTURES[0]();
    const rt = open(fx);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', fx.tabs[0].name);
    const s = { ...untouched(ins, 'en'), from: '2030-01-01', to: '2030-12-31' };
    expect(() => rt.callFromSidebar('kpiBuild', s)).toThrow(
      new RegExp(`2030-01-01 … 2030-12-31.*${ins.dataRange?.first} to ${ins.dataRange?.last}`),
    );
  });
});

describe('two tabs: MQLs and closed deals joined by mql_id', () => {
  it('builds from both tabs, the cohort follows MQLs into won deals, and editing a deal moves the tree', () => {
    const fx = olistFunnel();
    const rt = open(fx);
    const [mqls, closed] = fx.tabs;
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', mqls.name);
    expect(ins.rowsAre).toBe('mql');
    const deals = rt.callFromSidebar<DealsInspection>(
      'kpiInspectDeals',
      closed.name,
      mqls.name,
      ins.mapping,
    );
    expect(deals.joinBy).toBe('id');
    expect(deals.mapping.wonDate).toBe(closed.rows[0].indexOf('won_date'));
    const win = defaultWindow(fx);
    const truth = expectedTotals(fx, win.fromDay, win.toDay);
    rt.callFromSidebar('kpiBuild', untouched(ins, 'en', deals));
    expect(treeActual(rt, 'KPI tree', 'MQL')).toBe(truth.mql);
    expect(treeActual(rt, 'KPI tree', 'Won deals')).toBe(truth.won);
    expect(treeActual(rt, 'KPI tree', 'Deals')).toBe('no data');
    expect(treeActual(rt, 'KPI tree', 'Leads')).toBe('no data');
    expect(treeActual(rt, 'KPI tree', 'Revenue (KGI)')).toBe('no data');

    // The cohort: MQL month → won, joined by mql_id; its converted count equals the truth's.
    const cohort = rt.values('Cohort');
    expect(String(cohort[0][0])).toContain('MQL → Won');
    const converted = cohort
      .slice(2)
      .reduce((n, r) => n + (typeof r[2] === 'number' ? r[2] : 0), 0);
    const keysWon = new Set(
      (fx.dealTruth ?? []).filter((d) => d.won !== undefined).map((d) => d.key),
    );
    expect(converted).toBe(
      fx.truth.filter((t) => t.created !== undefined && keysWon.has(t.key)).length,
    );

    // Live across tabs: a new won deal in the window moves the tree.
    const sheet = rt.spreadsheet.self.getSheetByName(closed.name);
    if (!sheet) throw new Error('no deals tab');
    const wonCol = closed.rows[0].indexOf('won_date') + 1;
    const row = sheet.getLastRow() + 1;
    const day = daysFromCivil(2018, 1, 15);
    expect(day >= win.fromDay && day <= win.toDay).toBe(true);
    sheet.getRange(row, 1).setValue('edited-mql');
    sheet.getRange(row, wonCol).setValue('2018-01-15 10:00:00');
    expect(treeActual(rt, 'KPI tree', 'Won deals')).toBe((truth.won ?? 0) + 1);
  });
});
