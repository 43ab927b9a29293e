/**
 * The SAL stage (MQL → SAL accepted by IS → deal, owned by IS), added as nodes of the KPI table
 * (src/core/kpiNodes.ts): where a status of the lead tab means SAL, the tree shows SAL, the SAL
 * rate (MQL → SAL) and SAL → deal in the SAL column (L), the plan gets a SAL-rate input (B13), the
 * revenue-gap split takes MQL → SAL → deal in place of the deal rate, and SMART lists the three;
 * where none does, nothing of it exists and every cell is where it always was.
 *
 * The export is made here, row by row, with its ground truth counted from the rows themselves.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import type { KpiSettings } from '../../src/core/settings';
import { untouchedSettings } from '../helpers/settings';

/** Statuses in funnel order, and how far each reached (0 lead … 4 won; lost = a lost deal). */
const STATUSES = [
  ['Lead', 0],
  ['MQL', 1],
  ['SAL', 2],
  ['SQL', 3],
  ['Closed Won', 4],
  ['Closed Lost', 3],
] as const;

/** 240 leads over 2025-01 … 2025-06 with a deterministic mix of statuses and won amounts. */
function exportRows() {
  // Won and lost rows close the day they were created (a won deal is dated by its closing date).
  const rows: (string | number)[][] = [
    ['Created Date', 'Company', 'Status', 'Amount', 'Close Date'],
  ];
  const truth = { leads: 0, mql: 0, sal: 0, deals: 0, won: 0, revenue: 0 };
  // Weights per status: 40 % lead, 20 % MQL, 10 % SAL, 12 % SQL, 10 % won, 8 % lost.
  const pattern = [0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 0, 0, 3, 5, 1];
  for (let i = 0; i < 240; i++) {
    const month = 1 + (i % 6);
    const day = 1 + ((i * 7) % 28);
    const [status, reached] = STATUSES[pattern[i % pattern.length]];
    const amount = status === 'Closed Won' ? 100_000 + (i % 5) * 50_000 : '';
    const created = `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const closed = status === 'Closed Won' || status === 'Closed Lost';
    rows.push([created, `Company ${i % 90}`, status, amount, closed ? created : '']);
    truth.leads++;
    if (reached >= 1) truth.mql++;
    if (reached >= 2) truth.sal++;
    if (reached >= 3) truth.deals++;
    if (status === 'Closed Won') {
      truth.won++;
      truth.revenue += amount as number;
    }
  }
  return { rows, truth };
}

function build(lang: 'ja' | 'en', edit: (s: KpiSettings) => KpiSettings = (s) => s) {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
  const { rows, truth } = exportRows();
  rt.loadSheets([{ name: 'Export', rows, parse: 'user-entered' }]);
  const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Export');
  const settings = edit({
    ...untouchedSettings(ins, lang),
    from: '2025-01-01',
    to: '2025-06-30',
    revenueTarget: 2_000_000,
  });
  rt.callFromSidebar('kpiBuild', settings);
  return { rt, truth, settings, tree: rt.values(lang === 'ja' ? 'KPIツリー' : 'KPI tree') };
}

/** The box whose label is at (row, col) (1-based): its label, plan, actual. */
const box = (v: unknown[][], row: number, col: number) => ({
  label: v[row - 1][col - 1],
  plan: v[row][col],
  actual: v[row + 1][col],
});

/** The revenue-gap division table: KPI label → row. */
function gapRows(v: unknown[][], lang: 'ja' | 'en') {
  const head = v.findIndex(
    (r) => r[0] === (lang === 'ja' ? '部門' : 'Division') && String(r[5]).length > 0,
  );
  expect(head).toBeGreaterThan(0);
  const rows = new Map<string, unknown[]>();
  for (let r = head + 1; r < v.length && v[r][1] !== ''; r++) rows.set(String(v[r][1]), v[r]);
  return rows;
}

describe('the SAL stage, where a status means SAL', () => {
  it('the sidebar guesses SAL for the "SAL" status', () => {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    rt.loadSheets([{ name: 'Export', rows: exportRows().rows, parse: 'user-entered' }]);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Export');
    expect(ins.statuses.find((s) => s.value === 'SAL')?.guess).toBe('sal');
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`${lang}: the tree shows SAL, MQL → SAL and SAL → deal in column L, from the data`, () => {
      const { tree, truth } = build(lang);
      const L =
        lang === 'ja' ? { sal: 'SAL（ISが受け入れたMQL）' } : { sal: 'SAL (MQL accepted by IS)' };
      const sal = box(tree, 21, 12);
      expect(sal.label).toBe(L.sal);
      expect(sal.actual).toBe(truth.sal);
      const rate = box(tree, 27, 12);
      expect(rate.label).toBe(lang === 'ja' ? 'SAL率（MQL→SAL）' : 'SAL rate (MQL → SAL)');
      expect(rate.actual).toBeCloseTo(truth.sal / truth.mql, 12);
      const toDeal = box(tree, 15, 12);
      expect(toDeal.label).toBe(lang === 'ja' ? 'SAL→商談化率' : 'SAL → deal rate');
      expect(toDeal.actual).toBeCloseTo(truth.deals / truth.sal, 12);
      // The chain is where it always was, and reads the same data.
      expect(box(tree, 21, 4).actual).toBe(truth.mql);
      expect(box(tree, 15, 4).actual).toBe(truth.deals);
      expect(box(tree, 9, 4).actual).toBe(truth.won);
      // The SAL-rate plan input: B13, the window's actual until someone types one.
      expect(tree[12][0]).toBe(lang === 'ja' ? 'SAL率（MQL→SAL）' : 'SAL rate (MQL → SAL)');
      expect(tree[12][1]).toBeCloseTo(truth.sal / truth.mql, 12);
      // SAL's plan is the MQL plan × the SAL rate.
      expect(sal.plan).toBeCloseTo((box(tree, 21, 4).plan as number) * (tree[12][1] as number), 9);
    });
  }

  it('the revenue gap: the deal rate split at SAL, in a block of its own; the division table as it was', () => {
    // A typed SAL-rate target of 50 %, the rest of the plan the window's actual: the SAL rate's
    // effect is L × ln(actual ÷ 0.5), and SAL → deal's plan (deal rate ÷ 0.5) makes its effect
    // exactly the opposite — together, the deal rate's own effect (0: planned at its actual).
    const { tree, truth } = build('en', (s) => ({ ...s, kpis: { salRate: { target: 0.5 } } }));
    const rows = gapRows(tree, 'en');
    expect(rows.has('Deal rate (MQL → deal)')).toBe(true);
    expect(rows.has('SAL rate (MQL → SAL)')).toBe(false);
    const title = tree.findIndex((r) => String(r[0]).startsWith('The deal rate split at SAL'));
    expect(title).toBeGreaterThan(0);
    const block = new Map(tree.slice(title + 2, title + 4).map((r) => [String(r[1]), r]));
    const salRate = block.get('SAL rate (MQL → SAL)') as unknown[];
    const toDeal = block.get('SAL → deal rate') as unknown[];
    expect(salRate[0]).toBe('IS');
    expect(toDeal[0]).toBe('IS');
    expect(salRate[3]).toBeCloseTo(truth.sal / truth.mql, 12);
    expect(salRate[2]).toBeCloseTo(0.5, 12);
    expect(toDeal[3]).toBeCloseTo(truth.deals / truth.sal, 12);
    expect(toDeal[2]).toBeCloseTo(truth.deals / truth.mql / 0.5, 12);
    const A = truth.revenue;
    const P = 2_000_000 * 6;
    const L = (A - P) / Math.log(A / P);
    expect(salRate[5]).toBeCloseTo(L * Math.log(truth.sal / truth.mql / 0.5), 4);
    expect(toDeal[5]).toBeCloseTo(-(salRate[5] as number), 4);
    expect(rows.get('Deal rate (MQL → deal)')?.[5]).toBeCloseTo(
      (salRate[5] as number) + (toDeal[5] as number),
      4,
    );
    // The SAL boxes carry the same effects; SAL's with the stages below it (MQL's + the SAL rate's).
    expect(tree[30][12]).toBeCloseTo(salRate[5] as number, 4);
    expect(tree[18][12]).toBeCloseTo(toDeal[5] as number, 4);
    expect(tree[24][11]).toBe('Effect incl. stages below');
    expect(tree[24][12]).toBeCloseTo((tree[24][4] as number) + (salRate[5] as number), 4);
  });

  it('every cell of the tree without SAL keeps its address with SAL', () => {
    const withSal = build('en').tree;
    const without = build('en', (s) => ({ ...s, statusMap: { ...s.statusMap, SAL: 'sql' } })).tree;
    const moved: string[] = [];
    // The tree and its tables (A–M; the status lists right of the data hold the mapping itself).
    for (let r = 0; r < without.length; r++)
      for (let c = 0; c < 13; c++) {
        const v = without[r][c];
        if (v === '' || v === null || v === undefined) continue;
        const w = withSal[r]?.[c];
        // A label is the same text; a number or a computed text is still there.
        const label = typeof v === 'string' && !/\d/.test(v);
        if (label ? w !== v : w === '' || w === undefined)
          moved.push(`R${r + 1}C${c + 1}: ${String(v)} → ${String(w)}`);
      }
    expect(moved).toEqual([]);
  });

  it('SMART lists SAL, its rate and SAL → deal, measured and on the revenue path', () => {
    const { tree } = build('en');
    const head = tree.findIndex((r) => r[6] === 'S Specific');
    expect(head).toBeGreaterThan(0);
    const rows = new Map<string, unknown[]>();
    for (let r = head + 1; r < tree.length && tree[r][0] !== ''; r++)
      rows.set(String(tree[r][0]), tree[r]);
    for (const label of ['SAL (MQL accepted by IS)', 'SAL rate (MQL → SAL)', 'SAL → deal rate']) {
      const row = rows.get(label) as unknown[];
      expect(row, label).toBeDefined();
      expect(row[1], label).toBe('IS');
      expect(String(row[7]), label).toMatch(/^✓/);
      expect(String(row[9]), label).toMatch(/^✓/);
    }
  });

  it('Snapshot records the SAL nodes with the others', () => {
    const { rt } = build('en');
    rt.callFromSidebar('kpiSnapshot');
    const ids = rt.values('KPI history').map((r) => r[0]);
    expect(ids).toEqual(expect.arrayContaining(['sal', 'salRate', 'salDealRate', 'dealRate']));
  });
});

describe('without a status that means SAL', () => {
  it('nothing of SAL exists: no boxes, no plan input, the deal rate in the split, no SMART rows', () => {
    // The same export, its "SAL" status mapped to an open deal by hand.
    const { tree, truth } = build('en', (s) => ({
      ...s,
      statusMap: { ...s.statusMap, SAL: 'sql' },
    }));
    for (const row of [15, 21, 27]) expect(tree[row - 1][11], `L${row}`).toBe('');
    expect(tree[12][0]).toBe('');
    expect(tree[12][1]).toBe('');
    const rows = gapRows(tree, 'en');
    expect(rows.has('Deal rate (MQL → deal)')).toBe(true);
    expect(rows.has('SAL rate (MQL → SAL)')).toBe(false);
    // Nowhere on the tree and its tables (columns A–M; the status lists right of the data name
    // the status itself).
    expect(tree.flatMap((r) => r.slice(0, 13)).filter((x) => /SAL/.test(String(x)))).toEqual([]);
    // A SAL status read as an open deal: deals count every row at SAL or past it.
    expect(box(tree, 15, 4).actual).toBe(truth.sal);
  });
});
