/**
 * The manager's path — open the sidebar, take what it proposes, Build — on the strict runtime
 * (issue 21): every generated sheet is sized before it is written, no cell of any sheet is an
 * error, in Japanese and English, over three years of months (a cohort wider than 26 columns), in
 * a de_DE and a pt_BR spreadsheet, and with a lead tab named like a cell (Q1).
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { CRM_FIXTURES, FIXTURE_TIME_ZONE } from '../fixtures/crm';
import { sampleExtras, settingsFor } from '../helpers/settings';

interface Case {
  name: string;
  locale: string;
  lang: 'ja' | 'en';
  months?: number;
  leadTab?: string;
}

const CASES: Case[] = [
  { name: 'Japanese', locale: 'ja_JP', lang: 'ja' },
  { name: 'English', locale: 'en_US', lang: 'en' },
  { name: 'three years of months', locale: 'ja_JP', lang: 'ja', months: 36 },
  { name: 'a de_DE spreadsheet', locale: 'de_DE', lang: 'en' },
  { name: 'a pt_BR spreadsheet', locale: 'pt_BR', lang: 'en' },
  { name: 'a lead tab named Q1', locale: 'en_US', lang: 'en', leadTab: 'Q1' },
];

/** Builds the sample as the sidebar proposes it; returns the runtime and the report's sheets. */
function build(c: Case): { rt: LocalRuntime; sheets: { key: string; name: string }[] } {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: c.locale });
  const tabs = sampleWorkbook({ leads: 500, months: c.months });
  if (c.leadTab) tabs[0].name = c.leadTab;
  rt.loadSheets(tabs);
  const lead = tabs[0].name;
  const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', lead);
  const settings = settingsFor(ins, {
    from: ins.defaults.from,
    to: ins.defaults.to,
    lang: c.lang,
    revenueTarget: undefined,
    ...sampleExtras((name, kind) => rt.callFromSidebar('kpiInspectExtra', name, kind)),
  });
  const result = rt.callFromSidebar<{ sheets: { key: string; name: string }[] }>(
    'kpiBuild',
    settings,
  );
  return { rt, sheets: result.sheets };
}

/** Error values anywhere in the grid of each sheet, with their message. */
function errorCells(rt: LocalRuntime, names: string[]): string[] {
  const errors: string[] = [];
  for (const name of names) {
    const id = rt.wb.sheetId(name) as number;
    const meta = rt.wb.sheetMeta(id);
    rt.wb.getValues(id, 1, 1, meta.gridRows, meta.gridCols).forEach((line, r) => {
      line.forEach((v, col) => {
        if (typeof v === 'string' && /^#(REF|ERROR|N\/A|VALUE|DIV\/0|NAME|NUM|NULL)[!?]?/.test(v))
          errors.push(
            `${name}!R${r + 1}C${col + 1} ${v} ${rt.wb.errorMessage(id, r + 1, col + 1) ?? ''}`,
          );
      });
    });
  }
  return errors;
}

describe('every export-shaped fixture in the other language (crm-exports.test.ts builds each in its own)', () => {
  for (const make of CRM_FIXTURES) {
    const fx = make();
    if (fx.id === 'olist-funnel') continue; // two tabs: crm-exports.test.ts
    const lang = fx.locale.startsWith('ja') ? 'en' : 'ja';
    it(`${fx.crm} (${lang})`, () => {
      const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: fx.locale });
      rt.loadSheets(fx.tabs);
      const { suggested } = rt.callFromSidebar<{ suggested: string }>('kpiListTabs');
      const main = fx.id === 'activity-log' ? suggested : fx.tabs[0].name;
      const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', main);
      const statusMap: Record<string, string> = {};
      for (const st of ins.statuses) statusMap[st.value] = st.guess;
      const result = rt.callFromSidebar<{ sheets: { name: string }[] }>(
        'kpiBuild',
        settingsFor(ins, {
          from: ins.defaults.from,
          to: ins.defaults.to,
          rowsAre: ins.rowsAre,
          statusMap,
          lang,
          revenueTarget: undefined,
        }),
      );
      expect(result.sheets.length).toBeGreaterThan(3);
      expect(
        errorCells(
          rt,
          result.sheets.map((x) => x.name),
        ),
      ).toEqual([]);
    });
  }
});

describe('the manager’s path builds with no error cell on the strict runtime', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { rt, sheets } = build(c);
      expect(
        errorCells(
          rt,
          sheets.map((x) => x.name),
        ),
      ).toEqual([]);
      expect(sheets.length).toBeGreaterThanOrEqual(10);
      for (const { name } of sheets) {
        const id = rt.wb.sheetId(name) as number;
        const meta = rt.wb.sheetMeta(id);
        // Sized to its layout: no sheet keeps the 1,000 × 26 default it was born with when its
        // layout is smaller (the 10M-cell budget is not spent on blanks).
        const { rows, cols } = rt.wb.extent(id);
        expect(meta.gridRows * meta.gridCols, name).toBeLessThanOrEqual(
          Math.max(rows + 50, 1000) * Math.max(cols + 20, 26),
        );
      }
      if (c.leadTab) {
        // Every formula names the tab quoted: bare, Sheets reads Q1! as a cell.
        const tree = rt.wb.sheetId(sheets[0].name) as number;
        const { rows, cols } = rt.wb.extent(tree);
        const formulas = rt.wb.getFormulas(tree, 1, 1, rows, cols).flat().join('\n');
        expect(formulas).toContain("'Q1'!");
        expect(formulas).not.toMatch(/[^']Q1!/);
      }
      if (c.months) {
        // The chase table of three years is wider than a new sheet's 26 columns, and it spilled.
        const cohort = sheets.find((s) => s.key === 'cohort')?.name as string;
        const id = rt.wb.sheetId(cohort) as number;
        expect(rt.wb.extent(id).cols).toBeGreaterThan(26);
      }
    });
  }
});
