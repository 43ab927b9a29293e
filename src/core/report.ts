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

import {
  columnDateOrder,
  type DateOrder,
  DateReader,
  isoToDay,
  periodLabel,
  periodOfDay,
  serialOfDay,
  yearMonthOfDay,
  type ZoneClock,
} from './dates';
import type { Lang } from './errors';
import type { ExtraTab } from './extraTabs';
import { FIELD_LABELS } from './fieldLabels';
import {
  type DealColumns,
  FUNNEL_COL,
  FUNNEL_HEADER,
  type FunnelInput,
  type FunnelStage,
  funnelByPeriod,
  type Measured,
  measuredBy,
  statusStagesFrom,
} from './funnel';
import { DIVISION_LABELS, type KpiGoal, type KpiId, kpiLabel } from './goals';
import type { LeadField } from './headers';
import { totalLabel } from './i18n';
import type { LeadMapping, LeadTable } from './leads';
import { minOf } from './numbers';
import { a1, type CellInput, colLetters, Grid, type SheetModel, sheetRef } from './sheetModel';
import { cacSheet, hasCosts, windowCacFormula } from './sheets/cac';
import { cycleSources, cycleTimeSheet, windowMeanDays } from './sheets/cycleTime';
import { listCoverageSheet } from './sheets/listCoverage';
import { quadrantsSheet } from './sheets/quadrants';
import { retentionSheet } from './sheets/retention';
import {
  effectColours,
  effectLabel,
  signed,
  writeGapTables,
  writePeriodGap,
} from './sheets/revenueGap';
import { writeHistory, writeSmartTable } from './sheets/smart';
import type { RowKind } from './stages';

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
  /** Revenue target per period; undefined = the window's actual revenue per period (no gap). */
  revenueTarget?: number;
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
  /** What one row of the lead tab is: a lead (default), an MQL (an MQL list), a deal (an opportunity export). */
  rowsAre?: RowKind;
  /** An optional second tab with one row per deal. */
  deals?: DealsSettings;
  /** The spreadsheet's locale (set by the build): money is formatted in its currency. */
  locale?: string;
  /** Optional customers tab (start, end, company): the retention sheet. */
  customers?: ExtraTab;
  /** Optional BDR target-account list (company): the list-coverage sheet. */
  targetList?: ExtraTab;
  /** Optional activity log (company, owner, count) the list coverage counts; else the lead tab. */
  activityLog?: ExtraTab;
  /** Optional costs tab (period, marketing, is, fs): the CAC sheet. */
  costTab?: ExtraTab;
  /** Costs per period typed in the sidebar (used where the costs tab has no column for them). */
  costs?: CostSettings;
  /** Per KPI (node id): its critical success factor, owner, target and deadline (the SMART check). */
  kpis?: Partial<Record<string, KpiGoal>>;
  /** Achievable: a target above the best of the last 12 periods by more than this fails (0.1 = 10 %). */
  stretchMargin?: number;
}

/** Costs per period: marketing spend, and IS / FS as heads × cost per head. */
export interface CostSettings {
  marketing: number | '';
  isHeads: number | '';
  isPerHead: number | '';
  fsHeads: number | '';
  fsPerHead: number | '';
}

export interface DealsSettings {
  sheet: string;
  /** 1-based header row of the deals tab. */
  headerRow: number;
  /** Columns of the deals tab: created (the deal's date), status, closeDate, wonDate, lostDate, amount, owner, company, id. */
  mapping: LeadMapping;
  /** How a deal finds its lead, for the cohort: by a lead ID column in both tabs, or by company. */
  joinBy: 'id' | 'company' | 'none';
  /** Lead-tab and deals-tab columns holding the join key. */
  leadKey?: number;
  dealKey?: number;
}

export type SheetKey =
  | 'kpi-tree'
  | 'funnel'
  | 'cohort'
  | 'activity'
  | 'capacity'
  | 'prospect'
  | 'cycle-time'
  | 'cac'
  | 'retention'
  | 'quadrants'
  | 'list-coverage'
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
    'cycle-time': 'サイクルタイム',
    cac: '顧客獲得コスト（CAC）',
    retention: '顧客継続率',
    quadrants: '商談の4象限',
    'list-coverage': 'リストカバー率',
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
    'cycle-time': 'Cycle time',
    cac: 'CAC',
    retention: 'Retention',
    quadrants: 'Deal quadrants',
    'list-coverage': 'List coverage',
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
    avgDeal: kpiLabel('ja', 'avgDeal'),
    winRate: kpiLabel('ja', 'winRate'),
    dealRate: kpiLabel('ja', 'dealRate'),
    mqlRate: kpiLabel('ja', 'mqlRate'),
    targetShare: kpiLabel('ja', 'targetShare'),
    plan: '計画',
    actual: '実績',
    achievement: '達成率',
    revenue: kpiLabel('ja', 'revenue'),
    won: kpiLabel('ja', 'won'),
    deals: kpiLabel('ja', 'deals'),
    mql: kpiLabel('ja', 'mql'),
    targetLeads: kpiLabel('ja', 'targetLeads'),
    leads: kpiLabel('ja', 'leads'),
    companies: kpiLabel('ja', 'companies'),
    data: 'データ（リードタブから自動計算）',
    division: DIVISION_LABELS.ja,
    noData: 'データなし',
    calculating: '計算中…',
    incomplete: '⚠ 再作成が完了していません — もう一度「作成」を実行してください',
    assumed: '仮定（データなし）',
    closedWinRate: kpiLabel('ja', 'closedWinRate'),
    checks: 'データの確認',
    planPer: '計画（期間あたり）',
    editOnTree: '計画はKPIツリーで編集します（ここはその値を表示）',
    cac: kpiLabel('ja', 'cac'),
    leadToDeal: kpiLabel('ja', 'leadToDeal'),
    dealToWon: kpiLabel('ja', 'dealToWon'),
    offPath: '売上の経路外',
    fromActual: '＝期間の実績',
  },
  en: {
    title: 'KPI tree — every division’s number, connected to revenue (KGI)',
    inputs: 'Plan inputs (editable)',
    from: 'Window start',
    to: 'Window end',
    periods: 'Periods',
    targetPer: 'Revenue target per period',
    avgDeal: kpiLabel('en', 'avgDeal'),
    winRate: kpiLabel('en', 'winRate'),
    dealRate: kpiLabel('en', 'dealRate'),
    mqlRate: kpiLabel('en', 'mqlRate'),
    targetShare: kpiLabel('en', 'targetShare'),
    plan: 'Plan',
    actual: 'Actual',
    achievement: 'Achievement',
    revenue: kpiLabel('en', 'revenue'),
    won: kpiLabel('en', 'won'),
    deals: kpiLabel('en', 'deals'),
    mql: kpiLabel('en', 'mql'),
    targetLeads: kpiLabel('en', 'targetLeads'),
    leads: kpiLabel('en', 'leads'),
    companies: kpiLabel('en', 'companies'),
    data: 'Data (computed from the lead tab)',
    division: DIVISION_LABELS.en,
    noData: 'no data',
    calculating: 'Calculating…',
    incomplete: '⚠ Rebuild incomplete — run Build again',
    assumed: 'assumption (no data)',
    closedWinRate: kpiLabel('en', 'closedWinRate'),
    checks: 'Data checks',
    planPer: 'Plan per period',
    editOnTree: 'The plan is edited on the KPI tree (shown here)',
    cac: kpiLabel('en', 'cac'),
    leadToDeal: kpiLabel('en', 'leadToDeal'),
    dealToWon: kpiLabel('en', 'dealToWon'),
    offPath: 'off the revenue path',
    fromActual: '= window actual',
  },
};

/** "no data" in a language: what a cell shows for a number the data cannot support. */
/**
 * How far down formulas read a spilled table (`$N$5:$Y$700`, `⟦cac⟧!$B$6:$B$700`): a sheet they
 * read is at least this tall, so no reference passes its grid (Sheets never grows one).
 */
export const REFERENCED_ROWS = 700;

/** Our sheets' usual names per role (both languages): heal adopts what a pre-registry build left. */
export const ADOPT_NAMES: Record<string, string[]> = Object.fromEntries(
  Object.keys(SHEET_NAMES.en).map((k) => [
    k,
    [
      SHEET_NAMES.en[k as keyof typeof SHEET_NAMES.en],
      SHEET_NAMES.ja[k as keyof typeof SHEET_NAMES.ja],
    ],
  ]),
);

export const noDataText = (lang: Lang): string => T[lang].noData;
/** What a node shows while a custom function it reads is still loading (Sheets' "Loading…"). */
export const calculatingText = (lang: Lang): string => T[lang].calculating;

/**
 * The first day (a date value) of the period a function's label names — "2025-04" for a month,
 * "2025-Q2" for a quarter — or "" for any other cell (a header, the Total row, a blank).
 */
export function periodStartOf(cell: string, period: 'month' | 'quarter'): string {
  const month = period === 'month' ? `MID(${cell},6,2)` : `(RIGHT(${cell},1)-1)*3+1`;
  const shape = period === 'month' ? `MID(${cell},5,1)="-"` : `MID(${cell},5,2)="-Q"`;
  return `IF(AND(LEN(${cell})=7, ${shape}), DATE(LEFT(${cell},4), ${month}, 1), "")`;
}

export const COLORS = {
  Marketing: '#e8f0fe',
  IS: '#fef7e0',
  FS: '#e6f4ea',
  KGI: '#f3e8fd',
  input: '#fff8c5',
  assumed: '#fcd9b6',
  header: '#eeeeee',
};
export const FMT = { yen: '#,##0', int: '#,##0', pct: '0.0%', date: 'yyyy-mm-dd', days: '#,##0.0' };
/** Days with their unit, for a value standing alone (a tree node, a target): 44.8日 / 44.8 days. */
export const daysWithUnit = (lang: 'ja' | 'en') =>
  lang === 'ja' ? '#,##0.0"日"' : '#,##0.0" days"';

/** Money as the spreadsheet's locale writes it: ¥ for ja_JP, $ for en_US, € for the euro area … */
export function moneyFormat(locale: string | undefined): string {
  const tag = String(locale ?? '').replace('-', '_');
  const symbol: Record<string, string> = {
    ja_JP: '"¥"#,##0',
    ja: '"¥"#,##0',
    en_US: '"$"#,##0',
    en: '"$"#,##0',
    en_GB: '"£"#,##0',
    en_CA: '"$"#,##0',
    en_AU: '"$"#,##0',
    pt_BR: '"R$"#,##0',
    zh_CN: '"¥"#,##0',
    ko_KR: '"₩"#,##0',
    en_IN: '"₹"#,##0',
  };
  if (symbol[tag]) return symbol[tag];
  if (/^(de|fr|es|it|nl|pt|fi|el|et|lv|lt|sk|sl|ga|mt)_/.test(tag)) return '#,##0 "€"';
  return FMT.yen;
}

/** Formats of the funnel table's columns (KPI_FUNNEL's output), period column as text. */
function funnelFormats(money: string): (string | null)[] {
  return [
    null,
    FMT.int,
    FMT.int,
    FMT.int,
    FMT.int,
    FMT.int,
    FMT.int,
    money,
    FMT.pct,
    FMT.pct,
    FMT.pct,
    money,
    FMT.int,
    FMT.pct,
  ];
}

/** Rows a spilled table may take: the periods from the first lead to the window's end, and room. */
export function spillRows(settings: KpiSettings, firstDay: number | undefined): number {
  const to = isoToDay(settings.to);
  const from = Math.min(firstDay ?? isoToDay(settings.from), isoToDay(settings.from));
  const months = (to - from) / 30.4;
  const periods = settings.period === 'quarter' ? months / 3 : months;
  return Math.min(602, Math.ceil(periods) + 4);
}

/** Open-ended column ranges of a tab's mapped fields (from the row below its header). */
function tabColumns(
  sheet: string,
  headerRow: number,
  mapping: LeadMapping,
): Partial<Record<keyof LeadMapping, string>> {
  const out: Partial<Record<keyof LeadMapping, string>> = {};
  const q = sheetRef(sheet);
  for (const [field, col] of Object.entries(mapping)) {
    if (col === undefined) continue;
    out[field as keyof LeadMapping] = colRange(q, headerRow, col);
  }
  return out;
}

export const colRange = (quotedSheet: string, headerRow: number, col: number) => {
  const letter = colLetters(col + 1);
  return `${quotedSheet}!${letter}${headerRow + 1}:${letter}`;
};

/** Column ranges of the lead tab, open-ended like a user would write them. */
export function leadColumns(settings: KpiSettings): Partial<Record<keyof LeadMapping, string>> {
  return tabColumns(settings.leadSheet, settings.headerRow ?? 1, settings.mapping);
}

/** Column ranges of the deals tab (none without one). */
export function dealColumns(settings: KpiSettings): Partial<Record<keyof LeadMapping, string>> {
  const d = settings.deals;
  return d ? tabColumns(d.sheet, d.headerRow, d.mapping) : {};
}

/** The sidebar's status meanings as a lookup table; undefined when there are none. */
function statusStages(settings: KpiSettings): Record<string, FunnelStage> | undefined {
  const pairs = Object.entries(settings.statusMap ?? {});
  return pairs.length > 0 ? statusStagesFrom(pairs) : undefined;
}

/** Ranges (on the same sheet) of the lists the formulas read; '' where a list is empty. */
interface Lists {
  exclude: string;
  statusMap: string;
}

const LISTS_TEXT = {
  ja: {
    title: '数式が参照する定義',
    exclude: 'ターゲット外の値',
    status: 'ステータス',
    stage: '意味',
  },
  en: {
    title: 'Definitions the formulas read',
    exclude: 'Not-target values',
    status: 'Status',
    stage: 'Means',
  },
};

/**
 * Writes the target exclusions and status meanings as cells at `col` (rows 2…), so that any text —
 * commas, quotes, 、，, a 60k-character value — reaches the formulas exactly; a string literal
 * inside a formula could not promise that. Each range takes one blank row more than it needs, so
 * that a one-value list still arrives as a range, never as a lone value.
 */
function writeLists(g: Grid, row: number, col: number, settings: KpiSettings): Lists {
  const t = LISTS_TEXT[settings.lang];
  const head = { bold: true }; // bold only: no extra format call on a sheet that has no colours
  g.set(row, col, t.title, head);
  g.set(row + 1, col, t.exclude, head);
  g.set(row + 1, col + 1, t.status, head);
  g.set(row + 1, col + 2, t.stage, head);
  const first = row + 2;
  settings.targetExclude.forEach((v, i) => {
    g.set(first + i, col, v);
  });
  const statuses = Object.entries(settings.statusMap ?? {});
  statuses.forEach(([value, stage], i) => {
    g.set(first + i, col + 1, value);
    g.set(first + i, col + 2, stage);
  });
  const range = (c0: number, c1: number, n: number) =>
    `$${colLetters(c0)}$${first}:$${colLetters(c1)}$${first + n}`;
  return {
    exclude:
      settings.targetExclude.length > 0 ? range(col, col, settings.targetExclude.length) : '',
    statusMap: statuses.length > 0 ? range(col + 1, col + 2, statuses.length) : '',
  };
}

/** A formula call with its trailing omitted arguments dropped. */
export function call(name: string, args: string[]): string {
  let n = args.length;
  while (n > 1 && args[n - 1] === '') n--;
  return `=${name}(${args.slice(0, n).join(', ')})`;
}

/** The KPI_FUNNEL formula over the lead (and deals) tab for a window held in two cells of the same sheet. */
function funnelFormula(
  settings: KpiSettings,
  fromCell: string,
  toCell: string,
  lists: Lists,
): string {
  const c = leadColumns(settings);
  const d = dealColumns(settings);
  const arg = (x: string | undefined) => x ?? '';
  const exclude = lists.exclude;
  const map = lists.statusMap;
  const hasStatus = (c.status || d.status) && map;
  return call('KPI_FUNNEL', [
    arg(c.created),
    arg(c.mqlDate),
    arg(c.dealDate),
    arg(c.wonDate),
    arg(c.amount),
    arg(c.company ?? c.email),
    arg(c.target),
    `"${settings.period}"`,
    fromCell,
    toCell,
    exclude,
    hasStatus ? arg(c.status) : '',
    hasStatus ? map : '',
    arg(c.closeDate),
    arg(c.lostDate),
    settings.rowsAre && settings.rowsAre !== 'lead' ? `"${settings.rowsAre}"` : '',
    arg(d.created),
    hasStatus ? arg(d.status) : '',
    arg(d.closeDate),
    arg(d.wonDate),
    arg(d.lostDate),
    arg(d.amount),
  ]);
}

/** Reads text dates of each column in the order the column shows, else the locale's. */
export function readerForColumns(clock: ZoneClock, localeOrder: DateOrder) {
  return (values: readonly unknown[]) =>
    // Given the clock, a column's Date cells are judged against its text: a half-parsed column
    // (misread Date cells beside text that shows the other order) is read back to its true dates.
    new DateReader(clock, columnDateOrder(values, localeOrder, clock));
}

/** The funnel input of a build (the same columns the sheet formula gets). */
export function funnelInput(
  values: readonly (readonly unknown[])[],
  settings: KpiSettings,
  clock: ZoneClock,
  localeOrder: DateOrder,
  dealValues?: readonly (readonly unknown[])[],
): FunnelInput {
  const pick = (
    rows: readonly (readonly unknown[])[] | undefined,
    headerRow: number,
    mapping: LeadMapping,
  ) => {
    const body = rows ? rows.slice(headerRow) : [];
    return (f: keyof LeadMapping) => {
      const i = mapping[f];
      return i === undefined || !rows ? undefined : body.map((r) => r[i]);
    };
  };
  const col = pick(values, settings.headerRow ?? 1, settings.mapping);
  const created = col('created');
  if (!created) throw new Error('no created-date column');
  const d = settings.deals;
  const dcol = d ? pick(dealValues, d.headerRow, d.mapping) : undefined;
  const stages = statusStages(settings);
  const deals: DealColumns | undefined = dcol
    ? {
        created: dcol('created'),
        statuses: stages ? dcol('status') : undefined,
        close: dcol('closeDate'),
        won: dcol('wonDate'),
        lost: dcol('lostDate'),
        amounts: dcol('amount'),
      }
    : undefined;
  return {
    created,
    mql: col('mqlDate'),
    deal: col('dealDate'),
    won: col('wonDate'),
    close: col('closeDate'),
    lost: col('lostDate'),
    amounts: col('amount'),
    companies: col('company') ?? col('email'),
    targets: col('target'),
    exclude: settings.targetExclude,
    period: settings.period,
    clock,
    from: settings.from,
    to: settings.to,
    statuses: stages ? col('status') : undefined,
    statusStages: stages,
    rows: settings.rowsAre ?? 'lead',
    deals: deals && Object.values(deals).some((x) => x !== undefined) ? deals : undefined,
    readerFor: readerForColumns(clock, localeOrder),
  };
}

/** The window's totals; null where the data cannot measure it ("no data"). */
export interface Actuals {
  leads: number | null;
  targetLeads: number | null;
  companies: number | null;
  mql: number | null;
  deals: number | null;
  won: number | null;
  revenue: number | null;
  lost: number | null;
}

/** The window's actual totals, computed by the same core function the sheet formula calls. */
export function windowActuals(
  values: readonly (readonly unknown[])[],
  settings: KpiSettings,
  clock: ZoneClock,
  localeOrder: DateOrder = 'mdy',
  dealValues?: readonly (readonly unknown[])[],
): Actuals {
  const table = funnelByPeriod(funnelInput(values, settings, clock, localeOrder, dealValues));
  const total = table[table.length - 1];
  const at = (col: number) => {
    const v = total[col - 1];
    return typeof v === 'number' ? v : null;
  };
  return {
    leads: at(FUNNEL_COL.leads),
    targetLeads: at(FUNNEL_COL.targetLeads),
    companies: at(FUNNEL_COL.companies),
    mql: at(FUNNEL_COL.mql),
    deals: at(FUNNEL_COL.deals),
    won: at(FUNNEL_COL.won),
    revenue: at(FUNNEL_COL.revenue),
    lost: at(FUNNEL_COL.lost),
  };
}

/** Which measures the build's columns support (the tree's "no data" nodes are the others). */
export function measuredOf(settings: KpiSettings): Measured {
  const has = (m: LeadMapping | undefined, f: keyof LeadMapping) =>
    m?.[f] !== undefined ? [] : undefined;
  const stages = statusStages(settings);
  const map = stages !== undefined;
  const lm = settings.mapping;
  const dm = settings.deals?.mapping;
  const m = measuredBy({
    created: [],
    mql: has(lm, 'mqlDate'),
    deal: has(lm, 'dealDate'),
    won: has(lm, 'wonDate'),
    close: has(lm, 'closeDate'),
    lost: has(lm, 'lostDate'),
    amounts: has(lm, 'amount'),
    companies: has(lm, 'company') ?? has(lm, 'email'),
    statuses: map ? has(lm, 'status') : undefined,
    statusStages: stages,
    rows: settings.rowsAre ?? 'lead',
    deals: dm
      ? {
          created: has(dm, 'created'),
          statuses: map ? has(dm, 'status') : undefined,
          close: has(dm, 'closeDate'),
          won: has(dm, 'wonDate'),
          lost: has(dm, 'lostDate'),
          amounts: has(dm, 'amount'),
        }
      : undefined,
  });
  const deal = m.deal;
  return {
    leads: m.lead.leads,
    companies: m.lead.companies,
    mql: m.lead.mql,
    deals: deal?.deals || m.lead.deals,
    won: deal?.won || m.lead.won,
    lost: deal?.lost || m.lead.lost,
    revenue: deal?.won ? deal.revenue : m.lead.revenue,
  };
}

const NOTES = {
  ja: {
    leadsRows: (k: string, deal: boolean) =>
      `リード・ターゲットリード${deal ? '・MQL' : ''}: データなし（このタブの1行は${k}です）`,
    kind: { mql: 'MQL', deal: '商談' } as Record<string, string>,
    mql: 'MQL: データなし（MQL日の列も、MQLを意味するステータスもありません）',
    deals: 'ステージ「商談」: データなし（商談の日付列も、商談を意味するステータスもありません）',
    dealsButWon: '。受注は計測されています',
    won: '受注: データなし（受注日の列も、受注を意味するステータスもありません）',
    revenue: '売上: データなし（金額の列がありません）',
    lost: '失注: データなし（失注日・完了日の列がありません。決着ベースの受注率に必要です）',
    contradiction: (a: string, x: number, b: string, y: number) =>
      `⚠ ${a}（${x}）が${b}（${y}）を上回っています。列の対応と期間を確認してください`,
    noChurn: (tab: string) =>
      `顧客継続率: 顧客タブ「${tab}」に開始日と解約日（終了日）の列が必要です。シートは作成していません`,
    noListCompany: (tab: string) =>
      `リストカバー率: ターゲットリスト「${tab}」に会社名の列が必要です。シートは作成していません`,
  },
  en: {
    leadsRows: (k: string, deal: boolean) =>
      `Leads, target leads${deal ? ', MQL' : ''}: no data (each row of this tab is ${k})`,
    kind: { mql: 'an MQL', deal: 'a deal' } as Record<string, string>,
    mql: 'MQL: no data (no MQL date column and no status that means MQL)',
    deals: 'Deals: no data (no deal date column and no status that means a deal)',
    dealsButWon: '; won is measured',
    won: 'Won: no data (no won date column and no status that means won)',
    revenue: 'Revenue: no data (no amount column)',
    lost: 'Lost: no data — no lost date or close date column (the win rate of closed deals needs one)',
    contradiction: (a: string, x: number, b: string, y: number) =>
      `⚠ ${a} (${x}) exceed ${b} (${y}): check the column mapping and the window`,
    noChurn: (tab: string) =>
      `Retention: the customers tab “${tab}” needs a start date and an end (churn) date column; the sheet was not built`,
    noListCompany: (tab: string) =>
      `List coverage: the target list “${tab}” needs a company column; the sheet was not built`,
  },
};

/**
 * What the tree cannot show and why (from the mapping), and — given the window's actuals — the
 * contradictions among measured stages, in the build's language.
 */
export function trustNotes(settings: KpiSettings, actuals: Actuals | undefined): string[] {
  const n = NOTES[settings.lang];
  const t = T[settings.lang];
  const m = measuredOf(settings);
  const out: string[] = [];
  if (!m.leads) {
    out.push(n.leadsRows(n.kind[settings.rowsAre ?? 'lead'] ?? '', settings.rowsAre === 'deal'));
  }
  if (!m.mql && settings.rowsAre !== 'deal') out.push(n.mql);
  if (!m.deals) out.push(n.deals + (m.won ? n.dealsButWon : ''));
  if (!m.won) out.push(n.won);
  if (m.won && !m.revenue) out.push(n.revenue);
  if (m.won && !m.lost) out.push(n.lost);
  const c = settings.customers;
  if (c && (c.columns.start === undefined || c.columns.end === undefined))
    out.push(n.noChurn(c.sheet));
  const l = settings.targetList;
  if (l && l.columns.company === undefined) out.push(n.noListCompany(l.sheet));
  if (actuals) {
    const pairs: [number | null, string, number | null, string][] = [
      [actuals.won, t.won, actuals.deals, t.deals],
      [actuals.deals, t.deals, actuals.mql, t.mql],
      [actuals.mql, t.mql, actuals.targetLeads, t.targetLeads],
    ];
    for (const [x, a, y, b] of pairs) {
      if (x !== null && y !== null && x > y) out.push(n.contradiction(a, x, b, y));
    }
  }
  return out;
}

/** Node IDs of the KPI tree by their label in a language, and the box's row labels. */
export function treeVocabulary(lang: Lang) {
  const t = T[lang];
  const ids: Record<string, string> = {
    [t.revenue]: 'revenue',
    [t.won]: 'won',
    [t.avgDeal]: 'avgDeal',
    [t.deals]: 'deals',
    [t.winRate]: 'winRate',
    [t.mql]: 'mql',
    [t.dealRate]: 'dealRate',
    [t.targetLeads]: 'targetLeads',
    [t.mqlRate]: 'mqlRate',
    [t.leads]: 'leads',
    [t.targetShare]: 'targetShare',
    [t.companies]: 'companies',
    [t.closedWinRate]: 'closedWinRate',
    [t.cac]: 'cac',
    [t.leadToDeal]: 'leadToDeal',
    [t.dealToWon]: 'dealToWon',
  };
  return {
    ids,
    plan: t.plan,
    actual: t.actual,
    achievement: t.achievement,
    noData: t.noData,
    divisions: Object.values(t.division),
    /** The labels of a box's last row (its effect on revenue), whichever kind of node. */
    effects: (Object.values(ids) as KpiId[]).map((id) => effectLabel(lang, id)),
  };
}

/** A plan input: its value, and whether it is a built-in assumption (not typed, not measured). */
export interface PlanValue {
  value: number;
  assumed: boolean;
  /** Not typed: the window's actual (the plan then explains none of the gap). */
  actual?: boolean;
}

const ratio = (a: number | null, b: number | null, fallback: number): PlanValue =>
  a !== null && b !== null && b > 0 && a > 0
    ? { value: a / b, assumed: false, actual: true }
    : { value: fallback, assumed: true };

/**
 * The plan inputs every sheet starts from: typed by the user, else the window's actual rates,
 * else a built-in assumption (marked as such on the sheets and in the sidebar).
 */
export function planDefaults(settings: KpiSettings, actuals: Actuals) {
  const avg = ratio(actuals.revenue, actuals.won, 1_000_000);
  // A target typed for a rate in the plan step is that rate's plan.
  const typed = (id: KpiId): PlanValue | undefined => {
    const v = settings.kpis?.[id]?.target;
    return typeof v === 'number' && v > 0 ? { value: v, assumed: false } : undefined;
  };
  const from = yearMonthOfDay(isoToDay(settings.from));
  const to = yearMonthOfDay(isoToDay(settings.to));
  const months = (to.y - from.y) * 12 + to.m - from.m + 1;
  // The number of periods as the tree's B6 counts them.
  const periods = settings.period === 'month' ? months : Math.ceil(months / 3);
  return {
    revenue:
      settings.revenueTarget !== undefined
        ? { value: settings.revenueTarget, assumed: false }
        : (typed('revenue') ?? ratio(actuals.revenue, periods, 30_000_000)),
    avgDeal:
      settings.avgDealSize !== undefined
        ? { value: settings.avgDealSize, assumed: false }
        : (typed('avgDeal') ?? avg),
    winRate: typed('winRate') ?? ratio(actuals.won, actuals.deals, 0.25),
    dealRate: typed('dealRate') ?? ratio(actuals.deals, actuals.mql, 0.3),
    mqlRate: typed('mqlRate') ?? ratio(actuals.mql, actuals.targetLeads, 0.3),
    targetShare: typed('targetShare') ?? ratio(actuals.targetLeads, actuals.leads, 0.5),
  };
}

/**
 * The plans nobody typed that are the window's actual: a rate's or the deal size's effect is then 0;
 * revenue's (the target) leaves the window no gap.
 */
export function plansFromActual(settings: KpiSettings, actuals: Actuals): KpiId[] {
  const plan = planDefaults(settings, actuals);
  return PLAN_INPUTS.filter((x) => plan[x.id].actual).map((x) => x.id);
}

/** The KPI tree's plan inputs (one block the funnel and capacity sheets read). */
export const PLAN_INPUT = {
  from: 'B4',
  to: 'B5',
  periods: 'B6',
  target: 'B7',
  avg: 'B8',
  win: 'B9',
  deal: 'B10',
  mql: 'B11',
  share: 'B12',
} as const;
/** The plan inputs B7:B12 in order: the value planDefaults gives, the cell, the label, money or %. */
const PLAN_INPUTS = [
  { id: 'revenue', cell: PLAN_INPUT.target, label: 'targetPer', money: true },
  { id: 'avgDeal', cell: PLAN_INPUT.avg, label: 'avgDeal', money: true },
  { id: 'winRate', cell: PLAN_INPUT.win, label: 'winRate', money: false },
  { id: 'dealRate', cell: PLAN_INPUT.deal, label: 'dealRate', money: false },
  { id: 'mqlRate', cell: PLAN_INPUT.mql, label: 'mqlRate', money: false },
  { id: 'targetShare', cell: PLAN_INPUT.share, label: 'targetShare', money: false },
] as const;
/** Row of the "plan per period" block on the KPI tree, and its cells. */
const PLAN_ROW = 15;
export const PLAN_CELL = {
  won: `B${PLAN_ROW + 1}`,
  deals: `B${PLAN_ROW + 2}`,
  mql: `B${PLAN_ROW + 3}`,
  targetLeads: `B${PLAN_ROW + 4}`,
  leads: `B${PLAN_ROW + 5}`,
} as const;

/** The plan inputs that hold a built-in assumption, by their label in the build's language. */
export function assumedInputs(settings: KpiSettings, actuals: Actuals): string[] {
  const t = T[settings.lang];
  const p = planDefaults(settings, actuals);
  return PLAN_INPUTS.filter((x) => p[x.id].assumed).map((x) => t[x.label]);
}

/** KPI tree sheet. */
export function kpiTreeSheet(
  settings: KpiSettings,
  actuals: Actuals,
  spill = 40,
  firstDay?: number,
): SheetModel {
  const t = T[settings.lang];
  const money = moneyFormat(settings.locale);
  const g = new Grid(28);
  g.set(1, 1, t.title, { bold: true });
  // Cleared (text and colour) by the writer with the run's last call (SheetModel.incomplete).
  g.set(2, 1, t.incomplete, { bold: true, background: COLORS.assumed });
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
  ];
  const plan = planDefaults(settings, actuals);
  const planInputs: [string, PlanValue, string][] = PLAN_INPUTS.map((x) => [
    t[x.label],
    plan[x.id],
    x.money ? money : FMT.pct,
  ]);
  g.set(3, 1, t.inputs, { bold: true, background: COLORS.header });
  inputs.forEach(([label, value, fmt], i) => {
    g.set(4 + i, 1, label);
    g.set(4 + i, 2, value, { number: fmt, background: i === 2 ? undefined : COLORS.input });
  });
  planInputs.forEach(([label, p, number], i) => {
    const row = 4 + inputs.length + i;
    g.set(row, 1, label);
    g.set(row, 2, p.value, { number, background: p.assumed ? COLORS.assumed : COLORS.input });
    if (p.assumed) g.set(row, 3, t.assumed, { background: COLORS.assumed });
    else if (p.actual) g.set(row, 3, t.fromActual);
  });
  const P = PLAN_INPUT;

  // Live data: KPI_FUNNEL of the window, on this sheet (columns N…Y); the tree reads its Total row.
  const dataCol = 14;
  g.set(3, dataCol, t.data, { bold: true, background: COLORS.header });
  // The lists the formula reads, right of the data block (N…AA).
  const lists = writeLists(g, 1, dataCol + FUNNEL_HEADER.length + 2, settings);
  g.set(4, dataCol, { f: funnelFormula(settings, P.from, P.to, lists) });
  g.formatArea(5, dataCol, spill, funnelFormats(money));
  const dataEnd = colLetters(dataCol + FUNNEL_HEADER.length - 1);
  const total = (measure: keyof typeof FUNNEL_COL) =>
    // The Total row is the table's last (its label follows the sheet's language).
    `INDEX($${colLetters(dataCol)}$5:$${dataEnd}$700, COUNTA($${colLetters(dataCol)}$5:$${colLetters(dataCol)}$700), ${FUNNEL_COL[measure]})`;

  // The tree: one box per node (label · division / plan / actual / achievement), level by level.
  type Node = {
    label: string;
    div: Division;
    plan: string;
    actual: string;
    fmt: string;
  };
  // Filled in once the gap table below the tree is written (it knows each node's effect).
  const effectCells: [number, number, KpiId][] = [];
  // Rates whose plan nobody typed (= the window's actual): their plan cell is marked as assumed.
  const untypedPlan: Partial<Record<KpiId, boolean>> = {
    avgDeal: plan.avgDeal.actual,
    winRate: plan.winRate.actual,
    dealRate: plan.dealRate.actual,
    mqlRate: plan.mqlRate.actual,
    targetShare: plan.targetShare.actual,
  };
  const node = (row: number, col: number, n: Node) => {
    const id = treeVocabulary(settings.lang).ids[n.label] as KpiId;
    g.set(row, col, `${n.label}`, { bold: true, background: COLORS[n.div] });
    g.set(row, col + 1, t.division[n.div], { background: COLORS[n.div] });
    g.set(row + 1, col, t.plan, { background: COLORS[n.div] });
    g.set(
      row + 1,
      col + 1,
      { f: `=${n.plan}` },
      { number: n.fmt, background: untypedPlan[id] ? COLORS.assumed : COLORS[n.div] },
    );
    g.set(row + 2, col, t.actual, { background: COLORS[n.div] });
    // A measure the data cannot support reads "no data", never a confident 0; one whose custom
    // function is still loading reads "calculating" (Sheets shows a loading cell as #N/A to the
    // formulas that read it: local/engine.ts LOADING_TEXT), and a failed one shows its error
    // (with its message). Every node reads the window's KPI_FUNNEL (CAC through won).
    const x = n.actual;
    const anchor = `$${colLetters(dataCol)}$4`;
    const state =
      x === '""'
        ? `"${t.noData}"`
        : `IF(ISNA(${anchor}), "${t.calculating}", IF(ISERROR(${anchor}), ${anchor}, IF(ISNA(${x}), "${t.calculating}", IF(ISERROR(${x}), ${x}, IF(ISNUMBER(${x}), ${x}, "${t.noData}")))))`;
    g.set(row + 2, col + 1, { f: `=${state}` }, { number: n.fmt, background: COLORS[n.div] });
    g.set(row + 3, col, t.achievement, { background: COLORS[n.div] });
    const planCell = a1(row + 1, col + 1);
    const actualCell = a1(row + 2, col + 1);
    g.set(
      row + 3,
      col + 1,
      {
        f: `=IF(AND(ISNUMBER(${planCell}), ISNUMBER(${actualCell})), IF(${planCell}>0, ${actualCell}/${planCell}, ""), "")`,
      },
      {
        number: FMT.pct,
        background: COLORS[n.div],
      },
    );
    // The node's effect on revenue (the gap table's split): written after the table.
    g.set(row + 4, col, effectLabel(settings.lang, id), { background: COLORS[n.div] });
    effectCells.push([row + 4, col + 1, id]);
    return a1(row + 1, col + 1); // the plan cell, for the level below
  };
  const L = 4; // first tree column (D)
  const R = L + 3; // right-hand node column (G)
  const level = (i: number) => 3 + i * 6;
  const perUnit = (a: keyof typeof FUNNEL_COL, b: keyof typeof FUNNEL_COL) =>
    `IF(AND(ISNUMBER(${total(a)}), ISNUMBER(${total(b)})), IF(${total(b)}>0, ${total(a)}/${total(b)}, ""), "")`;
  // The chain from revenue down to leads: each node's plan is the one above divided by the
  // factor beside it (won × average deal size = revenue, deals × win rate = won, …), not rounded
  // (the display rounds): the window's plan, the same numbers the revenue-gap split uses. The
  // plan per period (A15:B20) rounds each stage up: what a period needs in whole deals.
  const chain: { node: Omit<Node, 'plan'>; plan?: () => string; factor?: Node }[] = [
    {
      node: { label: t.revenue, div: 'KGI', actual: total('revenue'), fmt: money },
      plan: () => `${P.target}*${P.periods}`,
    },
    {
      node: { label: t.won, div: 'FS', actual: total('won'), fmt: FMT.int },
      factor: {
        label: t.avgDeal,
        div: 'FS',
        plan: P.avg,
        actual: total('avgDeal'),
        fmt: money,
      },
    },
    {
      node: { label: t.deals, div: 'IS', actual: total('deals'), fmt: FMT.int },
      factor: {
        label: t.winRate,
        div: 'FS',
        plan: P.win,
        actual: total('winRate'),
        fmt: FMT.pct,
      },
    },
    {
      node: { label: t.mql, div: 'Marketing', actual: total('mql'), fmt: FMT.int },
      factor: {
        label: t.dealRate,
        div: 'IS',
        plan: P.deal,
        actual: total('dealRate'),
        fmt: FMT.pct,
      },
    },
    {
      node: { label: t.targetLeads, div: 'Marketing', actual: total('targetLeads'), fmt: FMT.int },
      factor: {
        label: t.mqlRate,
        div: 'Marketing',
        plan: P.mql,
        actual: total('mqlRate'),
        fmt: FMT.pct,
      },
    },
    {
      node: { label: t.leads, div: 'Marketing', actual: total('leads'), fmt: FMT.int },
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
    const plan = step.plan ? step.plan() : `${above}/${step.factor?.plan}`;
    above = node(level(i), L, { ...step.node, plan });
    if (step.factor) node(level(i), R, step.factor);
  });
  node(level(5), R + 3, {
    label: t.companies,
    div: 'Marketing',
    plan: '""',
    actual: total('companies'),
    fmt: FMT.int,
  });
  // Beside the win rate of the chain (won ÷ deals): the win rate of closed deals.
  node(level(2), R + 3, {
    label: t.closedWinRate,
    div: 'FS',
    plan: '""',
    actual: total('closedWinRate'),
    fmt: FMT.pct,
  });
  // Data checks: stages the data cannot measure (fixed by the mapping) and live contradictions.
  // The plan per period: the one reverse funnel every sheet reads (the funnel and capacity
  // sheets refer to these cells), so a month shows the same plan everywhere.
  g.set(PLAN_ROW, 1, t.planPer, { bold: true, background: COLORS.header });
  const perPeriod: [string, string, string][] = [
    [t.won, P.target, P.avg],
    [t.deals, PLAN_CELL.won, P.win],
    [t.mql, PLAN_CELL.deals, P.deal],
    [t.targetLeads, PLAN_CELL.mql, P.mql],
    [t.leads, PLAN_CELL.targetLeads, P.share],
  ];
  perPeriod.forEach(([label, above, rate], i) => {
    g.set(PLAN_ROW + 1 + i, 1, label);
    // ROUND first: 0.3 × 10 must not round up to 4 because of a binary fraction.
    g.set(
      PLAN_ROW + 1 + i,
      2,
      { f: `=ROUNDUP(ROUND(${above}/${rate}, 9), 0)` },
      { number: FMT.int },
    );
  });
  const checksRow = PLAN_ROW + 7;
  g.set(checksRow, 1, t.checks, { bold: true, background: COLORS.header });
  const cell = (label: string, col: number) => {
    const i = chain.findIndex((c) => c.node.label === label);
    return a1(level(i) + 2, col + 1);
  };
  const contradiction = (hi: string, lo: string, text: string) =>
    `IF(AND(ISNUMBER(${hi}), ISNUMBER(${lo})), IF(${hi}>${lo}, "⚠ ${text} ", ""), "")`;
  g.set(checksRow + 1, 1, {
    f: `=${[
      contradiction(cell(t.won, L), cell(t.deals, L), `${t.won} > ${t.deals}`),
      contradiction(cell(t.deals, L), cell(t.mql, L), `${t.deals} > ${t.mql}`),
      contradiction(cell(t.mql, L), cell(t.targetLeads, L), `${t.mql} > ${t.targetLeads}`),
    ].join(' & ')}`,
  });
  trustNotes(settings, undefined).forEach((note, i) => {
    g.set(checksRow + 2 + i, 1, note);
  });
  // Beside the KGI: what a customer costs; beside won and MQL: how long the FS and IS stages take
  // (the window's mean days, from the cycle-time sheet; "no data" where it is not built).
  const won = cell(t.won, L);
  node(level(0), R + 3, {
    label: t.cac,
    div: 'KGI',
    plan: '""',
    actual: hasCosts(settings) ? windowCacFormula(P.from, P.to, won) : '""',
    fmt: money,
  });
  const cycles = cycleSources(settings);
  node(level(1), R + 3, {
    label: t.dealToWon,
    div: 'FS',
    plan: '""',
    actual: cycles.dealToWon ? windowMeanDays('dealToWon', P.from, P.to) : '""',
    fmt: daysWithUnit(settings.lang),
  });
  node(level(3), R + 3, {
    label: t.leadToDeal,
    div: 'IS',
    plan: '""',
    actual: cycles.leadToDeal ? windowMeanDays('leadToDeal', P.from, P.to) : '""',
    fmt: daysWithUnit(settings.lang),
  });
  // Connectors: "=" beside each parent, "×" between the two factors, "│" down the chain.
  for (let i = 0; i < 5; i++) {
    g.set(level(i) + 5, L, '│');
    g.set(level(i + 1) + 1, L + 2, '×');
  }
  g.set(level(0) + 1, L + 2, '=');

  // Below the tree: where the revenue gap comes from (by division, with the levers), then the
  // SMART check of every KPI against its last 12 periods (a second KPI_FUNNEL, right of the lists).
  const notes = trustNotes(settings, undefined).length;
  const gapRow = Math.max(level(5) + 7, checksRow + notes + 4);
  const gap = writeGapTables(
    g,
    gapRow,
    settings,
    total,
    `${P.target}*${P.periods}`,
    money,
    plansFromActual(settings, actuals),
  );
  for (const [r, c, id] of effectCells) {
    const f = gap.nodeEffect(id);
    const bg = g.backgrounds[r - 2]?.[c - 1] ?? null;
    g.set(r, c, f === '' ? t.offPath : { f: `=${f}` }, {
      number: signed(money),
      background: bg ?? undefined,
    });
  }
  const historyCol = dataCol + FUNNEL_HEADER.length + 2 + 4;
  const history = writeHistory(
    g,
    historyCol,
    settings,
    P.to,
    firstDay === undefined
      ? undefined
      : periodLabel(periodOfDay(firstDay, settings.period), settings.period),
    FUNNEL_HEADER.length,
  );
  g.set(4, historyCol, { f: funnelFormula(settings, history.fromCell, P.to, lists) });
  g.formatArea(5, historyCol, 13, funnelFormats(money));
  const smart = writeSmartTable(
    g,
    gap.endRow + 2,
    settings,
    measurableNodes(settings),
    history,
    PLAN_CELL,
  );

  // While a KPI_FUNNEL the tables read is loading, every cell derived from it (the node boxes'
  // effects, the division summary, the levers, the SMART table) reads "calculating", and when it
  // failed, its error — never "no data", "no split" or "none (all at or above plan)".
  const main = `$${colLetters(dataCol)}$4`;
  const hist = a1(4, historyCol, true);
  const guarded = (f: string) =>
    `=IF(OR(ISNA(${main}), ISNA(${hist})), "${t.calculating}", IF(ISERROR(${main}), ${main}, IF(ISERROR(${hist}), ${hist}, ${f.replace(/^=/, '')})))`;
  const guard = (r: number, c: number) => {
    const v = g.values[r - 1]?.[c - 1];
    if (v !== null && typeof v === 'object') g.values[r - 1][c - 1] = { f: guarded(v.f) };
  };
  for (let r = gapRow; r <= g.rows; r++) for (let c = 1; c <= 13; c++) guard(r, c);
  for (const [r, c] of effectCells) guard(r, c);

  const achievements = [0, 1, 2, 3, 4, 5].flatMap((i) => [
    a1(level(i) + 3, L + 1),
    a1(level(i) + 3, R + 1),
  ]);
  return g.model('kpi-tree', SHEET_NAMES[settings.lang]['kpi-tree'], {
    incomplete: { row: 2, col: 1 },
    // Formulas read the KPI_FUNNEL table down to row 700 (REFERENCED_ROWS): the grid reaches it.
    grid: { rows: REFERENCED_ROWS, cols: 1 },
    // Each column as wide as its longest label, in either language: the plan inputs' labels (A),
    // the division summary's KPI names (B), the SMART table's CSF (C), M and A reasons (H, I), the
    // tree's middle and right node titles (G, J: "Win rate of closed deals: won ÷ (won + lost)"),
    // the SMART table's comparison with the tree's plan (L).
    // Consecutive equal widths are one setColumnWidths call.
    columnWidths: [280, 270, 220, 150, 150, 130, 240, 170, 350, 350, 150, 420],
    conditional: [
      { ranges: achievements, kind: 'atLeast', values: [1], background: '#b7e1cd' },
      { ranges: achievements, kind: 'between', values: [0.8, 0.99999], background: '#fce8b2' },
      { ranges: achievements, kind: 'below', values: [0.8], background: '#f4c7c3' },
      ...effectColours(
        effectCells.map(([r, c]) => a1(r, c)),
        a1(effectCells[0][0], effectCells[0][1]),
      ),
      ...gap.conditional,
      ...smart.conditional,
    ],
  });
}

/** Which nodes the build's columns (or status mapping, costs, cycle columns) measure. */
export function measurableNodes(settings: KpiSettings): Record<KpiId, boolean> {
  const m = measuredOf(settings);
  const cycles = cycleSources(settings);
  // Without a target column every lead counts as a target: the share is 100 % by definition.
  const targets = m.leads && settings.mapping.target !== undefined;
  return {
    revenue: m.revenue,
    won: m.won,
    avgDeal: m.revenue && m.won,
    deals: m.deals,
    winRate: m.won && m.deals,
    mql: m.mql,
    dealRate: m.mql && m.deals,
    targetLeads: targets,
    mqlRate: m.leads && m.mql,
    leads: m.leads,
    targetShare: targets,
    companies: m.companies,
    closedWinRate: m.won && m.lost,
    cac: hasCosts(settings) && m.won,
    leadToDeal: cycles.leadToDeal !== undefined,
    dealToWon: cycles.dealToWon !== undefined,
  };
}

/** Not the Total row, whichever language the sheet shows it in. */
const NOT_TOTAL = `$A5<>"${totalLabel('en')}", $A5<>"${totalLabel('ja')}"`;

/** Funnel by period: the live KPI_FUNNEL table, and the plan per period beside it. */
export function funnelSheet(settings: KpiSettings, actuals: Actuals, spill = 40): SheetModel {
  const g = new Grid(FUNNEL_HEADER.length + 5);
  const t = T[settings.lang];
  const money = moneyFormat(settings.locale);
  g.set(1, 1, SHEET_NAMES[settings.lang].funnel, { bold: true });
  g.set(2, 1, t.from);
  g.set(2, 2, serialOfDay(isoToDay(settings.from)), { number: FMT.date, background: COLORS.input });
  g.set(2, 3, t.to);
  g.set(2, 4, serialOfDay(isoToDay(settings.to)), { number: FMT.date, background: COLORS.input });
  // Each period's revenue gap split by KPI (columns S…), then the lists the formula reads.
  const gapCol = FUNNEL_HEADER.length + 5;
  const Q = (r: number) => `$${colLetters(FUNNEL_HEADER.length + 3)}$${r}`;
  const planRow = { avg: 6, win: 7, deal: 8, mql: 9, share: 10 } as const;
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
  );
  const lists = writeLists(g, 1, gapCol + periodGap.width + 1, settings);
  g.set(4, 1, { f: funnelFormula(settings, '$B$2', '$D$2', lists) });
  g.formatArea(5, 1, spill, funnelFormats(money));
  // The plan per period, read from the KPI tree's one plan block (columns P–Q, clear of the
  // KPI_FUNNEL table's 14 columns A–N so that its spill is never blocked).
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
  return g.model('funnel', SHEET_NAMES[settings.lang].funnel, {
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

const COHORT_TEXT = {
  ja: {
    lead: 'リード',
    mql: 'MQL',
    deal: '商談',
    won: '受注',
    chartTitle: (a: string, b: string) => `累積転換率 ${a}→${b}（コホート別）`,
    none: 'このコホート表には転換日がありません: 商談化日か受注日の列、または完了日とステータスの列（受注を意味する値）を対応づけてください。商談タブを使う場合は、リードIDか会社名で結びつけてください。',
  },
  en: {
    lead: 'Lead',
    mql: 'MQL',
    deal: 'Deal',
    won: 'Won',
    chartTitle: (a: string, b: string) => `Cumulative conversion ${a} → ${b} by cohort`,
    none: 'This cohort table has no conversion date: map a deal date or won date column, or a closing date with a status column (a value meaning won). With a deals tab, join it by lead ID or company.',
  },
};

/**
 * Where the cohort's conversion date comes from: the lead tab's deal (or won) date, a closing
 * date of won rows, or the earliest joined deal of the deals tab. Undefined: there is none.
 */
export function cohortSource(
  settings: KpiSettings,
  statusRange: string,
): { formula: string; to: 'deal' | 'won' } | undefined {
  const c = leadColumns(settings);
  const d = dealColumns(settings);
  const period = `"${settings.period}"`;
  const map = statusRange;
  const stagesIn = (kind: string) =>
    map !== '' && Object.values(settings.statusMap ?? {}).includes(kind);
  const rows = settings.rowsAre ?? 'lead';
  const deals = settings.deals;
  if (
    deals &&
    deals.joinBy !== 'none' &&
    deals.leadKey !== undefined &&
    deals.dealKey !== undefined
  ) {
    const lk = colRange(sheetRef(settings.leadSheet), settings.headerRow ?? 1, deals.leadKey);
    const dk = colRange(sheetRef(deals.sheet), deals.headerRow, deals.dealKey);
    const joined = (dates: string, to: 'deal' | 'won', status = '') => ({
      formula: call('KPI_COHORT', [
        c.created as string,
        dates,
        period,
        status ? (d.status as string) : '',
        status ? map : '',
        status,
        lk,
        dk,
        `"${deals.joinBy}"`,
      ]),
      to,
    });
    if (d.created) return joined(d.created, 'deal');
    if (d.wonDate) return joined(d.wonDate, 'won');
    if (d.closeDate && d.status && stagesIn('won')) return joined(d.closeDate, 'won', '"won"');
  }
  const plain = (dates: string, to: 'deal' | 'won') => ({
    formula: `=COHORT_CONVERSION(${c.created}, ${dates}, "chase", ${period})`,
    to,
  });
  if (rows !== 'deal' && c.dealDate) return plain(c.dealDate, 'deal');
  if (c.wonDate) return plain(c.wonDate, 'won');
  if (c.closeDate && c.status && stagesIn('won')) {
    return {
      formula: call('KPI_COHORT', [
        c.created as string,
        c.closeDate,
        period,
        c.status,
        map,
        '"won"',
      ]),
      to: 'won',
    };
  }
  return undefined;
}

/** Cohort (追っかけ): conversion by lead cohort, coloured, with a chart — or why it cannot be shown. */
export function cohortSheet(settings: KpiSettings, spill = 40): SheetModel {
  const g = new Grid(4);
  const name = SHEET_NAMES[settings.lang].cohort;
  const txt = COHORT_TEXT[settings.lang];
  // The status meanings sit below the chase table's room to grow (SheetModel.grid), out of its
  // spill.
  const lists = writeLists(g, 3 + spill + 14, 1, settings);
  const source = cohortSource(settings, lists.statusMap);
  const from = txt[settings.rowsAre ?? 'lead'];
  if (!source) {
    g.set(1, 1, name, { bold: true });
    g.set(2, 1, txt.none);
    return g.model('cohort', name);
  }
  const title = `${name} — ${from} → ${txt[source.to]}`;
  g.set(1, 1, title, { bold: true });
  g.set(2, 1, { f: source.formula });
  // leads, converted (counts), rate, then +0 … +K cumulative rates: as wide as it is long.
  g.formatArea(3, 2, spill, [FMT.int, FMT.int, FMT.pct, ...new Array(spill).fill(FMT.pct)]);
  return g.model('cohort', name, {
    // Room for the chase table to grow as leads arrive between builds (a year of periods).
    grid: { rows: 3 + spill + 12, cols: 4 + spill + 12 },
    // The colour scale and the chart cover the spill area (sized to it; see SheetModel.grid).
    conditional: [
      { ranges: [`E3:${colLetters(4 + spill)}${2 + spill}`], kind: 'scale', values: [0, 0.1, 0.3] },
    ],
    charts: [
      {
        kind: 'line',
        // Cohort labels and their +0 … +K cumulative rates: one line per cohort.
        ranges: [
          `A2:A${Math.min(40, 2 + spill)}`,
          `E2:${colLetters(4 + spill)}${Math.min(40, 2 + spill)}`,
        ],
        transpose: true,
        title: txt.chartTitle(from, txt[source.to]),
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
  g.formatArea(3, 2, 198, [FMT.int, FMT.int, FMT.int, FMT.pct]);
  return g.model('activity', SHEET_NAMES[settings.lang].activity, {
    frozenRows: 2,
    conditional: [
      { ranges: ['E3:E200'], kind: 'below', values: [0.5], background: '#f4c7c3' },
      { ranges: ['E3:E200'], kind: 'atLeast', values: [0.5], background: '#b7e1cd' },
    ],
  });
}

/** Capacity: CAPACITY over the plan, self-contained (its own copy of the plan figures). */
export function capacitySheet(settings: KpiSettings): SheetModel {
  const ja = settings.lang === 'ja';
  const money = moneyFormat(settings.locale);
  const t = T[settings.lang];
  const g = new Grid(5);
  g.set(1, 1, SHEET_NAMES[settings.lang].capacity, { bold: true });
  g.set(2, 1, t.editOnTree);
  // The same stages and rates as the KPI tree's plan per period, read from it: the required
  // volumes CAPACITY computes are the tree's and the funnel's plan, month for month.
  const tree = (cell: string) => ({ f: `=⟦kpi-tree⟧!$${cell[0]}$${cell.slice(1)}` });
  const stages: { label: string; keys: string[]; rate?: string }[] = [
    { label: t.leads, keys: ['lead', 'リード', 'Lead'], rate: PLAN_INPUT.share },
    { label: t.targetLeads, keys: ['target', 'ターゲットリード'], rate: PLAN_INPUT.mql },
    { label: t.mql, keys: ['mql', 'MQL'], rate: PLAN_INPUT.deal },
    { label: t.deals, keys: ['deal', '商談', 'Deal'], rate: PLAN_INPUT.win },
    { label: t.won, keys: ['won', '受注', 'Won'] },
  ];
  g.block(
    3,
    1,
    [ja ? ['ステージ', '転換率', '人数', '1人あたり'] : ['Stage', 'Rate', 'Heads', 'Per head']],
    { bold: true, background: COLORS.header },
  );
  stages.forEach((stage, i) => {
    const cap = settings.capacity.find((x) => stage.keys.includes(x.stage));
    g.set(4 + i, 1, stage.label);
    g.set(4 + i, 2, stage.rate ? tree(stage.rate) : '', { number: FMT.pct });
    g.set(4 + i, 3, cap?.heads ?? '', { number: FMT.int, background: COLORS.input });
    g.set(4 + i, 4, cap?.perHead ?? '', { number: FMT.int, background: COLORS.input });
  });
  g.set(10, 1, t.targetPer);
  g.set(10, 2, tree(PLAN_INPUT.target), { number: money });
  g.set(11, 1, t.avgDeal);
  g.set(11, 2, tree(PLAN_INPUT.avg), { number: money });
  g.set(13, 1, { f: '=CAPACITY(A4:A8, B4:B8, C4:C8, D4:D8, B10, B11)' });
  g.formatArea(14, 2, 5, [FMT.int, FMT.int, FMT.pct, FMT.int]);
  return g.model('capacity', SHEET_NAMES[settings.lang].capacity, {
    columnWidths: [190], // the stage and plan labels ("Revenue target per period")
    conditional: [{ ranges: ['D14:D18'], kind: 'atLeast', values: [1], background: '#f4c7c3' }],
  });
}

const PROSPECT_TEXT = {
  ja: {
    horizons: '見込みランクの期限（日、編集できます。* = その他のランク）',
    rank: 'ランク',
    days: '日数',
    note: 'ランク判定日から期限内に商談化した割合を担当者ごとに、チーム全体の率と比べます。',
  },
  en: {
    horizons: 'Prospect-rank horizons (days, editable; * = any other rank)',
    rank: 'Rank',
    days: 'Days',
    note: 'Per rep and rank: the share that became deals within the rank’s horizon, against the team’s rate.',
  },
};

/** Prospect accuracy: live PROSPECT_ACCURACY over the lead tab, horizons as editable cells. */
export function prospectSheet(
  settings: KpiSettings,
  ranks: readonly string[],
): SheetModel | undefined {
  const c = leadColumns(settings);
  if (!c.rank || !c.rankDate || !c.owner || !c.dealDate) return undefined;
  const t = PROSPECT_TEXT[settings.lang];
  const name = SHEET_NAMES[settings.lang].prospect;
  const g = new Grid(13);
  g.set(1, 1, name, { bold: true });
  g.set(2, 1, t.note);
  // Horizons per rank (K:L), a * row for ranks not listed.
  const H = 11;
  g.set(3, H, t.horizons, { bold: true, background: COLORS.header });
  g.set(4, H, t.rank, { bold: true });
  g.set(4, H + 1, t.days, { bold: true });
  const listed = [...new Set([...ranks, ...Object.keys(settings.rankHorizons)])].filter(
    (r) => r !== '*',
  );
  const rows: [string, number][] = listed.map((r) => [r, settings.rankHorizons[r] ?? 180]);
  rows.push(['*', settings.rankHorizons['*'] ?? 180]);
  rows.forEach(([rank, days], i) => {
    g.set(5 + i, H, rank, { background: COLORS.input });
    g.set(5 + i, H + 1, days, { number: FMT.int, background: COLORS.input });
  });
  const horizons = `$K$5:$L$${5 + rows.length - 1}`;
  g.set(4, 1, {
    f: call('PROSPECT_ACCURACY', [
      c.owner,
      c.rank,
      c.rankDate,
      c.dealDate,
      c.amount ?? '',
      c.wonDate ?? '',
      horizons,
    ]),
  });
  // judged, became deals, rate, team rate, median days, amount
  g.formatArea(5, 3, 200, [
    FMT.int,
    FMT.int,
    FMT.pct,
    FMT.pct,
    FMT.days,
    moneyFormat(settings.locale),
  ]);
  return g.model('prospect', name, { frozenRows: 4 });
}

/** One definitions-log row: when, the definitions in force, and why they changed. */
/** A short fingerprint of a text (two 32-bit FNV-1a hashes): what the next build compares. */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x811c9dc5 | 1) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * One definitions-log row, and the definitions' fingerprint (kept in a property — the JSON
 * itself can pass the Properties service's 9 KB per value).
 */
const LOG_TEXT = {
  ja: {
    first: '初回作成',
    unchanged: '変更なし',
    changed: '変更あり',
    actual: '実績',
    none: '—',
    month: '月',
    quarter: '四半期',
    fields: {
      leadSheet: 'リードタブ',
      rowsAre: '1行の単位',
      period: '期間単位',
      window: '集計期間',
      revenueTarget: '売上目標/期間',
      avgDealSize: '平均受注単価',
      targetExclude: 'ターゲット外の値',
      mapping: '列の対応',
      statusMap: 'ステータスの意味',
      deals: '商談タブ',
      capacity: '人数×キャパシティ',
      rankHorizons: '見込みランクの期限（日）',
      stageNames: 'ステージ名',
    } as Record<string, string>,
    rows: { lead: 'リード', mql: 'MQL', deal: '商談' } as Record<string, string>,
  },
  en: {
    first: 'first build',
    unchanged: 'unchanged',
    changed: 'changed',
    actual: 'actual',
    none: '—',
    month: 'month',
    quarter: 'quarter',
    fields: {
      leadSheet: 'Lead tab',
      rowsAre: 'Rows are',
      period: 'Period',
      window: 'Window',
      revenueTarget: 'Revenue target per period',
      avgDealSize: 'Average deal size',
      targetExclude: 'Not-target values',
      mapping: 'Columns',
      statusMap: 'Status meanings',
      deals: 'Deals tab',
      capacity: 'Heads × capacity',
      rankHorizons: 'Prospect-rank horizons (days)',
      stageNames: 'Stage names',
    } as Record<string, string>,
    rows: { lead: 'leads', mql: 'MQLs', deal: 'deals' } as Record<string, string>,
  },
};

/** The definitions as a person reads them, field by field, in the build's language. */
export function describeDefinitions(
  s: KpiSettings,
  headers: readonly string[],
): Record<string, string> {
  const t = LOG_TEXT[s.lang];
  const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(', ') : t.none);
  const num = (x: number) => x.toLocaleString(s.lang === 'ja' ? 'ja-JP' : 'en-US');
  const columns = Object.entries(s.mapping)
    .filter(([, c]) => c !== undefined)
    .map(
      ([f, c]) =>
        `${FIELD_LABELS[s.lang][f as LeadField]}=${headers[c as number] ?? `#${(c as number) + 1}`}`,
    );
  return {
    leadSheet: s.leadSheet,
    rowsAre: t.rows[s.rowsAre ?? 'lead'],
    period: s.period === 'quarter' ? t.quarter : t.month,
    window: `${s.from} … ${s.to}`,
    revenueTarget: s.revenueTarget === undefined ? t.actual : num(s.revenueTarget),
    avgDealSize: s.avgDealSize === undefined ? t.actual : num(s.avgDealSize),
    targetExclude: list(s.targetExclude),
    mapping: list(columns),
    statusMap: list(Object.entries(s.statusMap ?? {}).map(([k, v]) => `${k}→${v}`)),
    deals: s.deals ? `${s.deals.sheet} (${s.deals.joinBy})` : t.none,
    capacity: list(
      s.capacity
        .filter((c) => c.heads !== '' || c.perHead !== '')
        .map((c) => `${c.stage} ${c.heads}×${c.perHead}`),
    ),
    rankHorizons: list(Object.entries(s.rankHorizons).map(([k, v]) => `${k}=${v}`)),
    stageNames: list(s.stageNames ?? []),
  };
}

const clip = (x: string) => (x.length > 1000 ? `${x.slice(0, 999)}…` : x);

/**
 * One definitions-log row — when (local time, as given), the definitions in words, what changed
 * as "field: before → after", and why — and the definitions' fingerprint (kept in a property; the
 * next build compares it).
 */
export function definitionsRow(
  settings: KpiSettings,
  when: string,
  previousPrint: string | undefined,
  previous: KpiSettings | null,
  headers: readonly string[],
): { row: CellInput[]; fingerprint: string } {
  const t = LOG_TEXT[settings.lang];
  const now = describeDefinitions(settings, headers);
  const print = fingerprint(JSON.stringify(now));
  const changed = previousPrint !== undefined && previousPrint !== print;
  let change = previousPrint === undefined ? t.first : t.unchanged;
  if (changed) {
    const before = previous
      ? describeDefinitions({ ...previous, lang: settings.lang }, headers)
      : {};
    const diffs = Object.keys(now)
      .filter((k) => before[k] !== now[k])
      .map((k) => `${t.fields[k]}: ${clip(before[k] ?? t.none)} → ${clip(now[k])}`);
    change = diffs.length > 0 ? diffs.join('\n') : t.changed;
  }
  const summary = Object.entries(now)
    .map(([k, v]) => `${t.fields[k]}: ${clip(v)}`)
    .join('\n');
  return {
    row: [when, summary, change, changed ? (settings.why ?? '') : ''],
    fingerprint: print,
  };
}

export const DEFINITIONS_HEADER = {
  ja: ['日時', '定義', '変更', '理由'],
  en: ['When', 'Definitions', 'What changed', 'Why'],
};

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

/** The temperature column's values (the deals tab's when it has one, else the lead tab's). */
function temperatureValues(
  settings: KpiSettings,
  values: readonly (readonly unknown[])[],
  dealValues: readonly (readonly unknown[])[] | undefined,
): unknown[] {
  const d = settings.deals;
  if (d && dealValues && d.mapping.temperature !== undefined) {
    const c = d.mapping.temperature;
    return dealValues.slice(d.headerRow).map((r) => r[c]);
  }
  const c = settings.mapping.temperature;
  return c === undefined ? [] : values.slice(settings.headerRow ?? 1).map((r) => r[c]);
}

/** All replaceable sheets of a build. */
export function buildModels(
  settings: KpiSettings,
  table: LeadTable,
  values: readonly (readonly unknown[])[],
  clock: ZoneClock,
  localeOrder: DateOrder = 'mdy',
  dealValues?: readonly (readonly unknown[])[],
  /** The window's actuals when the caller has them already (one funnel pass per build). */
  actuals: Actuals = windowActuals(values, settings, clock, localeOrder, dealValues),
): SheetModel[] {
  const created = table.rows.map((r) => r.created).filter((d) => !Number.isNaN(d));
  const spill = spillRows(settings, created.length > 0 ? minOf(created) : undefined);
  const models = [
    kpiTreeSheet(settings, actuals, spill, created.length > 0 ? minOf(created) : undefined),
    funnelSheet(settings, actuals, spill),
    cohortSheet(settings, spill),
    activitySheet(settings),
    capacitySheet(settings),
    prospectSheet(settings, table.rankValues),
    cycleTimeSheet(settings, Math.max(spill, dataSpan(table, settings.period))),
    cacSheet(settings, spill),
    // The customers tab is not read at build: room for ten years of months.
    retentionSheet(settings, 124),
    quadrantsSheet(settings, temperatureValues(settings, values, dealValues)),
    listCoverageSheet(settings),
  ];
  return models.filter((m): m is SheetModel => m !== undefined);
}
