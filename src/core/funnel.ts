/**
 * Funnel by period (輪切り) over a lead tab: each stage counted by its own stage date, so every
 * division's number for the period sits on one row — leads, target leads and unique companies
 * (Marketing), MQL (Marketing → IS), deals (IS), won deals and revenue (FS) — with the stage
 * conversion rates, and a Total row for the whole window that the KPI tree reads.
 */
import { hasOwn } from './args';
import type { Cell } from './cohort';
import { CompanyIndex } from './company';
import { DAY_MS, DateReader, type Period, periodLabel, periodOfDay, type ZoneClock } from './dates';
import { KpiError } from './errors';
import { maxOf, minOf, readNumber } from './numbers';

export const FUNNEL_HEADER: readonly string[] = [
  'period',
  'leads',
  'target leads',
  'companies',
  'MQL',
  'deals',
  'won',
  'revenue',
  'MQL rate',
  'deal rate',
  'win rate',
  'avg deal size',
];
/** Column (1-based) of each measure in the funnel table. */
export const FUNNEL_COL = {
  leads: 2,
  targetLeads: 3,
  companies: 4,
  mql: 5,
  deals: 6,
  won: 7,
  revenue: 8,
  mqlRate: 9,
  dealRate: 10,
  winRate: 11,
  avgDeal: 12,
} as const;
export const TOTAL_LABEL = 'Total';
const MAX_FUNNEL_PERIODS = 600;

const TRUE_WORDS: Record<string, true> = {
  yes: true,
  y: true,
  true: true,
  '1': true,
  '○': true,
  '◯': true,
  はい: true,
  対象: true,
  target: true,
  ターゲット: true,
};

export interface FunnelInput {
  created: readonly unknown[];
  mql?: readonly unknown[];
  deal?: readonly unknown[];
  won?: readonly unknown[];
  amounts?: readonly unknown[];
  companies?: readonly unknown[];
  /** Target flags (yes/no), or — with `exclude` — a column whose listed values are not targets. */
  targets?: readonly unknown[];
  exclude?: readonly string[];
  period: Period;
  clock: ZoneClock;
  from?: unknown;
  to?: unknown;
  /**
   * Status of each lead and the stage each status value means. Used for a stage whose date
   * column is not given: a lead whose status is at or past that stage counts at its created date.
   */
  statuses?: readonly unknown[];
  statusStages?: Record<string, FunnelStage>;
}

export type FunnelStage = 'lead' | 'mql' | 'sal' | 'sql' | 'won' | 'lost' | 'nurture' | 'ignore';
/** How far along the funnel a status puts a lead (a lost deal was a deal). */
const STAGE_RANK: Record<FunnelStage, number> = {
  lead: 0,
  nurture: 0,
  ignore: 0,
  mql: 1,
  sal: 2,
  sql: 3,
  lost: 3,
  won: 4,
};
export const FUNNEL_STAGES = Object.keys(STAGE_RANK) as FunnelStage[];

/** Parses "MQL=mql; 商談化=sql; 受注=won" into a status → stage table. */
export function parseStatusMap(text: string): Record<string, FunnelStage> {
  const out: Record<string, FunnelStage> = {};
  for (const part of text.split(/[;\n]/)) {
    const eq = part.lastIndexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const stage = part
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    if (!key) continue;
    if (!hasOwn(STAGE_RANK, stage)) {
      throw new KpiError('badChoice', {
        arg: 'status_map',
        value: part.trim(),
        choices: FUNNEL_STAGES.join(', '),
      });
    }
    out[key] = stage as FunnelStage;
  }
  return out;
}

/** An amount cell; text that is not a number, and negative amounts, count as missing. */
function lenientNumber(v: unknown): number {
  try {
    const x = readNumber(v, 'amounts', 1);
    return x >= 0 ? x : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Whether a row is a target lead under the rule. */
export function isTarget(v: unknown, exclude: readonly string[] | undefined): boolean {
  const s = v === null || v === undefined ? '' : String(v).normalize('NFKC').trim().toLowerCase();
  if (exclude && exclude.length > 0)
    return !exclude.some((x) => x.normalize('NFKC').trim().toLowerCase() === s);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return hasOwn(TRUE_WORDS, s);
}

export function funnelByPeriod(input: FunnelInput): Cell[][] {
  const { period, clock } = input;
  const reader = new DateReader(clock);
  const n = input.created.length;
  /** A lead-tab cell: unreadable cells count as missing (the sidebar lists them before a build). */
  const dayOf = (v: unknown, arg: string, row: number) => {
    let x: number;
    try {
      x = reader.read(v, arg, row);
    } catch (e) {
      if (e instanceof KpiError && (arg === 'from' || arg === 'to')) throw e;
      if (!(e instanceof KpiError)) throw e;
      x = Number.NaN;
    }
    return Number.isNaN(x) ? Number.NaN : Math.floor(x / DAY_MS);
  };
  const fromDay =
    input.from === undefined || input.from === ''
      ? Number.NEGATIVE_INFINITY
      : dayOf(input.from, 'from', 1);
  const toDay =
    input.to === undefined || input.to === '' ? Number.POSITIVE_INFINITY : dayOf(input.to, 'to', 1);
  const inWindow = (d: number) => !Number.isNaN(d) && d >= fromDay && d <= toDay;

  type Counts = {
    leads: number;
    targets: number;
    companies: Set<number>;
    mql: number;
    deals: number;
    won: number;
    revenue: number;
  };
  const byPeriod = new Map<number, Counts>();
  const empty = (): Counts => ({
    leads: 0,
    targets: 0,
    companies: new Set(),
    mql: 0,
    deals: 0,
    won: 0,
    revenue: 0,
  });
  const total = empty();
  const at = (p: number): Counts => {
    let c = byPeriod.get(p);
    if (!c) {
      c = empty();
      byPeriod.set(p, c);
    }
    return c;
  };
  const index = new CompanyIndex();
  const stages = input.statuses && input.statusStages ? input.statusStages : undefined;
  const statusRank = (i: number): number => {
    if (!stages || !input.statuses) return -1;
    const v = input.statuses[i];
    const key = v === null || v === undefined ? '' : String(v).trim();
    return hasOwn(stages, key) ? STAGE_RANK[stages[key]] : -1;
  };
  for (let i = 0; i < n; i++) {
    const row = i + 1;
    const created = dayOf(input.created[i], 'created', row);
    if (inWindow(created)) {
      const c = at(periodOfDay(created, period));
      c.leads++;
      total.leads++;
      if (!input.targets || isTarget(input.targets[i], input.exclude)) {
        c.targets++;
        total.targets++;
      }
      const id = input.companies ? index.id(input.companies[i]) : -1;
      if (id >= 0) {
        c.companies.add(id);
        total.companies.add(id);
      }
    }
    const rank = statusRank(i);
    const stageDay = (col: readonly unknown[] | undefined, arg: string, minRank: number) =>
      col ? dayOf(col[i], arg, row) : rank >= minRank ? created : Number.NaN;
    {
      const d = stageDay(input.mql, 'mql_dates', 1);
      if (inWindow(d)) {
        at(periodOfDay(d, period)).mql++;
        total.mql++;
      }
    }
    {
      const d = stageDay(input.deal, 'deal_dates', 3);
      if (inWindow(d)) {
        at(periodOfDay(d, period)).deals++;
        total.deals++;
      }
    }
    {
      const d = stageDay(input.won, 'won_dates', 4);
      if (inWindow(d)) {
        const amount = input.amounts ? lenientNumber(input.amounts[i]) : Number.NaN;
        const c = at(periodOfDay(d, period));
        c.won++;
        total.won++;
        if (!Number.isNaN(amount)) {
          c.revenue += amount;
          total.revenue += amount;
        }
      }
    }
  }
  const out: Cell[][] = [FUNNEL_HEADER.slice()];
  const periods = [...byPeriod.keys()];
  let lo = minOf(periods);
  let hi = maxOf(periods);
  if (Number.isFinite(fromDay)) lo = periodOfDay(fromDay, period);
  if (Number.isFinite(toDay)) hi = periodOfDay(toDay, period);
  if (Number.isFinite(lo) && Number.isFinite(hi) && hi - lo + 1 > MAX_FUNNEL_PERIODS) {
    throw new KpiError('tooManyPeriods', {
      count: hi - lo + 1,
      first: periodLabel(lo, period),
      last: periodLabel(hi, period),
      max: MAX_FUNNEL_PERIODS,
      arg: 'from/to',
      row: 1,
      value: `${periodLabel(lo, period)} … ${periodLabel(hi, period)}`,
    });
  }
  const line = (label: string, c: Counts): Cell[] => [
    label,
    c.leads,
    c.targets,
    c.companies.size,
    c.mql,
    c.deals,
    c.won,
    c.revenue,
    c.targets > 0 ? c.mql / c.targets : '',
    c.mql > 0 ? c.deals / c.mql : '',
    c.deals > 0 ? c.won / c.deals : '',
    c.won > 0 ? c.revenue / c.won : '',
  ];
  if (Number.isFinite(lo) && Number.isFinite(hi)) {
    for (let p = lo; p <= hi; p++) {
      out.push(line(periodLabel(p, period), byPeriod.get(p) ?? empty()));
    }
  }
  out.push(line(TOTAL_LABEL, total));
  return out;
}
