/** Funnel by period (輪切り): the live KPI_FUNNEL table, and the plan per period beside it. */

import { isoToDay, serialOfDay } from '../dates';
import { FUNNEL_COL, FUNNEL_HEADER } from '../funnel';
import { totalLabel } from '../i18n';
import {
  type Actuals,
  assumedTest,
  measuredOf,
  PLAN_CELL,
  PLAN_INPUT,
  PLAN_INPUTS,
  planDefaults,
  plansFromActual,
} from '../plan';
import type { KpiSettings } from '../settings';
import { a1, colLetters, Grid, type SheetModel } from '../sheetModel';
import { writeFunnel, writeLists } from './formulas';
import { writePeriodGap } from './revenueGap';
import { defineSheet } from './sheet';
import { COLORS, FMT, funnelFormats, moneyOf } from './style';
import { T } from './treeText';

const NAMES = { ja: 'ファネル（輪切り）', en: 'Funnel by period' };

/** Not the Total row, whichever language the sheet shows it in. */
const NOT_TOTAL = `$A5<>"${totalLabel('en')}", $A5<>"${totalLabel('ja')}"`;

/** Funnel by period: the live KPI_FUNNEL table, and the plan per period beside it. */
export function funnelSheet(settings: KpiSettings, actuals: Actuals, spill = 40): SheetModel {
  const g = new Grid(FUNNEL_HEADER.length + 5);
  const t = T[settings.lang];
  const money = moneyOf(settings);
  g.set(1, 1, NAMES[settings.lang], { bold: true });
  g.set(2, 1, t.from);
  g.set(2, 2, serialOfDay(isoToDay(settings.from)), { number: FMT.date, background: COLORS.input });
  g.set(2, 3, t.to);
  g.set(2, 4, serialOfDay(isoToDay(settings.to)), { number: FMT.date, background: COLORS.input });
  // Each period's revenue gap split by KPI (columns S…), then the lists the formula reads.
  const gapCol = FUNNEL_HEADER.length + 5;
  const Q = (r: number) => `$${colLetters(FUNNEL_HEADER.length + 3)}$${r}`;
  const planRow = { avg: 6, win: 7, deal: 8, mql: 9, share: 10, sal: 17 } as const;
  const sal = measuredOf(settings).sal;
  const periodGap = writePeriodGap(
    g,
    gapCol,
    spill,
    settings,
    (m, r) => a1(r, FUNNEL_COL[m]),
    Q(5),
    (k) => Q(planRow[k]),
    money,
    plansFromActual(settings, actuals),
    // The tree's plan inputs and the assumptions beside them (the tree's B and C columns).
    assumedTest(settings, actuals, (cell) => `⟦kpi-tree⟧!$${cell[0]}$${cell.slice(1)}`),
  );
  const lists = writeLists(g, 1, gapCol + periodGap.width + 1, settings);
  writeFunnel(g, 4, 1, settings, { from: '$B$2', to: '$D$2', slot: 'window' }, lists);
  g.formatArea(5, 1, spill, funnelFormats(money, sal));
  // The plan per period, read from the KPI tree's one plan block (columns P–Q, clear of the
  // KPI_FUNNEL table's 14 columns A–N, and O with a SAL column, so that its spill is never blocked).
  const P = FUNNEL_HEADER.length + 2;
  g.set(4, P, t.planPer, { bold: true, background: COLORS.header });
  g.set(3, P, t.editOnTree);
  const fromTree = (cell: string) => ({ f: `=⟦kpi-tree⟧!$${cell[0]}$${cell.slice(1)}` });
  const rows: [string, string, string][] = [
    [t.targetPer, PLAN_INPUT.target, money],
    [t.avgDeal, PLAN_INPUT.avg, money],
    [t.winRate, PLAN_INPUT.win, FMT.pct],
    [t.dealRate, PLAN_INPUT.deal, FMT.pct],
    [t.mqlRate, PLAN_INPUT.mql, FMT.pct],
    [t.targetShare, PLAN_INPUT.share, FMT.pct],
    ['', '', ''],
    [t.won, PLAN_CELL.won, FMT.int],
    [t.deals, PLAN_CELL.deals, FMT.int],
    [t.mql, PLAN_CELL.mql, FMT.int],
    [t.targetLeads, PLAN_CELL.targetLeads, FMT.int],
    [t.leads, PLAN_CELL.leads, FMT.int],
    // Where a status means SAL, the tree's SAL rate (B13), beside the other plan inputs.
    ...(sal ? ([[t.salRate, PLAN_INPUT.sal, FMT.pct]] as [string, string, string][]) : []),
  ];
  // A built-in assumption (no data, nothing typed) is orange here too, as on the tree.
  const plan = planDefaults(settings, actuals);
  const assumed = new Set<string>(PLAN_INPUTS.filter((x) => plan[x.id].assumed).map((x) => x.cell));
  rows.forEach(([label, cell, number], i) => {
    if (!cell) return;
    g.set(5 + i, P, label);
    g.set(5 + i, P + 1, fromTree(cell), {
      number,
      background: assumed.has(cell) ? COLORS.assumed : undefined,
    });
  });
  const O = colLetters(P + 1);
  // Actual vs plan per period: green when a period meets the plan, red when it falls short.
  const vsPlan = (col: string, planCell: string): NonNullable<SheetModel['conditional']> => [
    {
      ranges: [`${col}5:${col}700`],
      kind: 'formula',
      values: [],
      formula: `=AND(ISNUMBER(${col}5), ${NOT_TOTAL}, ${col}5>=${planCell})`,
      background: '#b7e1cd',
    },
    {
      ranges: [`${col}5:${col}700`],
      kind: 'formula',
      values: [],
      formula: `=AND(ISNUMBER(${col}5), ${NOT_TOTAL}, ${col}5<${planCell})`,
      background: '#f4c7c3',
    },
  ];
  // Default widths (100 px) up to the plan's labels (P) and the per-period split (S…).
  const columnWidths = new Array(gapCol - 1).fill(100);
  columnWidths[P - 1] = 230;
  columnWidths.push(...periodGap.columnWidths);
  return g.model('funnel', NAMES[settings.lang], {
    columnWidths,
    conditional: [
      ...vsPlan('H', `$${O}$5`),
      ...vsPlan('G', `$${O}$12`),
      ...vsPlan('F', `$${O}$13`),
      ...vsPlan('E', `$${O}$14`),
      ...vsPlan('B', `$${O}$16`),
      { ranges: ['I5:K700'], kind: 'scale', values: [0, 0.3, 0.6] },
      ...periodGap.conditional,
    ],
  });
}

export const funnel = defineSheet({
  key: 'funnel',
  bigquery: true,
  names: NAMES,
  build: ({ settings, actuals, spill }) => funnelSheet(settings, actuals, spill),
});
