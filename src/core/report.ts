/**
 * The generated KPI sheets as SheetModels. Each sheet is self-contained: its formulas refer only
 * to the user's lead tab (which persists) and to cells of the same sheet, never to another
 * generated sheet, so a rebuild can swap sheets without leaving #REF! behind.
 *
 * KPI tree: revenue (KGI) = won × average deal size; won = deals × win rate; deals = MQL × deal
 * rate; MQL = target leads × MQL rate; target leads = leads × target share; and unique companies.
 * Plan inputs are editable cells; plan nodes are formulas over them; actual nodes are formulas
 * over a live KPI_FUNNEL of the lead tab on the same sheet.
 */

import { daysFromCivil, type ZoneClock } from './dates';
import type { Lang } from './errors';
import { FUNNEL_COL, FUNNEL_HEADER, funnelByPeriod, parseStatusMap, TOTAL_LABEL } from './funnel';
import type { LeadMapping, LeadTable } from './leads';
import { prospectAccuracy } from './prospect';
import { a1, type CellInput, colLetters, Grid, type SheetModel, sheetRef } from './sheetModel';

export type Division = 'Marketing' | 'IS' | 'FS' | 'KGI';

export interface KpiSettings {
  leadSheet: string;
  /** The lead tab's header row (1-based; default 1): data starts below it. */
  headerRow?: number;
  mapping: LeadMapping;
  period: 'month' | 'quarter';
  /** Reporting window, ISO dates (google.script.run carries no Dates). */
  from: string;
  to: string;
  /** Revenue target per period. */
  revenueTarget: number;
  /** Average deal size for the plan; undefined = the actual one. */
  avgDealSize?: number;
  /** Values of the target column that are not targets (partners, competitors …); empty = yes/no. */
  targetExclude: string[];
  /** Heads and monthly capacity per head per stage (blank = not bound). */
  capacity: { stage: string; heads: number | ''; perHead: number | '' }[];
  /** Days within which a prospect of each rank should become a deal. */
  rankHorizons: Record<string, number>;
  lang: Lang;
  /** Why the definitions changed, as typed in the sidebar. */
  why?: string;
  /** Status value → funnel stage (lead, mql, sal, sql, won, lost, nurture, ignore). */
  statusMap?: Record<string, string>;
  /** The team's names for Lead, MQL, SAL, SQL, Won. */
  stageNames?: string[];
}

export type SheetKey =
  | 'kpi-tree'
  | 'funnel'
  | 'cohort'
  | 'activity'
  | 'capacity'
  | 'prospect'
  | 'definitions'
  | 'history';

export const SHEET_NAMES: Record<Lang, Record<SheetKey, string>> = {
  ja: {
    'kpi-tree': 'KPIツリー',
    funnel: 'ファネル（輪切り）',
    cohort: 'コホート（追っかけ）',
    activity: '活動量',
    capacity: 'キャパシティ',
    prospect: '見込み精度',
    definitions: '定義ログ',
    history: 'KPI履歴',
  },
  en: {
    'kpi-tree': 'KPI tree',
    funnel: 'Funnel by period',
    cohort: 'Cohort',
    activity: 'Activity area',
    capacity: 'Capacity',
    prospect: 'Prospect accuracy',
    definitions: 'Definitions log',
    history: 'KPI history',
  },
};

const T = {
  ja: {
    title: 'KPIツリー — 売上（KGI）につながる各部門の数字',
    inputs: '計画の入力（編集できます）',
    from: '期間 開始',
    to: '期間 終了',
    periods: '期間数',
    targetPer: '売上目標（期間あたり）',
    avgDeal: '平均受注単価',
    winRate: '受注率',
    dealRate: '商談化率（MQL→商談）',
    mqlRate: 'MQL率（ターゲット→MQL）',
    targetShare: 'ターゲット率（リード→ターゲット）',
    plan: '計画',
    actual: '実績',
    achievement: '達成率',
    revenue: '売上（KGI）',
    won: '受注数',
    deals: '商談数',
    mql: 'MQL',
    targetLeads: 'ターゲットリード',
    leads: 'リード',
    companies: 'ユニーク社数',
    data: 'データ（リードタブから自動計算）',
    division: { Marketing: 'マーケ', IS: 'IS', FS: 'FS', KGI: '全社' },
  },
  en: {
    title: 'KPI tree — every division’s number, connected to revenue (KGI)',
    inputs: 'Plan inputs (editable)',
    from: 'Window start',
    to: 'Window end',
    periods: 'Periods',
    targetPer: 'Revenue target per period',
    avgDeal: 'Average deal size',
    winRate: 'Win rate',
    dealRate: 'Deal rate (MQL → deal)',
    mqlRate: 'MQL rate (target → MQL)',
    targetShare: 'Target share (lead → target)',
    plan: 'Plan',
    actual: 'Actual',
    achievement: 'Achievement',
    revenue: 'Revenue (KGI)',
    won: 'Won deals',
    deals: 'Deals',
    mql: 'MQL',
    targetLeads: 'Target leads',
    leads: 'Leads',
    companies: 'Unique companies',
    data: 'Data (computed from the lead tab)',
    division: { Marketing: 'Marketing', IS: 'IS', FS: 'FS', KGI: 'Company' },
  },
};

const COLORS = {
  Marketing: '#e8f0fe',
  IS: '#fef7e0',
  FS: '#e6f4ea',
  KGI: '#f3e8fd',
  input: '#fff8c5',
  header: '#eeeeee',
};
const FMT = { yen: '#,##0', int: '#,##0', pct: '0.0%', date: 'yyyy-mm-dd' };

/** Column ranges of the lead tab, open-ended like a user would write them. */
export function leadColumns(settings: KpiSettings): Partial<Record<keyof LeadMapping, string>> {
  const out: Partial<Record<keyof LeadMapping, string>> = {};
  const q = sheetRef(settings.leadSheet);
  for (const [field, col] of Object.entries(settings.mapping)) {
    if (col === undefined) continue;
    const letter = colLetters(col + 1);
    out[field as keyof LeadMapping] = `${q}!${letter}${(settings.headerRow ?? 1) + 1}:${letter}`;
  }
  return out;
}

const isoToDay = (iso: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return daysFromCivil(+m[1], +m[2], +m[3]);
};

/** Sheets serial of a local day (the value a date cell holds). */
const serialOfDay = (day: number): number => day + 25_569;

/** "MQL=mql; 商談化=sql" from the sidebar's status mapping, as a formula string literal. */
function statusMapText(settings: KpiSettings): string {
  const entries = Object.entries(settings.statusMap ?? {}).filter(([k]) => !/[=;\n]/.test(k));
  return entries.map(([k, v]) => `${k}=${v}`).join('; ');
}

const literal = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The KPI_FUNNEL formula over the lead tab for a window held in two cells of the same sheet. */
function funnelFormula(settings: KpiSettings, fromCell: string, toCell: string): string {
  const c = leadColumns(settings);
  const arg = (x: string | undefined) => x ?? '';
  const exclude =
    settings.targetExclude.length > 0 ? literal(settings.targetExclude.join(',')) : '';
  const map = statusMapText(settings);
  const status = c.status && map ? `, ${c.status}, ${literal(map)}` : '';
  return `=KPI_FUNNEL(${arg(c.created)}, ${arg(c.mqlDate)}, ${arg(c.dealDate)}, ${arg(c.wonDate)}, ${arg(c.amount)}, ${arg(c.company ?? c.email)}, ${arg(c.target)}, "${settings.period}", ${fromCell}, ${toCell}, ${exclude}${status})`;
}

export interface Actuals {
  leads: number;
  targetLeads: number;
  companies: number;
  mql: number;
  deals: number;
  won: number;
  revenue: number;
}

/** The window's actual totals, computed by the same core function the sheet formula calls. */
export function windowActuals(
  values: readonly (readonly unknown[])[],
  settings: KpiSettings,
  clock: ZoneClock,
): Actuals {
  const col = (f: keyof LeadMapping) => {
    const i = settings.mapping[f];
    return i === undefined ? undefined : values.slice(settings.headerRow ?? 1).map((r) => r[i]);
  };
  const created = col('created');
  if (!created) throw new Error('no created-date column');
  const table = funnelByPeriod({
    created,
    mql: col('mqlDate'),
    deal: col('dealDate'),
    won: col('wonDate'),
    amounts: col('amount'),
    companies: col('company') ?? col('email'),
    targets: col('target'),
    exclude: settings.targetExclude,
    period: settings.period,
    clock,
    from: settings.from,
    to: settings.to,
    statuses: col('status'),
    statusStages:
      settings.statusMap && col('status') ? parseStatusMap(statusMapText(settings)) : undefined,
  });
  const total = table[table.length - 1] as number[];
  return {
    leads: total[FUNNEL_COL.leads - 1],
    targetLeads: total[FUNNEL_COL.targetLeads - 1],
    companies: total[FUNNEL_COL.companies - 1],
    mql: total[FUNNEL_COL.mql - 1],
    deals: total[FUNNEL_COL.deals - 1],
    won: total[FUNNEL_COL.won - 1],
    revenue: total[FUNNEL_COL.revenue - 1],
  };
}

const ratio = (a: number, b: number, fallback: number) => (b > 0 && a > 0 ? a / b : fallback);

/** KPI tree sheet. */
export function kpiTreeSheet(settings: KpiSettings, actuals: Actuals): SheetModel {
  const t = T[settings.lang];
  const g = new Grid(24);
  g.set(1, 1, t.title, { bold: true });
  // Plan inputs: A4:B12. Defaults are the actual rates of the window, so the plan starts honest.
  const from = isoToDay(settings.from);
  const to = isoToDay(settings.to);
  const inputs: [string, CellInput, string][] = [
    [t.from, serialOfDay(from), FMT.date],
    [t.to, serialOfDay(to), FMT.date],
    [
      t.periods,
      {
        f:
          settings.period === 'month'
            ? '=(YEAR(B5)-YEAR(B4))*12+MONTH(B5)-MONTH(B4)+1'
            : '=ROUNDUP(((YEAR(B5)-YEAR(B4))*12+MONTH(B5)-MONTH(B4)+1)/3,0)',
      },
      FMT.int,
    ],
    [t.targetPer, settings.revenueTarget, FMT.yen],
    [
      t.avgDeal,
      settings.avgDealSize ?? Math.round(ratio(actuals.revenue, actuals.won, 1_000_000)),
      FMT.yen,
    ],
    [t.winRate, ratio(actuals.won, actuals.deals, 0.25), FMT.pct],
    [t.dealRate, ratio(actuals.deals, actuals.mql, 0.3), FMT.pct],
    [t.mqlRate, ratio(actuals.mql, actuals.targetLeads, 0.3), FMT.pct],
    [t.targetShare, ratio(actuals.targetLeads, actuals.leads, 0.5), FMT.pct],
  ];
  g.set(3, 1, t.inputs, { bold: true, background: COLORS.header });
  inputs.forEach(([label, value, fmt], i) => {
    g.set(4 + i, 1, label);
    g.set(4 + i, 2, value, { number: fmt, background: i === 2 ? undefined : COLORS.input });
  });
  const P = {
    from: 'B4',
    to: 'B5',
    periods: 'B6',
    target: 'B7',
    avg: 'B8',
    win: 'B9',
    deal: 'B10',
    mql: 'B11',
    share: 'B12',
  };

  // Live data: KPI_FUNNEL of the window, on this sheet (columns N…Y); the tree reads its Total row.
  const dataCol = 14;
  g.set(3, dataCol, t.data, { bold: true, background: COLORS.header });
  g.set(4, dataCol, { f: funnelFormula(settings, P.from, P.to) });
  const dataEnd = colLetters(dataCol + FUNNEL_HEADER.length - 1);
  const total = (measure: keyof typeof FUNNEL_COL) =>
    `INDEX($${colLetters(dataCol)}$5:$${dataEnd}$700, MATCH("${TOTAL_LABEL}", $${colLetters(dataCol)}$5:$${colLetters(dataCol)}$700, 0), ${FUNNEL_COL[measure]})`;

  // The tree: one box per node (label · division / plan / actual / achievement), level by level.
  type Node = { label: string; div: Division; plan: string; actual: string; fmt: string };
  const node = (row: number, col: number, n: Node) => {
    g.set(row, col, `${n.label}`, { bold: true, background: COLORS[n.div] });
    g.set(row, col + 1, t.division[n.div], { background: COLORS[n.div] });
    g.set(row + 1, col, t.plan, { background: COLORS[n.div] });
    g.set(row + 1, col + 1, { f: `=${n.plan}` }, { number: n.fmt, background: COLORS[n.div] });
    g.set(row + 2, col, t.actual, { background: COLORS[n.div] });
    g.set(row + 2, col + 1, { f: `=${n.actual}` }, { number: n.fmt, background: COLORS[n.div] });
    g.set(row + 3, col, t.achievement, { background: COLORS[n.div] });
    g.set(
      row + 3,
      col + 1,
      {
        f: `=IF(N(${a1(row + 1, col + 1)})>0, N(${a1(row + 2, col + 1)})/${a1(row + 1, col + 1)}, "")`,
      },
      {
        number: FMT.pct,
        background: COLORS[n.div],
      },
    );
    return a1(row + 1, col + 1); // the plan cell, for the level below
  };
  const L = 4; // first tree column (D)
  const R = L + 3; // right-hand node column (G)
  const level = (i: number) => 3 + i * 5;
  const perUnit = (a: keyof typeof FUNNEL_COL, b: keyof typeof FUNNEL_COL) =>
    `IFERROR(${total(a)}/${total(b)},"")`;
  // The chain from revenue down to leads: each node's plan is the one above divided by the
  // factor beside it (won × average deal size = revenue, deals × win rate = won, …).
  const chain: { node: Omit<Node, 'plan'>; plan: (above: string) => string; factor?: Node }[] = [
    {
      node: { label: t.revenue, div: 'KGI', actual: total('revenue'), fmt: FMT.yen },
      plan: () => `${P.target}*${P.periods}`,
    },
    {
      node: { label: t.won, div: 'FS', actual: total('won'), fmt: FMT.int },
      plan: (above) => `ROUNDUP(${above}/${P.avg},0)`,
      factor: {
        label: t.avgDeal,
        div: 'FS',
        plan: P.avg,
        actual: perUnit('revenue', 'won'),
        fmt: FMT.yen,
      },
    },
    {
      node: { label: t.deals, div: 'IS', actual: total('deals'), fmt: FMT.int },
      plan: (above) => `ROUNDUP(${above}/${P.win},0)`,
      factor: {
        label: t.winRate,
        div: 'FS',
        plan: P.win,
        actual: perUnit('won', 'deals'),
        fmt: FMT.pct,
      },
    },
    {
      node: { label: t.mql, div: 'Marketing', actual: total('mql'), fmt: FMT.int },
      plan: (above) => `ROUNDUP(${above}/${P.deal},0)`,
      factor: {
        label: t.dealRate,
        div: 'IS',
        plan: P.deal,
        actual: perUnit('deals', 'mql'),
        fmt: FMT.pct,
      },
    },
    {
      node: { label: t.targetLeads, div: 'Marketing', actual: total('targetLeads'), fmt: FMT.int },
      plan: (above) => `ROUNDUP(${above}/${P.mql},0)`,
      factor: {
        label: t.mqlRate,
        div: 'Marketing',
        plan: P.mql,
        actual: perUnit('mql', 'targetLeads'),
        fmt: FMT.pct,
      },
    },
    {
      node: { label: t.leads, div: 'Marketing', actual: total('leads'), fmt: FMT.int },
      plan: (above) => `ROUNDUP(${above}/${P.share},0)`,
      factor: {
        label: t.targetShare,
        div: 'Marketing',
        plan: P.share,
        actual: perUnit('targetLeads', 'leads'),
        fmt: FMT.pct,
      },
    },
  ];
  let above = '';
  chain.forEach((step, i) => {
    above = node(level(i), L, { ...step.node, plan: step.plan(above) });
    if (step.factor) node(level(i), R, step.factor);
  });
  node(level(5), R + 3, {
    label: t.companies,
    div: 'Marketing',
    plan: '""',
    actual: total('companies'),
    fmt: FMT.int,
  });
  // Connectors: "=" beside each parent, "×" between the two factors, "│" down the chain.
  for (let i = 0; i < 5; i++) {
    g.set(level(i) + 4, L, '│');
    g.set(level(i + 1) + 1, L + 2, '×');
  }
  g.set(level(0) + 1, L + 2, '=');

  const achievements = [0, 1, 2, 3, 4, 5].flatMap((i) => [
    a1(level(i) + 3, L + 1),
    a1(level(i) + 3, R + 1),
  ]);
  return g.model('kpi-tree', SHEET_NAMES[settings.lang]['kpi-tree'], {
    conditional: [
      { ranges: achievements, kind: 'atLeast', values: [1], background: '#b7e1cd' },
      { ranges: achievements, kind: 'between', values: [0.8, 0.99999], background: '#fce8b2' },
      { ranges: achievements, kind: 'below', values: [0.8], background: '#f4c7c3' },
    ],
  });
}

/** Funnel by period: the live KPI_FUNNEL table, and the plan per period beside it. */
export function funnelSheet(settings: KpiSettings, actuals: Actuals): SheetModel {
  const g = new Grid(16);
  const t = T[settings.lang];
  g.set(1, 1, SHEET_NAMES[settings.lang].funnel, { bold: true });
  g.set(2, 1, t.from);
  g.set(2, 2, serialOfDay(isoToDay(settings.from)), { number: FMT.date, background: COLORS.input });
  g.set(2, 3, t.to);
  g.set(2, 4, serialOfDay(isoToDay(settings.to)), { number: FMT.date, background: COLORS.input });
  g.set(4, 1, { f: funnelFormula(settings, '$B$2', '$D$2') });
  // Plan per period (editable inputs, then the reverse funnel as formulas): columns N–O.
  const P = 14;
  g.set(4, P, `${t.plan} / ${settings.lang === 'ja' ? '期間あたり' : 'period'}`, {
    bold: true,
    background: COLORS.header,
  });
  const inputs: [string, number, string][] = [
    [t.targetPer, settings.revenueTarget, FMT.yen],
    [
      t.avgDeal,
      settings.avgDealSize ?? Math.round(ratio(actuals.revenue, actuals.won, 1_000_000)),
      FMT.yen,
    ],
    [t.winRate, ratio(actuals.won, actuals.deals, 0.25), FMT.pct],
    [t.dealRate, ratio(actuals.deals, actuals.mql, 0.3), FMT.pct],
    [t.mqlRate, ratio(actuals.mql, actuals.targetLeads, 0.3), FMT.pct],
    [t.targetShare, ratio(actuals.targetLeads, actuals.leads, 0.5), FMT.pct],
  ];
  inputs.forEach(([label, v, fmt], i) => {
    g.set(5 + i, P, label);
    g.set(5 + i, P + 1, v, { number: fmt, background: COLORS.input });
  });
  const O = colLetters(P + 1);
  const plan: [string, string][] = [
    [t.won, `=ROUNDUP(${O}5/${O}6,0)`],
    [t.deals, `=ROUNDUP(${O}12/${O}7,0)`],
    [t.mql, `=ROUNDUP(${O}13/${O}8,0)`],
    [t.targetLeads, `=ROUNDUP(${O}14/${O}9,0)`],
    [t.leads, `=ROUNDUP(${O}15/${O}10,0)`],
  ];
  plan.forEach(([label, f], i) => {
    g.set(12 + i, P, label);
    g.set(12 + i, P + 1, { f }, { number: FMT.int });
  });
  // Actual vs plan per period: green when a period meets the plan, red when it falls short.
  const vsPlan = (col: string, planCell: string): NonNullable<SheetModel['conditional']> => [
    {
      ranges: [`${col}5:${col}700`],
      kind: 'formula',
      values: [],
      formula: `=AND(ISNUMBER(${col}5), $A5<>"${TOTAL_LABEL}", ${col}5>=${planCell})`,
      background: '#b7e1cd',
    },
    {
      ranges: [`${col}5:${col}700`],
      kind: 'formula',
      values: [],
      formula: `=AND(ISNUMBER(${col}5), $A5<>"${TOTAL_LABEL}", ${col}5<${planCell})`,
      background: '#f4c7c3',
    },
  ];
  return g.model('funnel', SHEET_NAMES[settings.lang].funnel, {
    conditional: [
      ...vsPlan('H', `$${O}$5`),
      ...vsPlan('G', `$${O}$12`),
      ...vsPlan('F', `$${O}$13`),
      ...vsPlan('E', `$${O}$14`),
      ...vsPlan('B', `$${O}$16`),
      { ranges: ['I5:K700'], kind: 'scale', values: [0, 0.3, 0.6] },
    ],
  });
}

/** Cohort (追っかけ): COHORT_CONVERSION of leads to deals, coloured, with a chart. */
export function cohortSheet(settings: KpiSettings): SheetModel {
  const c = leadColumns(settings);
  const g = new Grid(4);
  g.set(1, 1, SHEET_NAMES[settings.lang].cohort, { bold: true });
  g.set(2, 1, {
    f: `=COHORT_CONVERSION(${c.created}, ${c.dealDate ?? c.wonDate ?? c.mqlDate}, "chase", "${settings.period}")`,
  });
  return g.model('cohort', SHEET_NAMES[settings.lang].cohort, {
    conditional: [{ ranges: ['E3:AZ700'], kind: 'scale', values: [0, 0.1, 0.3] }],
    charts: [
      {
        kind: 'line',
        // Cohort labels and their +0 … +K cumulative rates: one line per cohort.
        ranges: ['A2:A40', 'E2:AZ40'],
        transpose: true,
        title:
          settings.lang === 'ja' ? '累積商談化率（コホート別）' : 'Cumulative conversion by cohort',
        row: 2,
        col: 30,
      },
    ],
  });
}

/** Activity area per owner, when the lead tab has owners. */
export function activitySheet(settings: KpiSettings): SheetModel | undefined {
  const c = leadColumns(settings);
  const company = c.company ?? c.email;
  if (!company || !c.owner) return undefined;
  const g = new Grid(6);
  g.set(1, 1, SHEET_NAMES[settings.lang].activity, { bold: true });
  g.set(2, 1, { f: `=ACTIVITY_AREA(${company}, ${c.activities ?? ''}, ${c.owner})` });
  return g.model('activity', SHEET_NAMES[settings.lang].activity, {
    frozenRows: 2,
    conditional: [
      { ranges: ['E3:E200'], kind: 'below', values: [0.5], background: '#f4c7c3' },
      { ranges: ['E3:E200'], kind: 'atLeast', values: [0.5], background: '#b7e1cd' },
    ],
  });
}

/** Capacity: CAPACITY over the plan, self-contained (its own copy of the plan figures). */
export function capacitySheet(settings: KpiSettings, actuals: Actuals): SheetModel {
  const ja = settings.lang === 'ja';
  const g = new Grid(5);
  g.set(1, 1, SHEET_NAMES[settings.lang].capacity, { bold: true });
  const rates = [
    ratio(actuals.targetLeads, actuals.leads, 0.5) * ratio(actuals.mql, actuals.targetLeads, 0.3),
    ratio(actuals.deals, actuals.mql, 0.3),
    ratio(actuals.won, actuals.deals, 0.25),
    '',
  ];
  const stages = ja ? ['リード', 'MQL', '商談', '受注'] : ['Lead', 'MQL', 'Deal', 'Won'];
  g.block(
    3,
    1,
    [ja ? ['ステージ', '転換率', '人数', '1人あたり'] : ['stage', 'rate', 'heads', 'per head']],
    { bold: true, background: COLORS.header },
  );
  stages.forEach((s, i) => {
    const cap = settings.capacity.find(
      (x) => x.stage === s || x.stage === ['lead', 'mql', 'deal', 'won'][i],
    );
    g.set(4 + i, 1, s);
    g.set(4 + i, 2, rates[i], { number: FMT.pct, background: i < 3 ? COLORS.input : undefined });
    g.set(4 + i, 3, cap?.heads ?? '', { background: COLORS.input });
    g.set(4 + i, 4, cap?.perHead ?? '', { background: COLORS.input });
  });
  g.set(9, 1, ja ? '売上目標（期間あたり）' : 'Revenue target per period');
  g.set(9, 2, settings.revenueTarget, { number: FMT.yen, background: COLORS.input });
  g.set(10, 1, ja ? '平均受注単価' : 'Average deal size');
  g.set(10, 2, settings.avgDealSize ?? Math.round(ratio(actuals.revenue, actuals.won, 1_000_000)), {
    number: FMT.yen,
    background: COLORS.input,
  });
  g.set(12, 1, { f: '=CAPACITY(A4:A7, B4:B7, C4:C7, D4:D7, B9, B10)' });
  return g.model('capacity', SHEET_NAMES[settings.lang].capacity, {
    conditional: [{ ranges: ['D13:D16'], kind: 'atLeast', values: [1], background: '#f4c7c3' }],
  });
}

/** Prospect accuracy (values at build time), when rank columns exist. */
export function prospectSheet(settings: KpiSettings, table: LeadTable): SheetModel | undefined {
  if (settings.mapping.rank === undefined || settings.mapping.rankDate === undefined)
    return undefined;
  const g = new Grid(9);
  g.set(1, 1, SHEET_NAMES[settings.lang].prospect, { bold: true });
  const rows = prospectAccuracy(table.rows, settings.rankHorizons);
  g.block(3, 1, rows.slice(0, 1), { bold: true, background: COLORS.header });
  g.block(4, 1, rows.slice(1));
  for (let r = 4; r < 4 + rows.length - 1; r++) {
    g.set(r, 5, g.values[r - 1][4], { number: FMT.pct });
    g.set(r, 6, g.values[r - 1][5], { number: FMT.pct });
  }
  return g.model('prospect', SHEET_NAMES[settings.lang].prospect, { frozenRows: 3 });
}

/** One definitions-log row: when, the definitions in force, and why they changed. */
export function definitionsRow(
  settings: KpiSettings,
  nowIso: string,
  previous: string | undefined,
): CellInput[] {
  const definition = JSON.stringify({
    leadSheet: settings.leadSheet,
    mapping: settings.mapping,
    period: settings.period,
    window: [settings.from, settings.to],
    revenueTarget: settings.revenueTarget,
    avgDealSize: settings.avgDealSize ?? 'actual',
    targetExclude: settings.targetExclude,
    capacity: settings.capacity,
    rankHorizons: settings.rankHorizons,
    statusMap: settings.statusMap ?? {},
    stageNames: settings.stageNames ?? [],
  });
  const changed = previous !== undefined && previous !== definition;
  return [
    nowIso,
    definition,
    changed ? 'changed' : previous === undefined ? 'first build' : 'unchanged',
    changed ? (settings.why ?? '') : '',
  ];
}

export const DEFINITIONS_HEADER = {
  ja: ['日時', '定義', '変更', '理由'],
  en: ['when', 'definitions', 'change', 'why'],
};

/** All replaceable sheets of a build. */
export function buildModels(
  settings: KpiSettings,
  table: LeadTable,
  values: readonly (readonly unknown[])[],
  clock: ZoneClock,
): SheetModel[] {
  const actuals = windowActuals(values, settings, clock);
  const models = [
    kpiTreeSheet(settings, actuals),
    funnelSheet(settings, actuals),
    cohortSheet(settings),
    activitySheet(settings),
    capacitySheet(settings, actuals),
    prospectSheet(settings, table),
  ];
  return models.filter((m): m is SheetModel => m !== undefined);
}
