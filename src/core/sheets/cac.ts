/**
 * CAC (customer acquisition cost) per period: marketing spend + IS cost + FS cost, divided by the
 * new customers (won deals) of the period, beside the average deal size. Its rows follow the funnel
 * sheet's periods (`⟦funnel⟧`), so the won deals are the funnel's, period for period; costs come from
 * the user's costs tab (summed by the period its date falls in) or from the per-period inputs
 * typed on this sheet.
 */
import { FUNNEL_COL } from '../funnel';
import type { KpiSettings } from '../settings';
import { a1, colLetters, Grid, type SheetModel, sheetRef } from '../sheetModel';
import { colRange, periodStartOf, REFERENCED_ROWS } from './formulas';
import { defineSheet } from './sheet';
import { COLORS, FMT, moneyOf } from './style';
import { noDataText } from './treeText';

const NAMES = { ja: '顧客獲得コスト（CAC）', en: 'CAC' };

const TEXT = {
  ja: {
    note: '顧客獲得コスト = （マーケティング費用 + IS人件費 + FS人件費）÷ 新規顧客数（その期間の受注数）。3部門のコストがそろった期間だけ計算します。',
    header: [
      '期間',
      'マーケティング費用',
      'IS人件費',
      'FS人件費',
      'コスト合計',
      '新規顧客数（受注）',
      'CAC',
      '平均受注単価',
      'CAC ÷ 平均受注単価',
      '期間の初日',
    ],
    inputs: '期間あたりのコスト（コストタブにない部門に使います）',
    marketing: 'マーケティング費用',
    isHeads: 'IS 人数',
    isPerHead: 'IS 1人あたり人件費',
    fsHeads: 'FS 人数',
    fsPerHead: 'FS 1人あたり人件費',
    fromTab: (tab: string) => `コスト: タブ「${tab}」から（期間の日付で集計）`,
    total: '期間合計',
  },
  en: {
    note: 'CAC = (marketing spend + IS cost + FS cost) ÷ new customers (won deals of the period). Computed only for periods where all three costs are known.',
    header: [
      'Period',
      'Marketing spend',
      'IS cost',
      'FS cost',
      'Total cost',
      'New customers (won)',
      'CAC',
      'Avg deal size',
      'CAC ÷ avg deal size',
      'Period start',
    ],
    inputs: 'Costs per period (used for divisions the costs tab lacks)',
    marketing: 'Marketing spend',
    isHeads: 'IS heads',
    isPerHead: 'IS cost per head',
    fsHeads: 'FS heads',
    fsPerHead: 'FS cost per head',
    fromTab: (tab: string) => `Costs: from the tab “${tab}” (summed by the period of its date)`,
    total: 'Window total',
  },
};

/** First table row and the input cells (column M). */
const FIRST = 5;
const INPUT = { marketing: 'M4', isHeads: 'M5', isPerHead: 'M6', fsHeads: 'M7', fsPerHead: 'M8' };
const COL = {
  period: 1,
  mkt: 2,
  is: 3,
  fs: 4,
  total: 5,
  won: 6,
  cac: 7,
  avg: 8,
  ratio: 9,
  start: 10,
};

/** Whether a build has any cost to show: a costs tab or a typed cost. */
export function hasCosts(settings: KpiSettings): boolean {
  // The BigQuery build has no CAC sheet (costs stay on the tab edition for now).
  if (settings.bigquery) return false;
  const c = settings.costs;
  const typed = c && Object.values(c).some((v) => typeof v === 'number');
  return settings.costTab !== undefined || Boolean(typed);
}

/**
 * The window's CAC as a formula over the CAC sheet: the total cost of the periods starting within
 * [from, to] ÷ `won` — "" when a period of the window has no known cost, or nothing was won.
 */
export function windowCacFormula(fromCell: string, toCell: string, wonCell: string): string {
  const col = (c: number) => `⟦cac⟧!$${colLetters(c)}$${FIRST}:$${colLetters(c)}$700`;
  const start = col(COL.start);
  const lo = `">="&DATE(YEAR(${fromCell}),MONTH(${fromCell}),1)`;
  const hi = `"<="&${toCell}`;
  const periods = `COUNTIFS(${start}, ${lo}, ${start}, ${hi})`;
  const costed = `COUNTIFS(${start}, ${lo}, ${start}, ${hi}, ${col(COL.total)}, ">=0")`;
  const cost = `SUMIFS(${col(COL.total)}, ${start}, ${lo}, ${start}, ${hi})`;
  return `IF(AND(${periods}>0, ${periods}=${costed}, ISNUMBER(${wonCell})), IF(${wonCell}>0, ${cost}/${wonCell}, ""), "")`;
}

export function cacSheet(settings: KpiSettings, spill = 40): SheetModel | undefined {
  if (!hasCosts(settings)) return undefined;
  const lang = settings.lang;
  const t = TEXT[lang];
  const money = moneyOf(settings);
  const name = NAMES[lang];
  const noData = noDataText(lang);
  const g = new Grid(13);
  g.set(1, 1, name, { bold: true });
  g.set(2, 1, t.note);
  g.block(FIRST - 1, 1, [t.header], { bold: true, background: COLORS.header });
  // Inputs: used for each division the costs tab does not cover.
  const c = settings.costs;
  g.set(3, 12, t.inputs, { bold: true, background: COLORS.header });
  const inputs: [string, string, number | '' | undefined, string][] = [
    [t.marketing, INPUT.marketing, c?.marketing, money],
    [t.isHeads, INPUT.isHeads, c?.isHeads, FMT.int],
    [t.isPerHead, INPUT.isPerHead, c?.isPerHead, money],
    [t.fsHeads, INPUT.fsHeads, c?.fsHeads, FMT.int],
    [t.fsPerHead, INPUT.fsPerHead, c?.fsPerHead, money],
  ];
  inputs.forEach(([label, , value, number], i) => {
    g.set(4 + i, 12, label);
    g.set(4 + i, 13, value ?? '', { number, background: COLORS.input });
  });
  const tab = settings.costTab;
  if (tab) g.set(10, 12, t.fromTab(tab.sheet));
  const abs = (cell: string) => `$${cell[0]}$${cell.slice(1)}`;
  const fromTab = (role: 'marketing' | 'is' | 'fs', start: string): string | undefined => {
    const col = tab?.columns[role];
    const period = tab?.columns.period;
    if (!tab || col === undefined || period === undefined) return undefined;
    const q = sheetRef(tab.sheet);
    const values = colRange(q, tab.headerRow, col);
    const dates = colRange(q, tab.headerRow, period);
    const months = settings.period === 'month' ? 1 : 3;
    return `SUMIFS(${values}, ${dates}, ">="&${start}, ${dates}, "<"&EDATE(${start}, ${months}))`;
  };
  const typed = {
    marketing: `IF(ISNUMBER(${abs(INPUT.marketing)}), ${abs(INPUT.marketing)}, "")`,
    is: `IF(AND(ISNUMBER(${abs(INPUT.isHeads)}), ISNUMBER(${abs(INPUT.isPerHead)})), ${abs(INPUT.isHeads)}*${abs(INPUT.isPerHead)}, "")`,
    fs: `IF(AND(ISNUMBER(${abs(INPUT.fsHeads)}), ISNUMBER(${abs(INPUT.fsPerHead)})), ${abs(INPUT.fsHeads)}*${abs(INPUT.fsPerHead)}, "")`,
  };
  const funnel = (col: number, r: number) => `⟦funnel⟧!$${colLetters(col)}$${r}`;
  const L = (col: number) => colLetters(col);
  const last = FIRST + spill - 1;
  // One row per period of the funnel sheet (its row r): its Total row is left out here — the
  // window's total is the line above the header, so the chart and the rows hold periods only.
  for (let r = FIRST; r <= last; r++) {
    const start = `$${L(COL.start)}${r}`;
    const guard = (body: string) => ({ f: `=IF(ISNUMBER(${start}), ${body}, "")` });
    // A period label is 7 characters (2025-04, 2025-Q2); the funnel's Total row is not one.
    g.set(r, COL.period, { f: `=IF(LEN(${funnel(1, r)})=7, ${funnel(1, r)}, "")` });
    g.set(
      r,
      COL.start,
      { f: `=${periodStartOf(`$A${r}`, settings.period)}` },
      { number: 'yyyy-mm' },
    );
    (['marketing', 'is', 'fs'] as const).forEach((role, i) => {
      g.set(r, COL.mkt + i, guard(fromTab(role, start) ?? typed[role]), { number: money });
    });
    const parts = `${L(COL.mkt)}${r}:${L(COL.fs)}${r}`;
    g.set(r, COL.total, guard(`IF(COUNT(${parts})=3, SUM(${parts}), "")`), { number: money });
    g.set(r, COL.won, guard(funnel(FUNNEL_COL.won, r)), { number: FMT.int });
    g.set(r, COL.avg, guard(funnel(FUNNEL_COL.avgDeal, r)), { number: money });
    cacCells(r, guard);
  }
  // The window's total (row 3): costs only when every period has them; won summed; the average
  // deal size of the funnel's Total row.
  const T = FIRST - 2;
  const periods = `COUNT($${L(COL.start)}$${FIRST}:$${L(COL.start)}$${last})`;
  g.set(T, COL.period, t.total, { bold: true });
  for (const col of [COL.mkt, COL.is, COL.fs]) {
    const range = `${L(col)}${FIRST}:${L(col)}${last}`;
    g.set(
      T,
      col,
      { f: `=IF(AND(${periods}>0, COUNT(${range})=${periods}), SUM(${range}), "")` },
      { number: money, bold: true },
    );
  }
  const parts = `${L(COL.mkt)}${T}:${L(COL.fs)}${T}`;
  g.set(
    T,
    COL.total,
    { f: `=IF(COUNT(${parts})=3, SUM(${parts}), "")` },
    { number: money, bold: true },
  );
  g.set(
    T,
    COL.won,
    { f: `=SUM(${L(COL.won)}${FIRST}:${L(COL.won)}${last})` },
    { number: FMT.int, bold: true },
  );
  g.set(
    T,
    COL.avg,
    { f: `=INDEX(⟦funnel⟧!$L$5:$L$700, COUNTA(⟦funnel⟧!$A$5:$A$700))` },
    { number: money, bold: true },
  );
  cacCells(T, (body) => ({ f: `=${body}` }));
  return g.model('cac', name, {
    // The tree reads this table down to row 700: the grid reaches it.
    grid: { rows: REFERENCED_ROWS, cols: 1 },
    frozenRows: FIRST - 1,
    charts: [
      {
        kind: 'column',
        ranges: [`A${FIRST - 1}:A${last}`, `G${FIRST - 1}:G${last}`],
        title: t.header[6],
        row: 12,
        col: 12,
      },
    ],
  });

  /** CAC and CAC ÷ average deal size of row r. */
  function cacCells(r: number, guard: (body: string) => { f: string }) {
    const total = a1(r, COL.total);
    const won = a1(r, COL.won);
    const cac = a1(r, COL.cac);
    const avg = a1(r, COL.avg);
    g.set(
      r,
      COL.cac,
      guard(
        `IF(AND(ISNUMBER(${total}), ISNUMBER(${won})), IF(${won}>0, ${total}/${won}, "${noData}"), "${noData}")`,
      ),
      { number: money, bold: r === FIRST - 2 },
    );
    g.set(
      r,
      COL.ratio,
      guard(`IF(AND(ISNUMBER(${cac}), ISNUMBER(${avg})), IF(${avg}>0, ${cac}/${avg}, ""), "")`),
      { number: FMT.pct, bold: r === FIRST - 2 },
    );
  }
}

export const cac = defineSheet({
  key: 'cac',
  names: NAMES,
  build: ({ settings, spill }) => cacSheet(settings, spill),
});
