/**
 * The pipeline forecast (KPI_PIPELINE_FORECAST): open deals × the win rate of closed deals at the
 * same stage (from a stage history) or of similar age, landing in the period of their expected
 * close date (else after the median remaining time), × their amount (else the average won amount).
 *
 * Rows of the deal columns: a row is closed when its stage means won or lost (status_map, else
 * the stage words knownStage reads); a blank stage, one that means `ignore`, or one that is not a
 * deal yet (lead, MQL, SAL, nurture: a lead tab's rows) is skipped; every other stage (a deal stage, or a
 * value no word knows) is open. Days are the sheet's local days.
 *
 * Forecast view, as of the as_of day A (period T):
 * 1. The open deals are the open rows (the export is as of now); with created dates, a deal
 *    created after A is skipped.
 * 2. Win probability of an open deal:
 *    - with a history (stage | outcome [| observed on | closed on | amount]): rate(stage) =
 *      won ÷ (won + lost) over the history rows whose stage (NFKC, trimmed, lower case) is the
 *      deal's; a stage the history never saw takes the history's overall rate;
 *    - without one, with created dates: the chance a deal still open at its age a = A − created
 *      is eventually won, with the deals still open counted (Aalen–Johansen, competing risks:
 *      won and lost). Event times t_1 < … < t_m are the distinct cycles (close − created) of the
 *      closed deals with created and close dates; at risk at t_i, n_i = those closed deals whose
 *      cycle ≥ t_i + the open deals (created ≤ A) whose age A − created ≥ t_i (an open deal is
 *      censored at its age); w_i, l_i = those won, lost at t_i. W(m + 1) = 0,
 *      W(i) = w_i ÷ n_i + (1 − (w_i + l_i) ÷ n_i) × W(i + 1), and the deal takes W(i) for the
 *      first t_i ≥ a. The overall closed win rate instead when there is no such t_i or
 *      n_i < MIN_SIMILAR (or no created date), and when fewer than 80 % of the won or of the
 *      lost deals are dated (a lead tab whose lost rows have no closing date would make every
 *      deal of a known age look won). 0 for a deal older than every dated won deal's cycle (at
 *      least MIN_SIMILAR of them), whatever those guards say: no deal open that long has ever
 *      been won (where W(i) is taken it is then 0 anyway);
 *    - without either: the overall closed win rate won ÷ (won + lost).
 *    No closed deal at all: probability 0 (the deal still counts as open and in the pipeline).
 * 3. Landing day: the expected close date when it is on or after A; an overdue or blank one lands
 *    on A + ⌊median(cycle − a)⌋ over the won deals with created and close dates whose cycle
 *    (close − created) ≥ the deal's age a; with none (or no created date) on A. Deals landing
 *    outside T … T + horizon − 1 are not in the table.
 * 4. Amount: the row's own, else the average amount of the won rows that have one, else 0.
 * 5. Per period T … T + horizon − 1: open deals landing, pipeline Σ amount, forecast won
 *    Σ probability, forecast revenue Σ probability × amount (≤ pipeline: every probability ≤ 1).
 *
 * Backtest view (needs observed-on and closed-on history columns): for each of the last `horizon`
 * completed periods P before T, from P's start day S:
 * - the snapshot: the history rows observed on D, the latest observed-on day ≤ S, that were still
 *   open at S (closed-on blank or ≥ S); a period with no observation on or before S is skipped;
 * - their rate by stage as in 2, learned from the history rows closed before S;
 * - they land on S + ⌊median(duration − (S − D))⌋ over the won history rows closed before S whose
 *   duration (closed − observed) ≥ S − D (rule 3 with the age counted from the observation; when
 *   D = S, simply the median duration); with none, in P;
 * - forecast P = Σ over the snapshot rows landing in P of rate (× the row's amount, else the
 *   average won amount of the history rows closed before S, else 0);
 * - actual P = the snapshot rows won with closed-on in P (count; Σ amount, a blank one filled
 *   like the forecast's so both sides use the same yardstick).
 * The columns are KPI_COHORT_FORECAST's backtest: error = (forecast − actual) ÷ actual on revenue
 * when the history has amounts, else on counts ('' when actual is 0); actual ÷ forecast ('' when
 * the forecast is 0).
 */
import { hasOwn } from './args';
import type { Cell } from './cohort';
import {
  checkPeriodSpan,
  DAY_MS,
  type DateReader,
  type Period,
  periodLabel,
  periodOfDay,
  periodStartDay,
  type SpanDate,
} from './dates';
import { KpiError, shown } from './errors';
import {
  BACKTEST_HEADER,
  type BadCells,
  type CellRead,
  dayOf,
  type ForecastView,
  NO_DAY,
  readCell,
} from './forecast';
import { type FunnelStage, statusKey } from './funnel';
import { readNumber } from './numbers';
import { knownStage } from './stages';

export const PIPELINE_FORECAST_HEADER = [
  'period',
  'open deals',
  'pipeline',
  'forecast won',
  'forecast revenue',
] as const;

/** Closed deals at least as old as an open deal needed to use their win rate (else overall). */
export const MIN_SIMILAR = 5;

/** History outcomes. */
export const WON = 1;
export const LOST = 0;
export const OPEN = -1;
/** A history row to leave out (blank stage, or an outcome that means `ignore`). */
export const SKIP = -2;

export interface PipelineHistory {
  /** Stage value per history row. */
  stage: readonly unknown[];
  /** WON, LOST, OPEN (blank or an open stage) or SKIP per row. */
  outcome: Int8Array;
  /** Observed-on day per row (NO_DAY: blank); undefined: no such column. */
  observedDay?: Int32Array;
  /** Closed-on day per row (NO_DAY: blank); undefined: no such column. */
  closedDay?: Int32Array;
  /** Amount per row (NaN: none); undefined: no such column. */
  amount?: Float64Array;
}

export interface PipelineInput {
  /** Stage value per deal row. */
  stages: readonly unknown[];
  /** Amount per row (NaN: none). */
  amount: Float64Array;
  /** Expected close date (open) or close date (closed) per row, local day (NO_DAY: blank). */
  closeDay: Int32Array;
  /** Created day per row (NO_DAY: blank); undefined: not given. */
  createdDay?: Int32Array;
  /** What a stage value means (status_map, else knownStage); undefined: unknown (open). */
  stageOf: (value: unknown) => FunnelStage | undefined;
  /** The stage history; undefined: none. */
  history?: PipelineHistory;
  period: Period;
  asOfDay: number;
  view: ForecastView;
  horizon: number;
  /** The as_of cell as given, to name it in an error. */
  asOfCell?: unknown;
}

/** What a stage value means: the status map's word first, else the known stage words (cached). */
export function stageReader(
  table: Record<string, FunnelStage> | undefined,
): (value: unknown) => FunnelStage | undefined {
  const cache = new Map<string, FunnelStage | undefined>();
  return (value) => {
    const key = statusKey(value);
    if (key === '') return undefined;
    if (table !== undefined && hasOwn(table, key)) return table[key];
    if (cache.has(key)) return cache.get(key);
    const stage = knownStage(String(value));
    cache.set(key, stage);
    return stage;
  };
}

const OUTCOME_WORDS: Record<string, number> = {
  true: WON,
  false: LOST,
  '1': WON,
  '0': LOST,
  won: WON,
  lost: LOST,
  受注: WON,
  失注: LOST,
};

/** A history outcome cell: won or lost, TRUE/FALSE, 1/0, a stage word; blank = still open. */
export function readOutcome(
  v: unknown,
  stageOf: (value: unknown) => FunnelStage | undefined,
  row: number,
): number {
  if (v === true) return WON;
  if (v === false) return LOST;
  if (v === 1) return WON;
  if (v === 0) return LOST;
  const key = statusKey(v);
  if (key === '') return OPEN;
  if (typeof v === 'string') {
    if (hasOwn(OUTCOME_WORDS, key)) return OUTCOME_WORDS[key];
    const stage = stageOf(v);
    if (stage === 'won') return WON;
    if (stage === 'lost') return LOST;
    if (stage === 'ignore') return SKIP;
    if (stage !== undefined) return OPEN;
  }
  throw new KpiError('notOutcome', { arg: 'history', row, value: shown(v) });
}

/** An amount cell: a number ≥ 0, NaN when blank; anything else throws naming the row. */
function amountOf(v: unknown, arg: string, row: number): number {
  const x = readNumber(v, arg, row);
  if (x < 0) throw new KpiError('negative', { arg, row, value: shown(v) });
  return x;
}

/** Reads the deal columns of a call (a bad cell throws naming its argument and row). */
export function readPipelineColumns(
  amounts: readonly unknown[],
  closeDates: readonly unknown[],
  created: readonly unknown[] | undefined,
  readers: { close: DateReader; created?: DateReader },
  bad: BadCells = 'error',
): { amount: Float64Array; closeDay: Int32Array; createdDay?: Int32Array } {
  const n = amounts.length;
  const amount = new Float64Array(n);
  const closeDay = new Int32Array(n);
  const createdDay = created ? new Int32Array(n) : undefined;
  const { close, created: createdReader } = readers;
  const closeOf: CellRead<number> = (v, arg, row) => dayOf(close, v, arg, row);
  const createdOf: CellRead<number> | undefined = createdReader
    ? (v, arg, row) => dayOf(createdReader, v, arg, row)
    : undefined;
  for (let i = 0; i < n; i++) {
    amount[i] = readCell(bad, amountOf, amounts[i], 'amounts', i + 1, Number.NaN);
    closeDay[i] = readCell(bad, closeOf, closeDates[i], 'close_dates', i + 1, NO_DAY);
    if (createdDay && created && createdOf)
      createdDay[i] = readCell(bad, createdOf, created[i], 'created_dates', i + 1, NO_DAY);
  }
  return { amount, closeDay, createdDay };
}

/**
 * Reads the history rows (2–5 columns: stage | outcome [| observed on | closed on | amount]);
 * rows with every cell blank are left out. `readers` read the observed-on and closed-on columns.
 */
export function readPipelineHistory(
  rows: readonly (readonly unknown[])[],
  stageOf: (value: unknown) => FunnelStage | undefined,
  readers: { observed?: DateReader; closed?: DateReader },
): PipelineHistory {
  const width = rows.length > 0 ? rows[0].length : 2;
  const n = rows.length;
  const stage = new Array<unknown>(n);
  const outcome = new Int8Array(n);
  const observedDay = width >= 3 ? new Int32Array(n) : undefined;
  const closedDay = width >= 4 ? new Int32Array(n) : undefined;
  const amount = width >= 5 ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    stage[i] = r[0];
    outcome[i] = statusKey(r[0]) === '' ? SKIP : readOutcome(r[1], stageOf, i + 1);
    if (observedDay && readers.observed)
      observedDay[i] = dayOf(readers.observed, r[2], 'history', i + 1);
    if (closedDay && readers.closed) closedDay[i] = dayOf(readers.closed, r[3], 'history', i + 1);
    if (amount) amount[i] = amountOf(r[4], 'history', i + 1);
  }
  return { stage, outcome, observedDay, closedDay, amount };
}

/** Win rates by stage key, with the overall rate for a stage not seen (0 with no outcome). */
class StageRates {
  private readonly byStage = new Map<string, [number, number]>();
  private won = 0;
  private closed = 0;

  add(stage: unknown, won: boolean): void {
    const key = statusKey(stage);
    let c = this.byStage.get(key);
    if (c === undefined) {
      c = [0, 0];
      this.byStage.set(key, c);
    }
    if (won) {
      c[0]++;
      this.won++;
    }
    c[1]++;
    this.closed++;
  }

  rate(stage: unknown): number {
    const c = this.byStage.get(statusKey(stage));
    if (c !== undefined) return c[0] / c[1];
    return this.closed > 0 ? this.won / this.closed : 0;
  }
}

/** The median of a sorted run xs[from …]; NaN when empty. */
function medianFrom(xs: Float64Array | number[], from: number): number {
  const m = xs.length - from;
  if (m <= 0) return Number.NaN;
  const mid = from + (m >> 1);
  return m % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** The first index of a sorted array whose value is ≥ x. */
function lowerBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index of a sorted array whose value is > x. */
function upperBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const DEAL_OPEN = 1;
const DEAL_WON = 2;
const DEAL_LOST = 3;

/** A deal row's kind from its stage; 0: skipped (blank, ignore, or not a deal yet). */
function dealKind(v: unknown, stageOf: (value: unknown) => FunnelStage | undefined): number {
  if (statusKey(v) === '') return 0;
  const s = stageOf(v);
  // Not a deal yet: a lead, an MQL or a SAL (a lead tab's rows before they became deals).
  if (s === 'ignore' || s === 'lead' || s === 'mql' || s === 'sal' || s === 'nurture') return 0;
  return s === 'won' ? DEAL_WON : s === 'lost' ? DEAL_LOST : DEAL_OPEN;
}

/** KPI_PIPELINE_FORECAST's table (header row first; never ragged). */
export function pipelineForecast(x: PipelineInput): Cell[][] {
  if (!Number.isInteger(x.horizon) || x.horizon < 1)
    throw new KpiError('notWhole', { arg: 'horizon', row: 1, value: String(x.horizon), min: 1 });
  return x.view === 'backtest' ? backtest(x) : forecast(x);
}

function forecast(x: PipelineInput): Cell[][] {
  const { stages, amount, closeDay, createdDay, asOfDay, period, horizon } = x;
  const T = periodOfDay(asOfDay, period);
  const last = T + horizon - 1;
  checkPeriodSpan(T, last, period, () => [{ p: last, arg: 'horizon', row: 1, value: horizon }]);
  const n = stages.length;
  const kind = new Int8Array(n);
  let won = 0;
  let lost = 0;
  let wonAmount = 0;
  let wonAmounts = 0;
  // Cycles (close − created, days) of the won and of the lost deals with both dates.
  const wonDated = new Float64Array(n);
  const lostDated = new Float64Array(n);
  let datedWon = 0;
  let datedLost = 0;
  // What each stage text means, worked out once per distinct text (statusKey normalises it).
  const kindOfText = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = stages[i];
    let k = typeof v === 'string' ? kindOfText.get(v) : undefined;
    if (k === undefined) {
      k = dealKind(v, x.stageOf);
      if (typeof v === 'string') kindOfText.set(v, k);
    }
    kind[i] = k;
    if (k !== DEAL_WON && k !== DEAL_LOST) continue;
    if (k === DEAL_WON) {
      won++;
      if (!Number.isNaN(amount[i])) {
        wonAmount += amount[i];
        wonAmounts++;
      }
    } else lost++;
    const c = createdDay ? createdDay[i] : NO_DAY;
    if (c !== NO_DAY && closeDay[i] !== NO_DAY) {
      if (k === DEAL_WON) wonDated[datedWon++] = closeDay[i] - c;
      else lostDated[datedLost++] = closeDay[i] - c;
    }
  }
  const overall = won + lost > 0 ? won / (won + lost) : 0;
  // Age-conditional rates only where both outcomes are dated alike: a lead tab whose lost deals
  // carry no closing date (only won dates) would make every deal of a known age look won.
  const byAge = datedWon >= 0.8 * won && datedLost >= 0.8 * lost;
  const averageWon = wonAmounts > 0 ? wonAmount / wonAmounts : 0;
  // The dated won deals by how long they stayed open: those still open at an age a are the ones
  // from lowerBound(…, a) on.
  const cycles = wonDated.subarray(0, datedWon).sort();
  const lostCycles = lostDated.subarray(0, datedLost).sort();
  const eventWin =
    byAge && !x.history && createdDay ? winByAge(cycles, lostCycles, openAges(x, kind)) : undefined;

  let rates: StageRates | undefined;
  if (x.history) {
    rates = new StageRates();
    const h = x.history;
    for (let i = 0; i < h.outcome.length; i++) {
      if (h.outcome[i] === WON || h.outcome[i] === LOST)
        rates.add(h.stage[i], h.outcome[i] === WON);
    }
  }

  const count = new Float64Array(horizon);
  const pipeline = new Float64Array(horizon);
  const forecastWon = new Float64Array(horizon);
  const revenue = new Float64Array(horizon);
  for (let i = 0; i < n; i++) {
    if (kind[i] !== DEAL_OPEN) continue;
    const c = createdDay ? createdDay[i] : NO_DAY;
    if (c !== NO_DAY && c > asOfDay) continue;
    const age = c === NO_DAY ? Number.NaN : asOfDay - c;
    // The dated won deals still open at this age.
    const wonFrom = Number.isNaN(age) ? cycles.length : lowerBound(cycles, age);
    let land = closeDay[i];
    if (land === NO_DAY || land < asOfDay) {
      const m = medianFrom(cycles, wonFrom);
      land = Number.isNaN(m) ? asOfDay : asOfDay + Math.floor(m - age);
    }
    const q = periodOfDay(land, period);
    if (q < T || q > last) continue;
    let p: number;
    if (rates) p = rates.rate(stages[i]);
    else if (Number.isNaN(age)) p = overall;
    else {
      // No won deal ever stayed open this long (of at least MIN_SIMILAR dated won deals): none
      // of the deals still open at this age was won — whatever the lost deals' dating, 0.
      if (cycles.length >= MIN_SIMILAR && wonFrom === cycles.length) p = 0;
      else {
        const k = eventWin ? lowerBound(eventWin.times, age) : 0;
        p =
          eventWin && k < eventWin.times.length && eventWin.atRisk[k] >= MIN_SIMILAR
            ? eventWin.win[k]
            : overall;
      }
    }
    const a = Number.isNaN(amount[i]) ? averageWon : amount[i];
    const j = q - T;
    count[j]++;
    pipeline[j] += a;
    forecastWon[j] += p;
    revenue[j] += p * a;
  }
  const out: Cell[][] = [[...PIPELINE_FORECAST_HEADER]];
  for (let j = 0; j < horizon; j++)
    out.push([periodLabel(T + j, period), count[j], pipeline[j], forecastWon[j], revenue[j]]);
  return out;
}

/** The ages (as_of − created) of the open deals created on or before as_of, sorted. */
function openAges(x: PipelineInput, kind: Int8Array): Float64Array {
  const { createdDay, asOfDay } = x;
  const ages: number[] = [];
  if (createdDay) {
    for (let i = 0; i < kind.length; i++) {
      const c = createdDay[i];
      if (kind[i] === DEAL_OPEN && c !== NO_DAY && c <= asOfDay) ages.push(asOfDay - c);
    }
  }
  return Float64Array.from(ages).sort();
}

/**
 * The eventual-win probability of a deal still open just before each event time (Aalen–Johansen
 * with won and lost as competing outcomes, open deals censored at their age): the distinct
 * cycles of the dated closed deals (sorted), the deals at risk at each and W there.
 */
function winByAge(
  wonCycles: Float64Array,
  lostCycles: Float64Array,
  ages: Float64Array,
): { times: Float64Array; atRisk: Float64Array; win: Float64Array } {
  const all = new Float64Array(wonCycles.length + lostCycles.length);
  all.set(wonCycles);
  all.set(lostCycles, wonCycles.length);
  all.sort();
  const distinct: number[] = [];
  for (let j = 0; j < all.length; j++) if (j === 0 || all[j] !== all[j - 1]) distinct.push(all[j]);
  const times = Float64Array.from(distinct);
  const m = times.length;
  const atRisk = new Float64Array(m);
  const win = new Float64Array(m);
  let next = 0;
  for (let i = m - 1; i >= 0; i--) {
    const t = times[i];
    // Closed deals with cycle ≥ t, open deals of age ≥ t; won and lost exactly at t.
    const wonAt = lowerBound(wonCycles, t);
    const lostAt = lowerBound(lostCycles, t);
    const n = all.length - lowerBound(all, t) + ages.length - lowerBound(ages, t);
    const w = upperBound(wonCycles, t) - wonAt;
    const l = upperBound(lostCycles, t) - lostAt;
    atRisk[i] = n;
    next = w / n + (1 - (w + l) / n) * next;
    win[i] = next;
  }
  return { times, atRisk, win };
}

const money = (v: number): Cell => (Number.isNaN(v) ? '' : v);

function backtest(x: PipelineInput): Cell[][] {
  const h = x.history;
  if (!h?.observedDay || !h.closedDay) throw new KpiError('noStageHistory');
  const { observedDay, closedDay, outcome, stage } = h;
  const { period, asOfDay, horizon } = x;
  const out: Cell[][] = [[...BACKTEST_HEADER]];
  const T = periodOfDay(asOfDay, period);
  const n = outcome.length;
  let firstObserved = Number.POSITIVE_INFINITY;
  let firstRow = 0;
  for (let i = 0; i < n; i++) {
    const d = observedDay[i];
    if (outcome[i] !== SKIP && d !== NO_DAY && d < firstObserved) {
      firstObserved = d;
      firstRow = i;
    }
  }
  if (firstObserved === Number.POSITIVE_INFINITY) return out;
  // The first period whose start day has an observation on or before it.
  let P0 = periodOfDay(firstObserved, period);
  if (periodStartDay(P0, period) < firstObserved) P0++;
  const lo = Math.max(T - horizon, P0);
  if (lo > T - 1) return out;
  checkPeriodSpan(lo, T - 1, period, () => {
    const dates: SpanDate[] = [{ p: T, arg: 'as_of', row: 1, value: x.asOfCell ?? '' }];
    // The earliest observation, written as a date (the cell itself is not at hand here).
    const value = new Date(firstObserved * DAY_MS).toISOString().slice(0, 10);
    if (lo === P0) dates.push({ p: P0, arg: 'history', row: firstRow + 1, value });
    else dates.push({ p: lo, arg: 'horizon', row: 1, value: horizon });
    return dates;
  });
  const amounts = h.amount;
  for (let P = lo; P < T; P++) {
    const S = periodStartDay(P, period);
    const E = periodStartDay(P + 1, period);
    // The snapshot day D: the latest observation on or before S.
    let D = NO_DAY;
    for (let i = 0; i < n; i++) {
      const d = observedDay[i];
      if (outcome[i] !== SKIP && d !== NO_DAY && d <= S && d > D) D = d;
    }
    if (D === NO_DAY) continue;
    // What was known at S: the history rows closed before it.
    const rates = new StageRates();
    const durations: number[] = [];
    let wonAmount = 0;
    let wonAmounts = 0;
    for (let i = 0; i < n; i++) {
      const o = outcome[i];
      const c = closedDay[i];
      if ((o !== WON && o !== LOST) || c === NO_DAY || c >= S) continue;
      rates.add(stage[i], o === WON);
      if (o !== WON) continue;
      if (observedDay[i] !== NO_DAY) durations.push(c - observedDay[i]);
      if (amounts && !Number.isNaN(amounts[i])) {
        wonAmount += amounts[i];
        wonAmounts++;
      }
    }
    const averageWon = wonAmounts > 0 ? wonAmount / wonAmounts : 0;
    const sorted = Float64Array.from(durations).sort();
    const age = S - D;
    const m = medianFrom(sorted, lowerBound(sorted, age));
    const land = Number.isNaN(m) ? S : S + Math.floor(m - age);
    const inP = land < E;
    let f = 0;
    let fRevenue = 0;
    let actual = 0;
    let aRevenue = 0;
    for (let i = 0; i < n; i++) {
      const o = outcome[i];
      const c = closedDay[i];
      if (o === SKIP || observedDay[i] !== D || (c !== NO_DAY && c < S)) continue;
      const a = amounts && !Number.isNaN(amounts[i]) ? amounts[i] : averageWon;
      if (inP) {
        const r = rates.rate(stage[i]);
        f += r;
        fRevenue += r * a;
      }
      if (o === WON && c !== NO_DAY && c < E) {
        actual++;
        aRevenue += a;
      }
    }
    const [fv, av] = amounts ? [fRevenue, aRevenue] : [f, actual];
    out.push([
      periodLabel(P, period),
      f,
      actual,
      money(amounts ? fRevenue : Number.NaN),
      money(amounts ? aRevenue : Number.NaN),
      av > 0 ? (fv - av) / av : '',
      fv > 0 ? av / fv : '',
    ]);
  }
  return out;
}
