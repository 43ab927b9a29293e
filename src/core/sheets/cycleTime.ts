/**
 * Cycle time: days from lead to deal and from deal to won, per period of the start date (live
 * CYCLE_TIME over the user's tabs), with beside each table the days in total and the period's
 * first day — what the KPI tree reads to show the window's mean cycle time on its nodes.
 */
import type { Lang } from '../errors';
import type { LeadTable } from '../leads';
import type { KpiSettings } from '../settings';
import { a1, Grid, type SheetModel } from '../sheetModel';
import { dealColumns, leadColumns, periodStartOf, REFERENCED_ROWS } from './formulas';
import { defineSheet } from './sheet';
import { COLORS, FMT } from './style';

const NAMES = { ja: 'サイクルタイム', en: 'Cycle time' };

const TEXT = {
  ja: {
    note: '全データについて、開始日の期間ごとの日数（中央値・75パーセンタイル・平均）。未完了 = 終了日がない件数（失注・ナーチャリング中も含みます）。終了日が開始日より前の行は0日。KPIツリーの日数は集計期間に開始した分の平均です。',
    leadToDeal: 'リード → 商談',
    mqlToDeal: 'MQL → 商談',
    dealToWon: '商談 → 受注',
    totalDays: '日数の合計',
    start: '期間の初日',
    chart: (x: string) => `${x}: 日数の中央値（期間別）`,
    chartPeriod: '期間（グラフ用）',
  },
  en: {
    note: 'All data: days per period of the start date (median, 75th percentile, mean). Open = no end date (lost and nurtured items included). An end before its start counts as 0 days. The KPI tree shows the mean of the starts within its window.',
    leadToDeal: 'Lead → deal',
    mqlToDeal: 'MQL → deal',
    dealToWon: 'Deal → won',
    totalDays: 'days in total',
    start: 'period start',
    chart: (x: string) => `${x}: median days by period`,
    chartPeriod: 'period (chart)',
  },
};

/** Where each table sits: its title row and first column; the tree reads these. */
export const CYCLE_BLOCK = {
  leadToDeal: { row: 3, col: 1 },
  dealToWon: { row: 3, col: 10 },
} as const;
/** Columns of a block (relative, 0-based): CYCLE_TIME's 6, then days in total and period start. */
const COUNT = 1;
const MEAN = 4;
const TOTAL_DAYS = 6;
const START = 7;
/** First column of the charts' data (right of both tables); the charts sit right of it. */
const CHART_DATA = 20;

export interface CycleSources {
  leadToDeal?: { start: string; end: string; from: 'lead' | 'mql' };
  dealToWon?: { start: string; end: string };
}

/** The date columns each cycle is measured between, or none when the tabs lack them. */
export function cycleSources(settings: KpiSettings): CycleSources {
  const c = leadColumns(settings);
  const d = dealColumns(settings);
  const rows = settings.rowsAre ?? 'lead';
  const out: CycleSources = {};
  if (rows !== 'deal' && c.created && c.dealDate) {
    out.leadToDeal = { start: c.created, end: c.dealDate, from: rows === 'mql' ? 'mql' : 'lead' };
  }
  if (d.created && d.wonDate) out.dealToWon = { start: d.created, end: d.wonDate };
  else if (rows !== 'deal' && c.dealDate && c.wonDate)
    out.dealToWon = { start: c.dealDate, end: c.wonDate };
  else if (rows === 'deal' && c.created && c.wonDate)
    out.dealToWon = { start: c.created, end: c.wonDate };
  return out;
}

/**
 * The window's mean days of a cycle, as a formula over the cycle sheet (`⟦cycle-time⟧`): the days
 * in total of the periods starting within [from, to], divided by their count. "" without data.
 */
export function windowMeanDays(which: keyof CycleSources, fromCell: string, toCell: string) {
  const b = CYCLE_BLOCK[which];
  const col = (k: number) => {
    const letter = a1(1, b.col + k).replace(/\d+$/, '');
    return `⟦cycle-time⟧!$${letter}$${b.row + 2}:$${letter}$700`;
  };
  const inWindow = (sumCol: number) =>
    `SUMIFS(${col(sumCol)}, ${col(START)}, ">="&DATE(YEAR(${fromCell}),MONTH(${fromCell}),1), ${col(START)}, "<="&${toCell})`;
  return `IF(${inWindow(COUNT)}>0, ${inWindow(TOTAL_DAYS)}/${inWindow(COUNT)}, "")`;
}

export function cycleTimeSheet(settings: KpiSettings, spill = 40): SheetModel | undefined {
  const src = cycleSources(settings);
  if (!src.leadToDeal && !src.dealToWon) return undefined;
  const lang: Lang = settings.lang;
  const t = TEXT[lang];
  const name = NAMES[lang];
  const g = new Grid(CHART_DATA + 5);
  g.set(1, 1, name, { bold: true });
  g.set(2, 1, t.note);
  const charts: NonNullable<SheetModel['charts']> = [];
  const block = (which: keyof CycleSources, title: string, start: string, end: string) => {
    const { row, col } = CYCLE_BLOCK[which];
    g.set(row, col, title, { bold: true, background: COLORS.header });
    g.set(row + 1, col, {
      f: `=CYCLE_TIME(${start}, ${end}, "${settings.period}")`,
    });
    g.formatArea(row + 2, col + 1, spill, [FMT.int, FMT.days, FMT.days, FMT.days, FMT.int]);
    g.set(row + 1, col + TOTAL_DAYS, t.totalDays, { bold: true, background: COLORS.header });
    g.set(row + 1, col + START, t.start, { bold: true, background: COLORS.header });
    for (let r = row + 2; r < row + 2 + spill; r++) {
      const label = a1(r, col);
      const count = a1(r, col + COUNT);
      const mean = a1(r, col + MEAN);
      g.set(
        r,
        col + TOTAL_DAYS,
        { f: `=IF(AND(ISNUMBER(${count}), ISNUMBER(${mean})), ${count}*${mean}, "")` },
        { number: FMT.int },
      );
      g.set(
        r,
        col + START,
        { f: `=${periodStartOf(label, settings.period)}` },
        { number: 'yyyy-mm' },
      );
    }
    // The chart's data: the periods and their median days without the Total row (a chart of
    // the table itself would plot "Total" as one more period), far right of the tables.
    const letter = (k: number) => a1(1, col + k).replace(/\d+$/, '');
    const first = row + 2;
    const last = row + 1 + spill;
    const dataCol = CHART_DATA + (which === 'leadToDeal' ? 0 : 3);
    const dl = (k: number) => a1(1, dataCol + k).replace(/\d+$/, '');
    const periods = `ISNUMBER(${letter(START)}${first}:${letter(START)}${last})`;
    g.set(row + 1, dataCol, t.chartPeriod, { bold: true });
    g.set(row + 1, dataCol + 1, title, { bold: true });
    g.set(row + 2, dataCol, {
      f: `=IFERROR(FILTER(${letter(0)}${first}:${letter(0)}${last}, ${periods}), "")`,
    });
    g.set(row + 2, dataCol + 1, {
      f: `=IFERROR(FILTER(${letter(2)}${first}:${letter(2)}${last}, ${periods}), "")`,
    });
    g.formatArea(row + 2, dataCol + 1, spill, [FMT.days]);
    charts.push({
      kind: 'line',
      ranges: [`${dl(0)}${row + 1}:${dl(0)}${last}`, `${dl(1)}${row + 1}:${dl(1)}${last}`],
      title: t.chart(title),
      row: which === 'leadToDeal' ? row : row + 22,
      col: CHART_DATA + 7,
    });
  };
  if (src.leadToDeal) {
    block(
      'leadToDeal',
      src.leadToDeal.from === 'mql' ? t.mqlToDeal : t.leadToDeal,
      src.leadToDeal.start,
      src.leadToDeal.end,
    );
  }
  if (src.dealToWon) block('dealToWon', t.dealToWon, src.dealToWon.start, src.dealToWon.end);
  // The tree reads these tables down to row 700: the grid reaches it.
  return g.model('cycle-time', name, {
    frozenRows: 4,
    charts,
    grid: { rows: REFERENCED_ROWS, cols: 1 },
  });
}

/**
 * Rows a table over all of the lead tab's dates may take (CYCLE_TIME spans every start date, not
 * the window): the periods from the earliest to the latest created or deal date, and room.
 */
function dataSpan(table: LeadTable, period: 'month' | 'quarter'): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of table.rows) {
    for (const d of [r.created, r.deal]) {
      if (Number.isNaN(d)) continue;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
  }
  if (!Number.isFinite(lo)) return 0;
  const months = (hi - lo) / 30.4 + 1;
  return Math.min(602, Math.ceil(period === 'quarter' ? months / 3 : months) + 4);
}

export const cycleTime = defineSheet({
  key: 'cycle-time',
  names: NAMES,
  build: ({ settings, spill, table }) =>
    cycleTimeSheet(settings, Math.max(spill, dataSpan(table, settings.period))),
});
