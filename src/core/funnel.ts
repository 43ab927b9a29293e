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
  'lost',
  'closed win rate',
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
  lost: 13,
  closedWinRate: 14,
  /** Only in a table asked for with `withSal` (KPI_FUNNEL's with_sal): the column after the rest. */
  sal: 15,
} as const;
/** The header of the SAL column, appended when the table is asked for it. */
export const SAL_HEADER = 'SAL';
export const TOTAL_LABEL = 'Total';
const MAX_FUNNEL_PERIODS = 600;

/** Values of a target column that mean a target lead (after NFKC, trim, lower case). */
export const TRUE_WORDS: Record<string, true> = {
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

/** Columns of a second tab holding one row per deal (opportunity), all of one height. */
export interface DealColumns {
  /** The deal's created date (its 商談化 date). */
  created?: readonly unknown[];
  statuses?: readonly unknown[];
  /** A closing date: the won date of won rows, the lost date of lost rows. */
  close?: readonly unknown[];
  won?: readonly unknown[];
  lost?: readonly unknown[];
  amounts?: readonly unknown[];
}

export interface FunnelInput {
  /**
   * Created dates; absent in an export without one (an opportunity list with only closing dates):
   * then leads, MQL and SAL are not measured, and deals are dated by their closing date.
   */
  created?: readonly unknown[];
  mql?: readonly unknown[];
  deal?: readonly unknown[];
  won?: readonly unknown[];
  /** A closing date (Close Date, 完了日): won where the status is won, lost where it is lost. */
  close?: readonly unknown[];
  lost?: readonly unknown[];
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
  /** What a row of `created` is: a lead (default), an MQL (an MQL list) or a deal (an opportunity export). */
  rows?: 'lead' | 'mql' | 'deal';
  /** Deals from a second tab: when given, they measure deals, won, lost and revenue where they can. */
  deals?: DealColumns;
  /**
   * Append a SAL column: leads accepted by IS (a status that means SAL, or a later stage: an
   * open, won or lost deal), at the created date — measured only where a status means SAL.
   */
  withSal?: boolean;
  /**
   * What each row is, where a tab holds two kinds (a record-type column: Lead / Opportunity): its
   * values are looked up in `statusStages` like a status, and a row whose type means a deal is at
   * least an open deal whatever its status.
   */
  kinds?: readonly unknown[];
  /**
   * An active flag: a deal row that is inactive (archived: FALSE, no, 0, archived, inactive) and
   * not won is a lost deal — Odoo archives the opportunities it marks lost.
   */
  active?: readonly unknown[];
  /** Reads text dates of one column (day-first or month-first by the column and the locale). */
  readerFor?: (values: readonly unknown[]) => DateReader;
}

/** Which funnel measures a data source can support; the others are "no data", never 0. */
export interface Measured {
  leads: boolean;
  mql: boolean;
  deals: boolean;
  won: boolean;
  lost: boolean;
  revenue: boolean;
  companies: boolean;
  /** SAL (accepted by IS): a status of the lead tab means SAL. */
  sal: boolean;
}

export type FunnelStage = 'lead' | 'mql' | 'sal' | 'sql' | 'won' | 'lost' | 'nurture' | 'ignore';
/** How far along the funnel a status puts a lead (a lost deal was a deal). */
export const STAGE_RANK: Record<FunnelStage, number> = {
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

/**
 * The key a status value is looked up by: exports spell one stage several ways ("Closed Won",
 * "closed won ", "CLOSED　WON"), which must mean one thing.
 */
export function statusKey(v: unknown): string {
  return v === null || v === undefined
    ? ''
    : String(v).normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A status → stage table from (value, stage) pairs; keys by statusKey, stages validated. */
export function statusStagesFrom(
  pairs: readonly (readonly unknown[])[],
  arg = 'status_map',
): Record<string, FunnelStage> {
  const out: Record<string, FunnelStage> = {};
  for (const [value, stageCell] of pairs) {
    const key = statusKey(value);
    if (key === '') continue;
    const stage = String(stageCell ?? '')
      .trim()
      .toLowerCase();
    if (!hasOwn(STAGE_RANK, stage)) {
      throw new KpiError('badChoice', {
        arg,
        value: `${String(value)}=${String(stageCell ?? '')}`.slice(0, 60),
        choices: FUNNEL_STAGES.join(', '),
      });
    }
    out[key] = stage as FunnelStage;
  }
  return out;
}

/** Parses "MQL=mql; 商談化=sql; 受注=won" into a status key → stage table. */
export function parseStatusMap(text: string): Record<string, FunnelStage> {
  const pairs: string[][] = [];
  for (const part of text.split(/[;\n]/)) {
    const eq = part.lastIndexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (!key) continue;
    pairs.push([key, part.slice(eq + 1)]);
  }
  return statusStagesFrom(pairs);
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

const stageIn = (stages: Record<string, FunnelStage> | undefined, stage: FunnelStage) =>
  stages !== undefined && Object.values(stages).includes(stage);

/**
 * The status meanings a column can use: those of the values it holds (one map serves the lead and
 * the deals tab, and a won value of the lead tab must not make an open-pipeline deals tab the
 * source of won deals). An empty column stands for "data not at hand": the whole map.
 */
function stagesPresent(
  statuses: readonly unknown[] | undefined,
  table: Record<string, FunnelStage> | undefined,
): Record<string, FunnelStage> | undefined {
  if (!statuses || !table) return undefined;
  if (statuses.length === 0) return table;
  const out: Record<string, FunnelStage> = {};
  let last: unknown;
  for (const v of statuses) {
    if (v === last || v === '' || v === null || v === undefined) continue;
    last = v;
    const key = statusKey(v);
    if (hasOwn(table, key)) out[key] = table[key];
  }
  return out;
}

/** Values that mean an inactive (archived) record in an active-flag column. */
const INACTIVE: Record<string, true> = {
  false: true,
  no: true,
  n: true,
  '0': true,
  inactive: true,
  archived: true,
  無効: true,
  いいえ: true,
  faux: true,
  falsch: true,
  nein: true,
  falso: true,
  non: true,
  nao: true,
  não: true,
};

/** Whether an active-flag cell says the record is archived (blank = active). */
export function isInactive(v: unknown): boolean {
  if (v === false) return true;
  if (v === true || v === null || v === undefined || v === '') return false;
  if (typeof v === 'number') return v === 0;
  return hasOwn(INACTIVE, String(v).normalize('NFKC').trim().toLowerCase());
}

/**
 * The stage meanings a lead tab's rows use: of its statuses, of its record types (a type that
 * means a deal makes the row one), and "lost" where an active flag can archive a deal.
 */
function rowStagesPresent(
  input: Pick<FunnelInput, 'statuses' | 'kinds' | 'active' | 'statusStages'>,
): Record<string, FunnelStage> | undefined {
  const st = stagesPresent(input.statuses, input.statusStages);
  const kinds = stagesPresent(input.kinds, input.statusStages);
  if (!st && !kinds) return undefined;
  const out: Record<string, FunnelStage> = { ...kinds, ...st };
  const deals = Object.values(out).some((s) => STAGE_RANK[s] >= 3);
  if (input.active && deals) out['\u0000archived'] = 'lost';
  return out;
}

/**
 * What each source can measure. The lead tab measures leads only when its rows are leads, MQL
 * from an MQL date, an MQL list or a status that means MQL, and so on; a deals tab measures
 * deals by its created date and won/lost by its dates or statuses. A measure no source supports
 * is "no data" in the table.
 */
export function measuredBy(input: Omit<FunnelInput, 'period' | 'clock'>): {
  lead: Measured;
  deal?: Measured;
} {
  const rows = input.rows ?? 'lead';
  const st = rowStagesPresent(input);
  const created = input.created !== undefined;
  // Without a created date a deal is dated by its closing: won or lost dates, or a closing date.
  const closeDated =
    input.won !== undefined || input.close !== undefined || input.lost !== undefined;
  const lead: Measured = {
    leads: rows === 'lead' && created,
    companies: rows === 'lead' && created && input.companies !== undefined,
    mql:
      rows !== 'deal' &&
      (input.mql !== undefined || (created && (rows === 'mql' || stageIn(st, 'mql')))),
    // A status that means an open deal (sql) or a lost one (a lost deal was a deal) measures deals.
    deals:
      input.deal !== undefined ||
      ((created || closeDated) && (rows === 'deal' || stageIn(st, 'sql') || stageIn(st, 'lost'))),
    ...closings(input, st),
    sal: rows !== 'deal' && created && stageIn(st, 'sal'),
  };
  const d = input.deals;
  if (!d) return { lead };
  const dst = stagesPresent(d.statuses, input.statusStages);
  const deal: Measured = {
    leads: false,
    companies: false,
    mql: false,
    deals:
      d.created !== undefined ||
      ((d.won !== undefined || d.close !== undefined || d.lost !== undefined) &&
        d.statuses !== undefined),
    ...closings(d, dst),
    sal: false,
  };
  return { lead, deal };
}

/**
 * Won, lost and revenue of one source: by their own dates, or by status where a closing date
 * dates them — a deal is won when it closes, never when it was created.
 */
function closings(
  c: { won?: unknown; close?: unknown; lost?: unknown; amounts?: unknown },
  st: Record<string, FunnelStage> | undefined,
): Pick<Measured, 'won' | 'lost' | 'revenue'> {
  // Won is dated by a closing date (a won or closing date), never by creation.
  const won = c.won !== undefined || (stageIn(st, 'won') && c.close !== undefined);
  return {
    won,
    lost: c.lost !== undefined || (stageIn(st, 'lost') && c.close !== undefined),
    revenue: won && c.amounts !== undefined,
  };
}

type StageCounts = {
  leads: number;
  targets: number;
  companies: Set<number>;
  mql: number;
  deals: number;
  won: number;
  lost: number;
  revenue: number;
  sal: number;
};

const emptyCounts = (): StageCounts => ({
  leads: 0,
  targets: 0,
  companies: new Set(),
  mql: 0,
  deals: 0,
  won: 0,
  lost: 0,
  revenue: 0,
  sal: 0,
});

/** One source's stage columns, as counted by `countRows`. */
interface StageSource {
  created?: readonly unknown[];
  kinds?: readonly unknown[];
  active?: readonly unknown[];
  mql?: readonly unknown[];
  deal?: readonly unknown[];
  won?: readonly unknown[];
  close?: readonly unknown[];
  lost?: readonly unknown[];
  amounts?: readonly unknown[];
  statuses?: readonly unknown[];
}

export function funnelByPeriod(input: FunnelInput): Cell[][] {
  const { period, clock } = input;
  const readerFor = input.readerFor ?? (() => new DateReader(clock));
  const windowReader = new DateReader(clock);
  /** A window bound: an unreadable one is the user's typo and names itself. */
  const boundDay = (v: unknown, arg: string, open: number) => {
    if (v === undefined || v === '') return open;
    const x = windowReader.read(v, arg, 1);
    return Number.isNaN(x) ? open : Math.floor(x / DAY_MS);
  };
  const fromDay = boundDay(input.from, 'from', Number.NEGATIVE_INFINITY);
  const toDay = boundDay(input.to, 'to', Number.POSITIVE_INFINITY);
  const inWindow = (d: number) => !Number.isNaN(d) && d >= fromDay && d <= toDay;

  const byPeriod = new Map<number, StageCounts>();
  const total = emptyCounts();
  const at = (p: number): StageCounts => {
    let c = byPeriod.get(p);
    if (!c) {
      c = emptyCounts();
      byPeriod.set(p, c);
    }
    return c;
  };
  const measured = measuredBy(input);
  const lead = measured.lead;
  const deal = measured.deal;
  // Deals, won, lost and revenue come from the deals tab where it measures them.
  const fromDeals = {
    deals: deal?.deals === true,
    won: deal?.won === true,
    lost: deal?.lost === true,
  };
  const shown: Measured = {
    leads: lead.leads,
    companies: lead.companies,
    mql: lead.mql,
    deals: fromDeals.deals || lead.deals,
    won: fromDeals.won || lead.won,
    lost: fromDeals.lost || lead.lost,
    revenue: fromDeals.won ? deal?.revenue === true : lead.revenue,
    sal: lead.sal,
  };

  /** Unreadable cells count as missing (the sidebar lists them before a build). */
  const days = (col: readonly unknown[] | undefined, arg: string) => {
    if (!col) return undefined;
    const reader = readerFor(col);
    return (i: number) => {
      try {
        const x = reader.read(col[i], arg, i + 1);
        return Number.isNaN(x) ? Number.NaN : Math.floor(x / DAY_MS);
      } catch (e) {
        if (!(e instanceof KpiError)) throw e;
        return Number.NaN;
      }
    };
  };

  const countRows = (
    src: StageSource,
    n: number,
    rows: 'lead' | 'mql' | 'deal',
    count: { mql: boolean; deals: boolean; won: boolean; lost: boolean; sal?: boolean },
  ) => {
    const createdDay = days(src.created, 'created');
    const mqlDay = days(src.mql, 'mql_dates');
    const dealDay = days(src.deal, 'deal_dates');
    const wonDay = days(src.won, 'won_dates');
    const closeDay = days(src.close, 'close_dates');
    const lostDay = days(src.lost, 'lost_dates');
    const stages = input.statusStages;
    const lookup = (col: readonly unknown[] | undefined, i: number): FunnelStage | undefined => {
      if (!stages || !col) return undefined;
      const key = statusKey(col[i]);
      return hasOwn(stages, key) ? stages[key] : undefined;
    };
    for (let i = 0; i < n; i++) {
      const created = createdDay ? createdDay(i) : Number.NaN;
      let stage = lookup(src.statuses, i);
      const kind = lookup(src.kinds, i);
      // A row whose type is a deal is at least an open deal (an opportunity in stage "New").
      if (
        kind !== undefined &&
        STAGE_RANK[kind] >= 3 &&
        (stage === undefined || STAGE_RANK[stage] < 3)
      )
        stage = kind === 'won' || kind === 'lost' ? kind : 'sql';
      else if (stage === undefined) stage = kind;
      // An archived deal that was not won was lost (an archived lead keeps what it reached).
      if (src.active && stage !== undefined && stage !== 'won' && STAGE_RANK[stage] >= 3)
        if (isInactive(src.active[i])) stage = 'lost';
      const rank = stage === undefined ? -1 : STAGE_RANK[stage];
      /** A closed deal's closing day: its won or lost date, else the closing date of a row whose status closed it. */
      const closedOn = () => {
        const w = wonDay ? wonDay(i) : Number.NaN;
        if (!Number.isNaN(w)) return w;
        const l = lostDay ? lostDay(i) : Number.NaN;
        if (!Number.isNaN(l)) return l;
        return (stage === 'won' || stage === 'lost') && closeDay ? closeDay(i) : Number.NaN;
      };
      if (count.mql) {
        const d = mqlDay ? mqlDay(i) : rows === 'mql' || rank >= 1 ? created : Number.NaN;
        if (inWindow(d)) {
          at(periodOfDay(d, period)).mql++;
          total.mql++;
        }
      }
      // SAL: accepted by IS — a status at SAL or past it (an open, won or lost deal).
      if (count.sal) {
        const d = rank >= STAGE_RANK.sal ? created : Number.NaN;
        if (inWindow(d)) {
          at(periodOfDay(d, period)).sal++;
          total.sal++;
        }
      }
      if (count.deals) {
        // Without a created date, a deal is dated when it closed (an open one cannot be dated).
        const d = dealDay
          ? dealDay(i)
          : rows === 'deal' || rank >= 3
            ? createdDay
              ? created
              : closedOn()
            : Number.NaN;
        if (inWindow(d)) {
          at(periodOfDay(d, period)).deals++;
          total.deals++;
        }
      }
      if (count.won) {
        const d = wonDay ? wonDay(i) : stage === 'won' && closeDay ? closeDay(i) : Number.NaN;
        if (inWindow(d)) {
          const amount = src.amounts ? lenientNumber(src.amounts[i]) : Number.NaN;
          const c = at(periodOfDay(d, period));
          c.won++;
          total.won++;
          if (!Number.isNaN(amount)) {
            c.revenue += amount;
            total.revenue += amount;
          }
        }
      }
      if (count.lost) {
        const d = lostDay ? lostDay(i) : stage === 'lost' && closeDay ? closeDay(i) : Number.NaN;
        if (inWindow(d)) {
          at(periodOfDay(d, period)).lost++;
          total.lost++;
        }
      }
    }
  };

  // The lead tab: leads, target leads and companies by the created date.
  const n = Math.max(
    input.created?.length ?? 0,
    ...[input.mql, input.deal, input.won, input.close, input.lost, input.amounts, input.statuses]
      .concat([input.kinds, input.active, input.companies, input.targets])
      .map((c) => c?.length ?? 0),
  );
  if (lead.leads && input.created) {
    const createdDay = days(input.created, 'created');
    const index = new CompanyIndex();
    for (let i = 0; i < n; i++) {
      const created = createdDay ? createdDay(i) : Number.NaN;
      if (!inWindow(created)) continue;
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
  }
  countRows(input, n, input.rows ?? 'lead', {
    mql: lead.mql,
    deals: lead.deals && !fromDeals.deals,
    won: lead.won && !fromDeals.won,
    lost: lead.lost && !fromDeals.lost,
    sal: lead.sal && input.withSal === true,
  });
  const d = input.deals;
  if (d) {
    const height = Math.max(
      0,
      ...[d.created, d.statuses, d.close, d.won, d.lost, d.amounts].map((c) => c?.length ?? 0),
    );
    countRows(
      {
        created: d.created,
        won: d.won,
        close: d.close,
        lost: d.lost,
        amounts: d.amounts,
        statuses: d.statuses,
      },
      height,
      'deal',
      { mql: false, ...fromDeals },
    );
  }

  const out: Cell[][] = [input.withSal ? [...FUNNEL_HEADER, SAL_HEADER] : FUNNEL_HEADER.slice()];
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
  const m = shown;
  const v = (ok: boolean, x: number): Cell => (ok ? x : '');
  const rate = (ok: boolean, a: number, b: number): Cell => (ok && b > 0 ? a / b : '');
  const line = (label: string, c: StageCounts): Cell[] => [
    label,
    v(m.leads, c.leads),
    v(m.leads, c.targets),
    v(m.companies, c.companies.size),
    v(m.mql, c.mql),
    v(m.deals, c.deals),
    v(m.won, c.won),
    v(m.revenue, c.revenue),
    rate(m.leads && m.mql, c.mql, c.targets),
    rate(m.mql && m.deals, c.deals, c.mql),
    rate(m.deals && m.won, c.won, c.deals),
    rate(m.revenue, c.revenue, c.won),
    v(m.lost, c.lost),
    rate(m.won && m.lost, c.won, c.won + c.lost),
    ...(input.withSal ? [v(m.sal, c.sal)] : []),
  ];
  if (Number.isFinite(lo) && Number.isFinite(hi)) {
    for (let p = lo; p <= hi; p++) {
      out.push(line(periodLabel(p, period), byPeriod.get(p) ?? emptyCounts()));
    }
  }
  out.push(line(TOTAL_LABEL, total));
  return out;
}
