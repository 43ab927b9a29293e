/**
 * "An assumption never judges an actual": where a plan rests on a built-in assumption (no data
 * gives the plan input, nobody typed it), the KPI tree's achievement reads "plan assumed",
 * uncoloured, and the revenue-gap split leaves that KPI out — live: typing a real value into the
 * input brings the percentage (and the KPI's share of the gap) back. Through the built bundle.
 *
 * Expected values are worked out by hand from the fixture below (20 leads, 10 MQL, 4 deals in
 * April–June 2025; the second fixture adds won deals with amounts in January–March).
 */
import { describe, expect, it } from 'vitest';
import { renderSheet } from '../../local/render';
import { LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import type { KpiSettings } from '../../src/core/settings';
import { untouchedSettings } from '../helpers/settings';

const TEXT = {
  ja: { tree: 'KPIツリー', label: '計画は仮定値', assumed: '仮定値（データなし）' },
  en: { tree: 'KPI tree', label: 'plan assumed', assumed: 'built-in assumption (no data)' },
} as const;
const NODES = {
  ja: {
    revenue: '売上（KGI）',
    won: '受注数',
    avgDeal: '平均受注単価',
    winRate: '受注率',
    deals: '商談数',
    dealRate: '商談化率（MQL→商談）',
    mql: 'MQL',
    mqlRate: 'MQL率（ターゲット→MQL）',
    targetLeads: 'ターゲットリード',
    targetShare: 'ターゲット率（リード→ターゲット）',
    leads: 'リード',
  },
  en: {
    revenue: 'Revenue (KGI)',
    won: 'Won deals',
    avgDeal: 'Average deal size',
    winRate: 'Win rate',
    deals: 'Deals',
    dealRate: 'Deal rate (MQL → deal)',
    mql: 'MQL',
    mqlRate: 'MQL rate (target → MQL)',
    targetLeads: 'Target leads',
    targetShare: 'Target share (lead → target)',
    leads: 'Leads',
  },
} as const;
type Node = keyof typeof NODES.ja;
const RULE_COLOURS = ['#b7e1cd', '#fce8b2', '#f4c7c3'];

/**
 * 20 leads created April–June 2025 (L1…L20), the first 10 MQL, the first 4 deals; with `won`,
 * 6 more leads in January–March 2025 that became MQL, deals and won (¥500,000 each, 3 of them).
 */
function leadTab(won: boolean) {
  const header = ['リードID', '作成日', '会社名', 'メールアドレス', 'MQL日', '商談化日'];
  if (won) header.push('受注日', '受注金額');
  const rows: unknown[][] = [header];
  for (let i = 1; i <= 20; i++) {
    const d = `2025/${4 + (i % 3)}/${1 + i}`;
    const row: unknown[] = [`L${i}`, d, `会社${i}`, `u${i}@c${i}.co.jp`, i <= 10 ? d : ''];
    row.push(i <= 4 ? d : '');
    if (won) row.push('', '');
    rows.push(row);
  }
  if (won) {
    for (let i = 1; i <= 6; i++) {
      const d = `2025/${1 + (i % 3)}/${10 + i}`;
      const w = i <= 3;
      rows.push([`E${i}`, d, `旧${i}`, `e${i}@o${i}.co.jp`, d, d, w ? d : '', w ? 500_000 : '']);
    }
  }
  return { name: 'リード', rows };
}

function setup(lang: 'ja' | 'en', won = false) {
  const rt = new LocalRuntime({
    timeZone: 'Asia/Tokyo',
    locale: lang === 'ja' ? 'ja_JP' : 'en_US',
  });
  rt.loadSheets([leadTab(won)]);
  const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'リード');
  const base: KpiSettings = {
    ...untouchedSettings(ins, lang),
    from: '2025-04-01',
    to: '2025-06-30',
    revenueTarget: 3_000_000,
  };
  return { rt, base };
}

/** A node's box on the tree: [plan, actual, achievement] and the achievement's place. */
function box(rt: LocalRuntime, lang: 'ja' | 'en', id: Node) {
  const v = rt.values(TEXT[lang].tree);
  for (let r = 0; r < 40; r++) {
    for (const c of [3, 6]) {
      if (v[r][c] === NODES[lang][id]) {
        return {
          plan: v[r + 1][c + 1],
          actual: v[r + 2][c + 1],
          achievement: v[r + 3][c + 1],
          row: r + 4,
          col: c + 2,
        };
      }
    }
  }
  throw new Error(`no node ${id}`);
}

/** The background the tree's achievement cell shows (conditional rules applied). */
function shownBg(rt: LocalRuntime, lang: 'ja' | 'en', id: Node) {
  const b = box(rt, lang, id);
  const shown = renderSheet(rt, rt.wb.sheetId(TEXT[lang].tree) as number);
  return shown.cells[b.row - 1][b.col - 1].bg;
}

const tree = (rt: LocalRuntime, lang: 'ja' | 'en') => {
  const s = rt.spreadsheet.self.getSheetByName(TEXT[lang].tree);
  if (!s) throw new Error('no tree');
  return s;
};

/** The gap table's row of a KPI: [plan, actual, actual ÷ plan, effect, lever]. */
function gapRow(rt: LocalRuntime, lang: 'ja' | 'en', id: Node) {
  const v = rt.values(TEXT[lang].tree);
  const head = v.findIndex((r) => r[0] === (lang === 'ja' ? '部門' : 'Division'));
  for (let r = head + 1; r < head + 20; r++)
    if (v[r][1] === NODES[lang][id]) return v[r].slice(2, 7);
  throw new Error(`no gap row ${id}`);
}

/** The nodes whose plan rests on the average deal size or the win rate (no won deals measured). */
const ON_ASSUMED: Node[] = ['won', 'avgDeal', 'winRate', 'deals', 'mql', 'targetLeads', 'leads'];
const ON_DATA: Node[] = ['dealRate', 'mqlRate', 'targetShare'];

describe('an assumption never judges an actual', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: no won deals, no amounts → the nodes planned from assumptions read the label, uncoloured`, () => {
      const { rt, base } = setup(lang);
      rt.callFromSidebar('kpiBuild', base);
      const L = TEXT[lang];
      for (const id of ON_ASSUMED) expect(box(rt, lang, id).achievement, id).toBe(L.label);
      for (const id of ON_ASSUMED) expect(RULE_COLOURS, id).not.toContain(shownBg(rt, lang, id));
      // The revenue target was typed: revenue's plan is no assumption (its actual is no data).
      expect(box(rt, lang, 'revenue').achievement).toBe('');
      // Rates the window measures: 4 deals ÷ 10 MQL planned at 0.4, 10 MQL ÷ 20 leads at 0.5,
      // 20 of 20 leads targets (no target column) at 1: 100 %, green.
      for (const id of ON_DATA) {
        expect(box(rt, lang, id).achievement, id).toBeCloseTo(1, 9);
        expect(shownBg(rt, lang, id), id).toBe('#b7e1cd');
      }
      // The assumptions are written beside their inputs, labelled: ¥1,000,000 and 25 %.
      const t = tree(rt, lang);
      expect(t.getRange('C8').getValue()).toBe(1_000_000);
      expect(t.getRange('C9').getValue()).toBe(0.25);
      const shown = renderSheet(rt, rt.wb.sheetId(L.tree) as number);
      expect(shown.cells[7][2].t).toContain(L.assumed);
      expect(shown.cells[8][2].t).toBe(`${L.assumed}: 25.0%`);
      // The revenue-gap split has nothing to split (won deals are not measured): no effect is a
      // number, in the split or on the tree, so none is attributed to an assumed plan.
      for (const id of ['leads', 'winRate', 'avgDeal'] as Node[]) {
        expect(typeof gapRow(rt, lang, id)[3], id).not.toBe('number');
      }
      const v = rt.values(L.tree);
      for (const id of ON_ASSUMED) {
        const b = box(rt, lang, id);
        expect(typeof v[b.row][b.col - 1], id).not.toBe('number');
      }
    });
  }

  it('without a revenue target, revenue is planned from an assumption too', () => {
    const { rt, base } = setup('en');
    rt.callFromSidebar('kpiBuild', { ...base, revenueTarget: undefined });
    // Revenue unmeasured: the target is the built-in 30,000,000 per period.
    expect(tree(rt, 'en').getRange('C7').getValue()).toBe(30_000_000);
    for (const id of ['revenue', ...ON_ASSUMED] as Node[]) {
      expect(box(rt, 'en', id).achievement, id).toBe('plan assumed');
    }
    // A snapshot keeps the label in the history, as the tree shows it.
    rt.callFromSidebar('kpiSnapshot');
    const history = rt.values('KPI history');
    const won = history.find((r) => r[0] === 'won');
    expect(won?.[5]).toBe('plan assumed');
  });

  it('every input given: percentages, as before', () => {
    const { rt, base } = setup('ja');
    rt.callFromSidebar('kpiBuild', {
      ...base,
      avgDealSize: 1_000_000,
      kpis: { winRate: { target: 0.25 } },
    });
    const v = rt.values(TEXT.ja.tree);
    expect(v.flat()).not.toContain(TEXT.ja.label);
    // Revenue plan 3,000,000 × 3 months = 9,000,000 → 9 won → 36 deals (÷ 0.25) → 90 MQL (÷ 0.4)
    // → 180 target leads (÷ 0.5) → 180 leads (÷ 1).
    expect(box(rt, 'ja', 'deals').plan).toBeCloseTo(36, 9);
    expect(box(rt, 'ja', 'deals').achievement).toBeCloseTo(4 / 36, 9);
    expect(box(rt, 'ja', 'mql').achievement).toBeCloseTo(10 / 90, 9);
    expect(box(rt, 'ja', 'leads').achievement).toBeCloseTo(20 / 180, 9);
    expect(shownBg(rt, 'ja', 'leads')).toBe('#f4c7c3'); // 11 % < 80 %: red
    // Won deals are not measured: no actual, no achievement (and no label).
    expect(box(rt, 'ja', 'won').achievement).toBe('');
  });

  it('live: typing a real plan into the input brings the percentage back', () => {
    const { rt, base } = setup('en');
    rt.callFromSidebar('kpiBuild', base);
    const t = tree(rt, 'en');
    t.getRange('B8').setValue(500_000); // the average deal size, typed
    // Won is planned from the target and the deal size alone: no longer assumed (no actual: "").
    expect(box(rt, 'en', 'won').achievement).toBe('');
    expect(box(rt, 'en', 'won').plan).toBeCloseTo(18, 9); // 9,000,000 ÷ 500,000
    // Deals still rest on the assumed win rate.
    expect(box(rt, 'en', 'deals').achievement).toBe('plan assumed');
    t.getRange('B9').setValue(0.5); // the win rate, typed
    // 18 won ÷ 0.5 = 36 deals → 90 MQL → 180 leads.
    expect(box(rt, 'en', 'deals').achievement).toBeCloseTo(4 / 36, 9);
    expect(box(rt, 'en', 'leads').achievement).toBeCloseTo(20 / 180, 9);
    expect(shownBg(rt, 'en', 'deals')).toBe('#f4c7c3');
    expect(rt.values('KPI tree').flat()).not.toContain('plan assumed');
  });

  it('live: the gap split leaves out the KPIs planned from an assumption, and takes them back', () => {
    // Won deals are measured, but none in April–June: the deal size and the win rate are
    // assumptions. Widening the window to January brings 3 won deals (¥1,500,000) in.
    const { rt, base } = setup('en', true);
    rt.callFromSidebar('kpiBuild', base);
    const t = tree(rt, 'en');
    expect(t.getRange('C8').getValue()).toBe(1_000_000);
    expect(t.getRange('C9').getValue()).toBe(0.25);
    t.getRange('B4').setValue(new Date(Date.UTC(2024, 11, 31, 15))); // 2025-01-01 in Tokyo
    // Window Jan–Jun (6 periods): 26 leads, 16 MQL, 10 deals, 3 won, ¥1,500,000.
    // Plan: revenue 3,000,000 × 6 = 18,000,000; rates as built: share 1, MQL rate 0.5, deal rate
    // 0.4, win rate 0.25 (assumed), deal size 1,000,000 (assumed); leads 18,000,000 ÷ (1 × 0.5 ×
    // 0.4 × 0.25 × 1,000,000) = 360.
    const A = 1_500_000;
    const P = 18_000_000;
    const Lm = (A - P) / Math.log(A / P);
    for (const id of ['leads', 'winRate', 'avgDeal'] as Node[]) {
      const row = gapRow(rt, 'en', id);
      expect(row[2], id).toBe('plan assumed');
      expect(row[3], id).toBe('plan assumed');
      expect(row[4], id).toBe('plan assumed');
    }
    const share = gapRow(rt, 'en', 'targetShare');
    expect(share[3]).toBeCloseTo(0, 6); // 26 ÷ 26 against 1
    const mqlRate = gapRow(rt, 'en', 'mqlRate');
    expect(mqlRate[1]).toBeCloseTo(16 / 26, 9);
    expect(mqlRate[3]).toBeCloseTo(Lm * Math.log(16 / 26 / 0.5), 3);
    const dealRate = gapRow(rt, 'en', 'dealRate');
    expect(dealRate[3]).toBeCloseTo(Lm * Math.log(10 / 16 / 0.4), 3);
    const v = rt.values('KPI tree');
    // The split says so.
    expect(v.flat().some((x) => typeof x === 'string' && x.includes('left out of the split'))).toBe(
      true,
    );
    // The tree's boxes: the deal size's effect reads the label; won (with every stage below) too.
    const eff = (id: Node) => {
      const b = box(rt, 'en', id);
      return v[b.row][b.col - 1];
    };
    expect(eff('avgDeal')).toBe('plan assumed');
    expect(eff('won')).toBe('plan assumed');
    expect(eff('dealRate')).toBeCloseTo(Lm * Math.log(10 / 16 / 0.4), 3);

    // Typing both plans: the split is whole again and adds up to the gap.
    t.getRange('B8').setValue(600_000);
    t.getRange('B9').setValue(0.2);
    expect(rt.values('KPI tree').flat().includes('plan assumed')).toBe(false);
    const won = gapRow(rt, 'en', 'winRate');
    expect(won[3]).toBeCloseTo(Lm * Math.log(3 / 10 / 0.2), 3);
    expect(gapRow(rt, 'en', 'avgDeal')[3]).toBeCloseTo(Lm * Math.log(500_000 / 600_000), 3);
    const ids: Node[] = ['leads', 'targetShare', 'mqlRate', 'dealRate', 'winRate', 'avgDeal'];
    const sum = ids.reduce((s, id) => s + (gapRow(rt, 'en', id)[3] as number), 0);
    expect(sum).toBeCloseTo(A - P, 3);
  });
});
