/**
 * LTV and LTV ÷ CAC (issue #24): with a customers tab that has start and end dates, the retention
 * sheet carries an LTV block of live formulas — the one-period retention ρ pooled over its table,
 * the expected lifetime 1 ÷ (1 − ρ), revenue per customer per period (the tab's monthly amount,
 * else the tree's average deal size), LTV, and LTV ÷ CAC — and the KPI tree shows LTV and
 * LTV ÷ CAC in column L beside CAC. Without churn the lifetime cannot be estimated ("no data");
 * without a customers tab nothing of it exists and every cell is where it always was.
 *
 * Every expected number is worked out by hand below from the rows written here.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import type { ExtraInspection, TabInspection } from '../../src/addon/api';
import type { KpiSettings } from '../../src/core/settings';
import { untouchedSettings } from '../helpers/settings';

/**
 * Eight leads, January … April 2025; four won (dated by their close date, all in the window):
 * revenue 300,000 + 500,000 + 400,000 + 200,000 = 1,400,000; average deal 1,400,000 ÷ 4 = 350,000.
 */
const LEADS = [
  ['Created Date', 'Company', 'Status', 'Amount', 'Close Date'],
  ['2025-01-05', 'Alpha', 'Closed Won', 300_000, '2025-01-20'],
  ['2025-01-08', 'Beta', 'Lead', '', ''],
  ['2025-02-03', 'Gamma', 'Closed Won', 500_000, '2025-02-15'],
  ['2025-02-10', 'Delta', 'SQL', '', ''],
  ['2025-03-04', 'Epsilon', 'Closed Won', 400_000, '2025-03-18'],
  ['2025-03-12', 'Zeta', 'Closed Lost', '', '2025-03-30'],
  ['2025-04-02', 'Eta', 'Closed Won', 200_000, '2025-04-16'],
  ['2025-04-09', 'Theta', 'Lead', '', ''],
];

/**
 * Eight customers over four months, two churned in between and one in April; the report date is
 * the latest date of the tab, H社's start on 2025-04-20.
 *
 * The retention table (share still a customer at the end of the start month + k; April up to the
 * report date):
 *   2025-01: 3 customers (A, B, C) — +0: 3/3; +1: B ended 02-20 → 2/3; +2: 2/3; +3: A ended 04-10 → 1/3
 *   2025-02: 2 customers (D, E)    — +0: 2/2; +1: D ended 03-25 → 1/2; +2: 1/2
 *   2025-03: 2 customers (F, G)    — +0: 2/2; +1: 2/2
 *   2025-04: 1 customer  (H)       — +0: 1/1
 * ρ pooled over the cells k ≥ 1: customers left at k ÷ customers left one period before:
 *   left at k:      January 2 + 2 + 1 = 5, February 1 + 1 = 2, March 2  → 9
 *   left at k − 1:  January 3 + 2 + 2 = 7, February 2 + 1 = 3, March 2  → 12
 *   ρ = 9 ÷ 12 = 0.75; expected lifetime = 1 ÷ (1 − 0.75) = 4 months.
 * Monthly amounts: 100,000 + 50,000 + 80,000 + 60,000 + 120,000 + 90,000 + 70,000 + 60,000 =
 * 630,000 over 8 contracts → 78,750 per customer per month; LTV = 78,750 × 4 = 315,000.
 */
const CUSTOMERS: [string, string, string, number][] = [
  ['A社', '2025-01-10', '2025-04-10', 100_000],
  ['B社', '2025-01-15', '2025-02-20', 50_000],
  ['C社', '2025-01-20', '', 80_000],
  ['D社', '2025-02-05', '2025-03-25', 60_000],
  ['E社', '2025-02-10', '', 120_000],
  ['F社', '2025-03-03', '', 90_000],
  ['G社', '2025-03-12', '', 70_000],
  ['H社', '2025-04-20', '', 60_000],
];

/**
 * Costs typed per month: marketing 50,000 + IS 1 × 50,000 + FS 1 × 100,000 = 200,000; the window
 * (four months) 800,000 ÷ 4 won = CAC 200,000.
 */
const COSTS = { marketing: 50_000, isHeads: 1, isPerHead: 50_000, fsHeads: 1, fsPerHead: 100_000 };

interface Options {
  lang: 'ja' | 'en';
  /** The customers tab: its rows (with a header row), or none. */
  customers?: unknown[][];
  costs?: boolean;
}

function build({ lang, customers, costs = true }: Options) {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
  rt.loadSheets([
    { name: 'Leads', rows: LEADS, parse: 'user-entered' },
    ...(customers ? [{ name: 'Customers', rows: customers, parse: 'user-entered' as const }] : []),
  ]);
  const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
  const settings: KpiSettings = {
    ...untouchedSettings(ins, lang),
    from: '2025-01-01',
    to: '2025-04-30',
    revenueTarget: 400_000,
    ...(costs ? { costs: COSTS } : {}),
  };
  if (customers) {
    const x = rt.callFromSidebar<ExtraInspection>('kpiInspectExtra', 'Customers', 'customers');
    settings.customers = { sheet: x.name, headerRow: x.headerRow, columns: { ...x.columns } };
  }
  rt.callFromSidebar('kpiBuild', settings);
  const tree = rt.values(lang === 'ja' ? 'KPIツリー' : 'KPI tree');
  return { rt, settings, tree };
}

const withAmounts = () => [['会社名', '契約開始日', '解約日', '月額'], ...CUSTOMERS];
const withoutAmounts = () => [
  ['Company', 'Start date', 'End date'],
  ...CUSTOMERS.map((r) => r.slice(0, 3)),
];

/** The box whose label is at (row, col) (1-based): its label, plan, actual. */
const box = (v: unknown[][], row: number, col: number) => ({
  label: v[row - 1][col - 1],
  plan: v[row][col],
  actual: v[row + 1][col],
});

/** The retention sheet's LTV block: label (column A) → value (column B). */
function ltvBlock(rt: LocalRuntime, lang: 'ja' | 'en'): Map<string, unknown> {
  const v = rt.values(lang === 'ja' ? '顧客継続率' : 'Retention');
  const head = v.findIndex((r) => String(r[0]).startsWith('LTV'));
  expect(head).toBeGreaterThan(0);
  return new Map(v.slice(head + 1, head + 7).map((r) => [String(r[0]), r[1]]));
}

const LABELS = {
  ja: {
    rho: '1期間の継続率 ρ（全コホートの合算）',
    life: '期待継続期間（月数）',
    revenue: '顧客あたりの売上（1期間）',
    ltv: 'LTV',
    cac: 'CAC（KPIツリーの期間）',
    ratio: 'LTV ÷ CAC',
    ltvNode: 'LTV（顧客生涯価値）',
    noData: 'データなし',
  },
  en: {
    rho: 'One-period retention ρ (pooled over the cohorts)',
    life: 'Expected lifetime (months)',
    revenue: 'Revenue per customer per period',
    ltv: 'LTV',
    cac: 'CAC (the KPI tree’s window)',
    ratio: 'LTV ÷ CAC',
    ltvNode: 'LTV (customer lifetime value)',
    noData: 'no data',
  },
};

describe('LTV from the retention curve, beside CAC on the tree', () => {
  it('ja: monthly amounts on the customers tab — ρ 75 %, 4 months, LTV 315,000, 1.575 × CAC', () => {
    const { rt, tree } = build({ lang: 'ja', customers: withAmounts() });
    const L = LABELS.ja;
    // The retention table as worked out above (the block reads this table).
    const table = rt.values('顧客継続率');
    const head = table.findIndex((r) => r[0] === 'period' || r[0] === '期間');
    const row = (p: string) => table.find((r) => r[0] === p) as unknown[];
    expect(head).toBeGreaterThan(0);
    expect(row('2025-01').slice(1, 6)).toEqual([
      3,
      1,
      expect.closeTo(2 / 3, 12),
      expect.closeTo(2 / 3, 12),
      expect.closeTo(1 / 3, 12),
    ]);
    expect(row('2025-02').slice(1, 5)).toEqual([2, 1, 0.5, 0.5]);
    expect(row('2025-03').slice(1, 4)).toEqual([2, 1, 1]);
    expect(row('2025-04').slice(1, 3)).toEqual([1, 1]);

    const b = ltvBlock(rt, 'ja');
    expect(b.get(L.rho)).toBeCloseTo(0.75, 12); // 9 ÷ 12
    expect(b.get(L.life)).toBeCloseTo(4, 9); // 1 ÷ (1 − 0.75)
    expect(b.get(L.revenue)).toBe(78_750); // 630,000 ÷ 8
    expect(b.get(L.ltv)).toBeCloseTo(315_000, 6); // 78,750 × 4
    expect(b.get(L.cac)).toBe(200_000); // 800,000 ÷ 4 won
    expect(b.get(L.ratio)).toBeCloseTo(1.575, 9); // 315,000 ÷ 200,000

    // The tree: LTV in L3 (beside CAC in J3), LTV ÷ CAC below it in L9; no plan of their own.
    expect(box(tree, 3, 10).label).toBe('顧客獲得コスト（CAC）');
    const ltv = box(tree, 3, 12);
    expect(ltv.label).toBe(L.ltvNode);
    expect(ltv.plan).toBe('');
    expect(ltv.actual).toBeCloseTo(315_000, 6);
    const ratio = box(tree, 9, 12);
    expect(ratio.label).toBe('LTV ÷ CAC');
    expect(ratio.actual).toBeCloseTo(1.575, 9);
    // Live: the tree reads the retention sheet, which reads the customers tab.
    const id = rt.wb.sheetId('KPIツリー') as number;
    expect(String(rt.wb.getFormulas(id, 5, 13, 1, 1)[0][0])).toContain("'顧客継続率'!$B$7");
    const fmt = rt.wb.sheetMeta(id).formats;
    expect(fmt.get('5,13')?.numberFormat).toBe('"$"#,##0');
    expect(fmt.get('11,13')?.numberFormat).toBe('0.0"×"');
  });

  it('en: no amount column — the window’s average deal size is one period’s revenue', () => {
    const { rt, tree } = build({ lang: 'en', customers: withoutAmounts() });
    const L = LABELS.en;
    const b = ltvBlock(rt, 'en');
    expect(b.get(L.rho)).toBeCloseTo(0.75, 12);
    expect(b.get(L.life)).toBeCloseTo(4, 9);
    expect(b.get(L.revenue)).toBe(350_000); // 1,400,000 ÷ 4 won
    expect(b.get(L.ltv)).toBeCloseTo(1_400_000, 6); // 350,000 × 4
    expect(b.get(L.ratio)).toBeCloseTo(7, 9); // 1,400,000 ÷ 200,000
    // The sheet says where the revenue per customer comes from.
    const v = rt.values('Retention');
    const line = v.find((r) => r[0] === L.revenue) as unknown[];
    expect(String(line[2])).toMatch(/^No amount column on the customers tab/);
    expect(box(tree, 3, 12)).toEqual({
      label: L.ltvNode,
      plan: '',
      actual: expect.closeTo(1_400_000, 6),
    });
    expect(box(tree, 9, 12).actual).toBeCloseTo(7, 9);
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: no churn seen — the lifetime cannot be estimated: "no data", on the tree too`, () => {
      // Nobody ended: every share is 1, ρ = 15 ÷ 15 = 1 (January 3 + 3 + 3, February 2 + 2,
      // March 2 on both sides), 1 ÷ (1 − ρ) has no value. No costs: LTV ÷ CAC has no box.
      // H社's amount typed as text ("60,000円"): left out of the average, and said so —
      // (630,000 − 60,000) ÷ 7 = 570,000 ÷ 7.
      const rows = withAmounts().map((r, i) =>
        i === 0 ? r : [r[0], r[1], '', r[0] === 'H社' ? '60,000円' : r[3]],
      );
      const { rt, tree } = build({ lang, customers: rows, costs: false });
      const L = LABELS[lang];
      const b = ltvBlock(rt, lang);
      expect(b.get(L.rho)).toBe(1);
      expect(b.get(L.life)).toBe(L.noData);
      expect(b.get(L.revenue)).toBeCloseTo(570_000 / 7, 6);
      const note = (
        rt
          .values(lang === 'ja' ? '顧客継続率' : 'Retention')
          .find((r) => r[0] === L.revenue) as unknown[]
      )[2];
      expect(note).toMatch(
        lang === 'ja'
          ? /。⚠ 数値でないセルが1件あり、除いています$/
          : /\. ⚠ Cells that are not numbers, left out: 1$/,
      );
      expect(b.get(L.ltv)).toBe(L.noData);
      expect(b.get(L.ratio)).toBe(L.noData);
      expect(box(tree, 3, 12)).toEqual({ label: L.ltvNode, plan: '', actual: L.noData });
      expect(tree[8][11]).toBe('');
    });
  }

  it('while RETENTION loads: "calculating" on the sheet and the tree; failed: its error', () => {
    for (const lang of ['ja', 'en'] as const) {
      const { rt } = build({ lang, customers: withAmounts() });
      const L = LABELS[lang];
      const calculating = lang === 'ja' ? '計算中…' : 'Calculating…';
      const treeName = lang === 'ja' ? 'KPIツリー' : 'KPI tree';
      rt.setCustomFunctionState('RETENTION', 'loading');
      let b = ltvBlock(rt, lang);
      for (const k of [L.rho, L.life, L.ltv, L.ratio])
        expect(b.get(k), `${lang} ${k}`).toBe(calculating);
      let tree = rt.values(treeName);
      expect(box(tree, 3, 12).actual).toBe(calculating);
      expect(box(tree, 9, 12).actual).toBe(calculating);
      rt.setCustomFunctionState('RETENTION', { error: 'customers row 3: not a date' });
      b = ltvBlock(rt, lang);
      for (const k of [L.rho, L.life, L.ltv, L.ratio])
        expect(b.get(k), `${lang} ${k}`).toBe('#ERROR!');
      tree = rt.values(treeName);
      expect(box(tree, 3, 12).actual).toBe('#ERROR!');
      rt.setCustomFunctionState('RETENTION', undefined);
      expect(box(rt.values(treeName), 3, 12).actual).toBeCloseTo(315_000, 6);
    }
  });

  it('SMART lists LTV and LTV ÷ CAC off the revenue path; Snapshot records them', () => {
    const { rt, tree } = build({ lang: 'en', customers: withAmounts() });
    const head = tree.findIndex((r) => r[6] === 'S Specific');
    const rows = new Map<string, unknown[]>();
    for (let r = head + 1; r < tree.length && tree[r][0] !== ''; r++)
      rows.set(String(tree[r][0]), tree[r]);
    for (const label of [LABELS.en.ltvNode, 'LTV ÷ CAC']) {
      const row = rows.get(label) as unknown[];
      expect(row, label).toBeDefined();
      expect(row[1], label).toBe('Company');
      expect(String(row[7]), label).toMatch(/^✓/);
      expect(String(row[9]), label).toMatch(/^✗ off the revenue path/);
    }
    rt.callFromSidebar('kpiSnapshot');
    const history = rt.values('KPI history');
    const ltv = history.find((r) => r[0] === 'ltv') as unknown[];
    expect(ltv[4]).toBeCloseTo(315_000, 6);
    expect((history.find((r) => r[0] === 'ltvToCac') as unknown[])[4]).toBeCloseTo(1.575, 9);
  });
});

describe('without a customers tab', () => {
  it('no LTV boxes, no retention sheet, and every cell of the tree is where it was', () => {
    const without = build({ lang: 'en' });
    const withLtv = build({ lang: 'en', customers: withAmounts() }).tree;
    const tree = without.tree;
    expect(without.rt.wb.sheetId('Retention')).toBeUndefined();
    for (const row of [3, 9]) expect(tree[row - 1][11], `L${row}`).toBe('');
    expect(tree.flatMap((r) => r.slice(0, 13)).filter((x) => /LTV/.test(String(x)))).toEqual([]);
    // The tree and its tables (A–M): the build with LTV has each of these cells at the same place
    // (its SMART table is two rows longer at its end).
    const moved: string[] = [];
    for (let r = 0; r < tree.length; r++)
      for (let c = 0; c < 13; c++) {
        const v = tree[r][c];
        if (v === '' || v === null || v === undefined) continue;
        const w = withLtv[r]?.[c];
        const label = typeof v === 'string' && !/\d/.test(v);
        if (label ? w !== v : w === '' || w === undefined)
          moved.push(`R${r + 1}C${c + 1}: ${String(v)} → ${String(w)}`);
      }
    expect(moved).toEqual([]);
  });
});
