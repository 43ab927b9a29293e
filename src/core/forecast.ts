/**
 * The cohort forecast (KPI_COHORT_FORECAST): where the coming periods land, from the chase
 * (追っかけ) triangle of COHORT_CONVERSION — the same cohorts (lead period), the same ages
 * (conversion period − lead period; a conversion dated before its lead counts at age 0).
 *
 * Made as at the start of the as_of period T, from what was known then (leads created and
 * conversions dated before T), the way a loss-development triangle is completed, with the leads
 * of each cohort as its exposure:
 *
 *   r_k = Σ conversions at age k ÷ Σ leads, over the cohorts that have completed age k before T
 *   forecast(q) = Σ over cohorts c < T of leads(c) × r_(q − c)        (q = T … T + horizon − 1)
 *
 * (the incremental development per lead; on a triangle whose cohorts all develop alike it is the
 * chain ladder's completion exactly). An age no cohort has completed adds nothing: the forecast
 * has no tail beyond the oldest cohort. Leads not created yet at T are not forecast, unless
 * `newLeads` (the plan's leads per period) is given: then each coming period's planned leads
 * develop with the same r_k. Revenue = conversions × the average amount of the conversions known
 * before T.
 *
 * The backtest forecasts each of the last N completed periods P the same way from what was known
 * at P's start, and compares it with every conversion dated in P — what the manager will see —
 * so its error includes what the method leaves out (the leads created within P itself, unless
 * planned leads are added), and the range drawn from it covers that too.
 */

import type { Cell } from './cohort';
import {
  checkPeriodSpan,
  DAY_MS,
  type DateReader,
  type Period,
  periodLabel,
  periodOfDay,
} from './dates';
import { KpiError } from './errors';
import { readNumber } from './numbers';

/** Sentinel for "no date" in the day arrays. */
export const NO_DAY = -2_147_483_648;

export type ForecastView = 'forecast' | 'backtest';

export const FORECAST_VIEWS: Record<string, ForecastView> = {
  forecast: 'forecast',
  予測: 'forecast',
  backtest: 'backtest',
  バックテスト: 'backtest',
  検証: 'backtest',
};

/** Periods forecast (forecast view) or backtested (backtest view) when `horizon` is omitted. */
export const DEFAULT_HORIZON: Record<ForecastView, number> = { forecast: 3, backtest: 6 };

/** Header of the forecast view. */
export const COHORT_FORECAST_HEADER = [
  'period',
  'forecast conversions',
  'forecast revenue',
  'actual conversions',
  'actual revenue',
] as const;

/** Header of the backtest view. */
export const BACKTEST_HEADER = [
  'period',
  'forecast conversions',
  'actual conversions',
  'forecast revenue',
  'actual revenue',
  'error',
  'actual ÷ forecast',
] as const;

export interface CohortForecastInput {
  /** Lead created day per row (local day number; NO_DAY: blank). */
  leadDay: Int32Array;
  /** Conversion day per row (NO_DAY: not converted). */
  convDay: Int32Array;
  /** The converted row's amount (NaN: none); undefined: no amounts given. */
  amount?: Float64Array;
  period: Period;
  /** The as_of day: nothing after it is known. */
  asOfDay: number;
  view: ForecastView;
  /** Periods to forecast from the as_of period on (forecast view) or to backtest (backtest view). */
  horizon: number;
  /** Leads expected per coming period (the plan's), forecast like a cohort; undefined: none. */
  newLeads?: number;
  /** The created_dates cells and the as_of cell as given, to name them in an error. */
  leadCells?: readonly unknown[];
  asOfCell?: unknown;
}

/** What a call does with a cell it cannot read (bad_cells): name it in an error, or skip it. */
export type BadCells = 'error' | 'skip';

export const BAD_CELL_CHOICES: Record<string, BadCells> = {
  error: 'error',
  エラー: 'error',
  skip: 'skip',
  除外: 'skip',
  スキップ: 'skip',
};

/** Reads one cell: its value, the argument's name and the 1-based row (to name it in an error). */
export type CellRead<T> = (v: unknown, arg: string, row: number) => T;

/**
 * A cell read, or — with bad_cells "skip" — `blank` where it cannot be read (the sheets the
 * builder writes, whose sidebar lists such cells before a build, as KPI_FUNNEL leaves them out).
 * The cell comes as arguments, not in a closure: a call makes none per cell.
 */
export function readCell<T>(
  bad: BadCells,
  read: CellRead<T>,
  v: unknown,
  arg: string,
  row: number,
  blank: T,
): T {
  if (bad === 'error') return read(v, arg, row);
  try {
    return read(v, arg, row);
  } catch (e) {
    if (e instanceof KpiError) return blank;
    throw e;
  }
}

/** A local day from a reader (NO_DAY: blank); a bad cell throws naming its argument and row. */
export function dayOf(reader: DateReader, v: unknown, arg: string, row: number): number {
  const t = reader.read(v, arg, row);
  return Number.isNaN(t) ? NO_DAY : Math.floor(t / DAY_MS);
}

/** Reads the day arrays and amounts of a call (a bad cell throws naming its row, or is skipped). */
export function readForecastColumns(
  created: readonly unknown[],
  converted: readonly unknown[],
  amounts: readonly unknown[] | undefined,
  readers: { lead: DateReader; converted: DateReader },
  bad: BadCells = 'error',
): { leadDay: Int32Array; convDay: Int32Array; amount?: Float64Array } {
  const n = created.length;
  const leadDay = new Int32Array(n);
  const convDay = new Int32Array(n);
  const amount = amounts ? new Float64Array(n) : undefined;
  const { lead, converted: conv } = readers;
  const readLead: CellRead<number> = (v, arg, row) => dayOf(lead, v, arg, row);
  const readConv: CellRead<number> = (v, arg, row) => dayOf(conv, v, arg, row);
  for (let i = 0; i < n; i++) {
    leadDay[i] = readCell(bad, readLead, created[i], 'created_dates', i + 1, NO_DAY);
    convDay[i] = readCell(bad, readConv, converted[i], 'conversion_dates', i + 1, NO_DAY);
    if (amount && amounts)
      amount[i] = readCell(bad, readNumber, amounts[i], 'amounts', i + 1, Number.NaN);
  }
  return { leadDay, convDay, amount };
}

/** The triangle as known on as_of: leads per cohort and conversions per (cohort, age). */
interface Triangle {
  /** First lead period. */
  first: number;
  /** The as_of period. */
  T: number;
  /** Leads per cohort first … T (index c − first). */
  leads: Float64Array;
  /** Conversions by cohort (c − first) and age k, width = T − first + 1 (ages 0 … T − first). */
  hits: Float64Array;
  width: number;
  /** Per conversion period (p − first, up to T): all conversions dated in it, and their amounts. */
  convAll: Float64Array;
  amountAll: Float64Array;
  /** Per conversion period: amounts known (numeric) and how many, for the average deal size. */
  amountKnown: Float64Array;
  amountCount: Float64Array;
}

function triangle(x: CohortForecastInput): Triangle | undefined {
  const { leadDay, convDay, amount, period, asOfDay } = x;
  const n = leadDay.length;
  const T = periodOfDay(asOfDay, period);
  // The first cohort: the period of the earliest lead (periods grow with days).
  let firstDay = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const d = leadDay[i];
    if (d !== NO_DAY && d <= asOfDay && d < firstDay) firstDay = d;
  }
  if (firstDay === Number.POSITIVE_INFINITY) return undefined;
  const first = periodOfDay(firstDay, period);
  const last = T + (x.view === 'forecast' ? x.horizon - 1 : 0);
  checkPeriodSpan(first, last, period, () => {
    // The earliest lead (most likely mistyped) and the as_of date, named as the user wrote them.
    let row = 0;
    for (let i = 0; i < n; i++) {
      const d = leadDay[i];
      if (d !== NO_DAY && d <= asOfDay && periodOfDay(d, period) === first) {
        row = i;
        break;
      }
    }
    return [
      { p: first, arg: 'created_dates', row: row + 1, value: x.leadCells?.[row] ?? '' },
      { p: T, arg: 'as_of', row: 1, value: x.asOfCell ?? '' },
      { p: last, arg: 'horizon', row: 1, value: x.horizon },
    ];
  });
  const cohorts = T - first + 1;
  const width = cohorts;
  const t: Triangle = {
    first,
    T,
    leads: new Float64Array(cohorts),
    hits: new Float64Array(cohorts * width),
    width,
    convAll: new Float64Array(cohorts),
    amountAll: new Float64Array(cohorts),
    amountKnown: new Float64Array(cohorts),
    amountCount: new Float64Array(cohorts),
  };
  // The period of each day from the first lead's to as_of (at most MAX_PERIODS periods long).
  const dayPeriod = new Int32Array(asOfDay - firstDay + 1);
  for (let d = firstDay; d <= asOfDay; d++) dayPeriod[d - firstDay] = periodOfDay(d, period);
  for (let i = 0; i < n; i++) {
    const ld = leadDay[i];
    const lp = ld !== NO_DAY && ld <= asOfDay ? dayPeriod[ld - firstDay] : NO_DAY;
    if (lp !== NO_DAY) t.leads[lp - first]++;
    const cd = convDay[i];
    if (cd === NO_DAY || cd > asOfDay) continue;
    const cp = cd >= firstDay ? dayPeriod[cd - firstDay] : periodOfDay(cd, period);
    const a = amount ? amount[i] : Number.NaN;
    if (cp >= first) {
      const j = cp - first;
      t.convAll[j]++;
      if (!Number.isNaN(a)) {
        t.amountAll[j] += a;
        t.amountKnown[j] += a;
        t.amountCount[j]++;
      }
    }
    if (lp !== NO_DAY) t.hits[(lp - first) * width + (cp > lp ? cp - lp : 0)]++;
  }
  return t;
}

/**
 * The development per lead r_k learned at origin P (ages whose period ended before P), k = 0 …
 * P − first − 1 (index k).
 */
function development(t: Triangle, P: number): Float64Array {
  const ages = Math.max(0, P - t.first);
  const r = new Float64Array(ages);
  for (let k = 0; k < ages; k++) {
    let conv = 0;
    let exposure = 0;
    // Cohorts that completed age k before P: c + k < P.
    for (let c = t.first; c + k < P; c++) {
      const j = c - t.first;
      exposure += t.leads[j];
      conv += t.hits[j * t.width + k];
    }
    r[k] = exposure > 0 ? conv / exposure : 0;
  }
  return r;
}

/** Conversions expected in period q from the cohorts created before origin P (and planned leads). */
function expected(t: Triangle, r: Float64Array, P: number, q: number, newLeads?: number): number {
  let sum = 0;
  for (let c = t.first; c < P; c++) {
    const k = q - c;
    if (k < r.length) sum += t.leads[c - t.first] * r[k];
  }
  if (newLeads !== undefined) {
    for (let p = P; p <= q; p++) {
      const k = q - p;
      if (k < r.length) sum += newLeads * r[k];
    }
  }
  return sum;
}

/** The average amount of the conversions dated before P; NaN when none is known. */
function averageAmount(t: Triangle, P: number): number {
  let sum = 0;
  let count = 0;
  for (let p = t.first; p < P; p++) {
    sum += t.amountKnown[p - t.first];
    count += t.amountCount[p - t.first];
  }
  return count > 0 ? sum / count : Number.NaN;
}

const money = (x: number): Cell => (Number.isNaN(x) ? '' : x);

/** KPI_COHORT_FORECAST's table (header row first; never ragged). */
export function cohortForecast(x: CohortForecastInput): Cell[][] {
  if (!Number.isInteger(x.horizon) || x.horizon < 1)
    throw new KpiError('notWhole', { arg: 'horizon', row: 1, value: String(x.horizon), min: 1 });
  const amounts = x.amount !== undefined;
  const t = triangle(x);
  if (x.view === 'backtest') {
    const out: Cell[][] = [[...BACKTEST_HEADER]];
    if (!t) return out;
    // From the first period some cohort could contribute to: a cohort of age k ≥ 1 needs an
    // older cohort that completed age k, so two cohorts before P (P ≥ first + 2) — earlier
    // periods would show a forecast of 0 whatever the data, an error of −100 % the method did
    // not make.
    for (let P = Math.max(t.first + 2, t.T - x.horizon); P < t.T; P++) {
      const r = development(t, P);
      const f = expected(t, r, P, P);
      const j = P - t.first;
      const actual = t.convAll[j];
      const avg = amounts ? averageAmount(t, P) : Number.NaN;
      const fRevenue = amounts ? f * avg : Number.NaN;
      const aRevenue = amounts ? t.amountAll[j] : Number.NaN;
      const [fv, av] = amounts ? [fRevenue, aRevenue] : [f, actual];
      out.push([
        periodLabel(P, x.period),
        f,
        actual,
        money(fRevenue),
        money(aRevenue),
        Number.isNaN(fv) || !(av > 0) ? '' : (fv - av) / av,
        Number.isNaN(fv) || !(fv > 0) ? '' : av / fv,
      ]);
    }
    return out;
  }
  const out: Cell[][] = [[...COHORT_FORECAST_HEADER]];
  const T = t ? t.T : periodOfDay(x.asOfDay, x.period);
  const r = t ? development(t, T) : new Float64Array(0);
  const avg = t && amounts ? averageAmount(t, T) : Number.NaN;
  for (let q = T; q < T + x.horizon; q++) {
    const f = t ? expected(t, r, T, q, x.newLeads) : 0;
    const now = q === T && t !== undefined;
    out.push([
      periodLabel(q, x.period),
      f,
      amounts ? money(f * avg) : '',
      now ? t.convAll[T - t.first] : '',
      now && amounts ? t.amountAll[T - t.first] : '',
    ]);
  }
  return out;
}
