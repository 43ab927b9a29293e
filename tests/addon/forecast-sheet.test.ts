/**
 * The Forecast sheet (着地予測) as the manager's path builds it from export shapes (nothing
 * touched in the sidebar), read back cell by cell: which data gets which cohort method, the
 * landing's arithmetic from the cells it shows, the tree's forecast box, and the refusal to
 * forecast what the data cannot support.
 */
import { describe, expect, it } from 'vitest';
import { noCreatedOpportunities, odooMixedLeads, twoTabsQualification } from '../fixtures/shapes';
import { managersPath } from '../helpers/managers-path';

type Values = unknown[][];
const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);

function forecastOf(make: () => Parameters<typeof managersPath>[0], lang: 'ja' | 'en') {
  const r = managersPath(make(), lang);
  const name = lang === 'ja' ? '着地予測' : 'Forecast';
  const tree = lang === 'ja' ? 'KPIツリー' : 'KPI tree';
  const id = r.rt.wb.sheetId(name);
  const values = (sheet: number | undefined, rows: number, cols: number): Values =>
    sheet === undefined ? [] : r.rt.wb.getValues(sheet, 1, 1, rows, cols);
  return {
    r,
    sheet: values(id, 60, 12),
    tree: values(r.rt.wb.sheetId(tree), 8, 8),
  };
}

describe('the Forecast sheet from export shapes', () => {
  it('two tabs (an MQL list and opportunities): cohorts of deals, said so, the landing from its own cells (en)', () => {
    const { r, sheet, tree } = forecastOf(() => twoTabsQualification({ rows: 800 }), 'en');
    expect(r.errors).toEqual([]);
    expect(String(sheet[2][0])).toMatch(
      /^Here the cohort method groups the deals of the deals tab “Opportunities”/,
    );
    // Landing (B9) = the tree's revenue actual (E5) + share of the as-of period ahead (B8) ×
    // that period's cohort forecast (D11) + the forecast within the window after it (H12:H22).
    const within = sheet.slice(11, 22).reduce((s, row) => s + (num(row[7]) || 0), 0);
    const expected = num(tree[4][4]) + num(sheet[7][1]) * num(sheet[10][3]) + within;
    expect(num(sheet[8][1])).toBeCloseTo(expected, 6);
    // The tree shows the same landing beside revenue, against the same plan.
    expect(tree[2][6]).toBe('Revenue forecast (window end)');
    expect(num(tree[4][7])).toBeCloseTo(num(sheet[8][1]), 6);
    expect(num(tree[3][7])).toBe(num(tree[3][4]));
    // Every forecast number is a number, never negative; the range brackets nothing absurd.
    for (const row of sheet.slice(10, 22)) {
      if (row[0] === '') continue;
      expect(num(row[3])).toBeGreaterThanOrEqual(0);
      expect(num(row[4])).toBeGreaterThanOrEqual(0);
    }
  });

  it('lead and opportunity rows in one tab: cohorts of the tab itself, no deals note (ja)', () => {
    const { r, sheet } = forecastOf(() => odooMixedLeads({ rows: 800 }), 'ja');
    expect(r.errors).toEqual([]);
    expect(sheet[0][0]).toBe('着地予測');
    expect(sheet[2][0]).toBe('');
    expect(sheet[9].slice(0, 5)).toEqual([
      '期間',
      '計画',
      '実績（これまで）',
      'コホート法の予測（期間全体）',
      'パイプライン法の予測（未完了の商談）',
    ]);
    expect(typeof sheet[8][1]).toBe('number');
  });

  it('an export without a creation date: no cohort to forecast, so no Forecast sheet and no box on the tree', () => {
    const { r, sheet, tree } = forecastOf(() => noCreatedOpportunities({ rows: 800 }), 'en');
    expect(r.errors).toEqual([]);
    expect(sheet).toEqual([]);
    expect(tree[2][6]).not.toBe('Revenue forecast (window end)');
  });
});
