/**
 * The plan maths of a build: the funnel input the sheet formula also gets, the window's actual
 * totals, which measures the columns support, and the plan inputs (typed, else the window's actual
 * rates, else a built-in assumption) with the KPI tree cells that hold them.
 */

import type { Cell } from './cohort';
import {
  columnDateOrder,
  type DateOrder,
  DateReader,
  isoToDay,
  yearMonthOfDay,
  type ZoneClock,
} from './dates';
import {
  type DealColumns,
  FUNNEL_COL,
  type FunnelInput,
  type FunnelStage,
  funnelByPeriod,
  type Measured,
  measuredBy,
  statusStagesFrom,
} from './funnel';
import type { KpiId } from './goals';
import type { LeadMapping } from './leads';
import type { KpiSettings } from './settings';
import { DEAL_STAGE_COLUMNS, firstMapped, LEAD_STAGE_COLUMNS, stageValues } from './stageColumns';

/** The sidebar's status meanings as a lookup table; undefined when there are none. */
export function statusStages(settings: KpiSettings): Record<string, FunnelStage> | undefined {
  const pairs = Object.entries(settings.statusMap ?? {});
  return pairs.length > 0 ? statusStagesFrom(pairs) : undefined;
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
  const stages = statusStages(settings);
  const lead = stageValues(
    LEAD_STAGE_COLUMNS,
    'key',
    firstMapped(pick(values, settings.headerRow ?? 1, settings.mapping)),
    stages !== undefined,
  );
  const d = settings.deals;
  const deals: DealColumns | undefined = d
    ? stageValues(
        DEAL_STAGE_COLUMNS,
        'key',
        firstMapped(pick(dealValues, d.headerRow, d.mapping)),
        stages !== undefined,
      )
    : undefined;
  return {
    ...lead,
    exclude: settings.targetExclude,
    period: settings.period,
    clock,
    from: settings.from,
    to: settings.to,
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
  /** Leads accepted by IS; null where no status means SAL. */
  sal: number | null;
}

/** The window's actual totals, computed by the same core function the sheet formula calls. */
export function windowActuals(
  values: readonly (readonly unknown[])[],
  settings: KpiSettings,
  clock: ZoneClock,
  localeOrder: DateOrder = 'mdy',
  dealValues?: readonly (readonly unknown[])[],
): Actuals {
  const table = funnelByPeriod({
    ...funnelInput(values, settings, clock, localeOrder, dealValues),
    withSal: measuredOf(settings).sal,
  });
  return actualsOfTotal(table[table.length - 1]);
}

/** The window's totals from a funnel table's Total row (KPI_FUNNEL's, or the funnel query's). */
export function actualsOfTotal(total: readonly Cell[]): Actuals {
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
    sal: at(FUNNEL_COL.sal),
  };
}

/** Which measures the build's columns support (the tree's "no data" nodes are the others). */
export function measuredOf(settings: KpiSettings): Measured {
  // A mapped column stands for its values (measuredBy asks only whether each is there).
  const has = (m: LeadMapping) => firstMapped((f) => (m[f] !== undefined ? [] : undefined));
  const stages = statusStages(settings);
  const map = stages !== undefined;
  const dm = settings.deals?.mapping;
  const m = measuredBy({
    ...stageValues(LEAD_STAGE_COLUMNS, 'key', has(settings.mapping), map),
    created: [],
    statusStages: stages,
    rows: settings.rowsAre ?? 'lead',
    deals: dm ? stageValues(DEAL_STAGE_COLUMNS, 'key', has(dm), map) : undefined,
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
    sal: m.lead.sal,
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
    salRate: typed('salRate') ?? ratio(actuals.sal, actuals.mql, 0.5),
  };
}

/**
 * The plans nobody typed that are the window's actual: a rate's or the deal size's effect is then 0;
 * revenue's (the target) leaves the window no gap.
 */
export function plansFromActual(settings: KpiSettings, actuals: Actuals): KpiId[] {
  const plan = planDefaults(settings, actuals);
  return planInputsOf(settings)
    .filter((x) => plan[x.id].actual)
    .map((x) => x.id);
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
  /** Only when a status means SAL (the SAL nodes): MQL → SAL. */
  sal: 'B13',
} as const;
/** The plan inputs B7:B12 (and B13, the SAL rate, where a status means SAL) in order: the value planDefaults gives, the cell, the label, money or %. */
export const PLAN_INPUTS = [
  { id: 'revenue', cell: PLAN_INPUT.target, label: 'targetPer', money: true },
  { id: 'avgDeal', cell: PLAN_INPUT.avg, label: 'avgDeal', money: true },
  { id: 'winRate', cell: PLAN_INPUT.win, label: 'winRate', money: false },
  { id: 'dealRate', cell: PLAN_INPUT.deal, label: 'dealRate', money: false },
  { id: 'mqlRate', cell: PLAN_INPUT.mql, label: 'mqlRate', money: false },
  { id: 'targetShare', cell: PLAN_INPUT.share, label: 'targetShare', money: false },
  { id: 'salRate', cell: PLAN_INPUT.sal, label: 'salRate', money: false, sal: true },
] as const;

/** The plan inputs of a build: B13 (the SAL rate) only where a status means SAL. */
export const planInputsOf = (settings: KpiSettings) =>
  PLAN_INPUTS.filter((x) => !('sal' in x) || measuredOf(settings).sal);
/** A plan input's key in PLAN_INPUT (B7…B13). */
export type PlanInputKey = Exclude<keyof typeof PLAN_INPUT, 'from' | 'to' | 'periods'>;

/** The cell beside a plan input (column C) that holds its built-in assumption, when it holds one. */
export const assumedCellOf = (cell: string): string => `C${cell.slice(1)}`;

/**
 * Which plan inputs hold a built-in assumption at build, as a live test: "the input still equals
 * the assumption written beside it" (`B8=C8`), so that a user who types a real value into the
 * input sees the plan count again. Undefined for an input that was typed or measured at build.
 * `ref` writes a cell reference (another sheet reads the tree's cells by its role).
 */
export function assumedTest(
  settings: KpiSettings,
  actuals: Actuals,
  ref: (cell: string) => string = (cell) => `$${cell[0]}$${cell.slice(1)}`,
): (keys: readonly PlanInputKey[]) => string | undefined {
  const plan = planDefaults(settings, actuals);
  const on = new Set<string>(
    planInputsOf(settings)
      .filter((x) => plan[x.id].assumed)
      .map((x) => x.cell),
  );
  return (keys) => {
    const tests = [...new Set(keys)]
      .map((k) => PLAN_INPUT[k])
      .filter((cell) => on.has(cell))
      .map((cell) => `${ref(cell)}=${ref(assumedCellOf(cell))}`);
    return tests.length === 0 ? undefined : `OR(${tests.join(', ')})`;
  };
}

/** Row of the "plan per period" block on the KPI tree, and its cells. */
export const PLAN_ROW = 15;
export const PLAN_CELL = {
  won: `B${PLAN_ROW + 1}`,
  deals: `B${PLAN_ROW + 2}`,
  mql: `B${PLAN_ROW + 3}`,
  targetLeads: `B${PLAN_ROW + 4}`,
  leads: `B${PLAN_ROW + 5}`,
} as const;
