/**
 * Customer retention by start cohort (a chase table of customers):
 *
 *   [period, customers, +0, +1, …, +K], K = as_of period − first start period.
 *
 * One row per start period (cohort) from the first to the last start on or before as_of, gaps
 * included. +k = share of the cohort still a customer at the end of period cohort + k: its end
 * is blank, after as_of (not known yet on as_of), or in a later period. Where cohort + k is after
 * the as_of period the cell is "" (not observable yet); the as_of period itself shows retention
 * up to as_of (as COHORT_CONVERSION does). An end before its start counts as ended in the start
 * period. With companies, one customer per company: its earliest start, and its latest end unless
 * one of its rows is still open.
 */
import type { Cell } from './cohort';
import { CompanyIndex } from './company';
import {
  checkPeriodSpan,
  DAY_MS,
  DateReader,
  dayToPeriod,
  type Period,
  periodLabel,
  periodOfDay,
  type SpanDate,
  type ZoneClock,
} from './dates';

export interface RetentionOptions {
  period: Period;
  clock: ZoneClock;
  /** The as_of cell value ('' or undefined for the default: the latest date of either column). */
  asOf?: unknown;
  /** Company names or e-mails, same length as the dates: one customer per company. */
  companies?: readonly unknown[];
  readers?: { start?: DateReader; end?: DateReader; asOf?: DateReader };
}

/** Sentinel for "no date" in the day arrays. */
const NONE = -2_147_483_648;
/** An end not known on as_of (blank, or after as_of): still a customer. */
const OPEN = 2_147_483_647;

/** Pass 1: every cell read (a bad one throws), day numbers, and the latest day of either. */
function readDays(
  startDates: readonly unknown[],
  endDates: readonly unknown[],
  startReader: DateReader,
  endReader: DateReader,
): { startDay: Int32Array; endDay: Int32Array; maxDay: number } {
  const n = startDates.length;
  const startDay = new Int32Array(n);
  const endDay = new Int32Array(n);
  let maxDay = NONE;
  for (let i = 0; i < n; i++) {
    const s = startReader.read(startDates[i], 'start_dates', i + 1);
    const e = endReader.read(endDates[i], 'end_dates', i + 1);
    const sd = Number.isNaN(s) ? NONE : Math.floor(s / DAY_MS);
    const ed = Number.isNaN(e) ? NONE : Math.floor(e / DAY_MS);
    startDay[i] = sd;
    endDay[i] = ed;
    if (sd > maxDay) maxDay = sd;
    if (ed > maxDay) maxDay = ed;
  }
  return { startDay, endDay, maxDay };
}

/** The earliest and latest start on or before as_of (NONE when there is none). */
function startSpan(
  startDay: Int32Array,
  rows: number,
  asOfDay: number,
): { minStart: number; maxStart: number } {
  let minStart = NONE;
  let maxStart = NONE;
  for (let i = 0; i < rows; i++) {
    const s = startDay[i];
    if (s === NONE || s > asOfDay) continue;
    if (minStart === NONE || s < minStart) minStart = s;
    if (s > maxStart) maxStart = s;
  }
  return { minStart, maxStart };
}

/**
 * Pass 2: customers per cohort, and ended[c × width + L], the customers of cohort c whose end
 * (on or before as_of) is L periods after the cohort's — 0 for an end before the start.
 */
function countCohorts(
  startDay: Int32Array,
  endDay: Int32Array,
  rows: number,
  asOfDay: number,
  minStart: number,
  firstP: number,
  table: Int32Array,
  width: number,
  customers: Float64Array,
  ended: Float64Array,
): void {
  for (let i = 0; i < rows; i++) {
    const s = startDay[i];
    if (s === NONE || s > asOfDay) continue;
    const sp = table[s - minStart];
    const c = sp - firstP;
    customers[c]++;
    const e = endDay[i];
    if (e === NONE || e === OPEN || e > asOfDay) continue;
    ended[c * width + (e > s ? table[e - minStart] - sp : 0)]++;
  }
}

export function retention(
  startDates: readonly unknown[],
  endDates: readonly unknown[],
  opts: RetentionOptions,
): Cell[][] {
  const n = startDates.length;
  const { period } = opts;
  const startReader = opts.readers?.start ?? new DateReader(opts.clock);
  const endReader = opts.readers?.end ?? new DateReader(opts.clock);
  const asOfReader = opts.readers?.asOf ?? new DateReader(opts.clock);
  // Each pass is a function of its own, so that V8 optimises each loop on its own.
  const read = readDays(startDates, endDates, startReader, endReader);
  let startDay = read.startDay;
  let endDay = read.endDay;
  const maxDay = read.maxDay;
  let asOfDay = maxDay;
  const asOfGiven = opts.asOf !== undefined && opts.asOf !== '';
  if (asOfGiven) {
    const a = asOfReader.read(opts.asOf, 'as_of', 1);
    if (!Number.isNaN(a)) asOfDay = Math.floor(a / DAY_MS);
  }
  const header: Cell[] = ['period', 'customers'];
  if (asOfDay === NONE) return [header];

  // Customers: rows, or companies at their earliest start (rows starting after as_of ignored).
  const rowStart = startDay;
  const rowEnd = endDay;
  let rows = n;
  if (opts.companies) {
    const merged = mergeCompanies(startDay, endDay, opts.companies, asOfDay);
    startDay = merged.startDay;
    endDay = merged.endDay;
    rows = startDay.length;
  }
  const { minStart, maxStart } = startSpan(startDay, rows, asOfDay);
  if (minStart === NONE) return [header];
  const firstP = periodOfDay(minStart, period);
  const asOfP = periodOfDay(asOfDay, period);
  checkPeriodSpan(firstP, asOfP, period, () => {
    // The widest span: starts and ends up to as_of (the default as_of is the latest of them).
    const found: SpanDate[] = [];
    const add = (d: number, arg: string, row: number, value: unknown) => {
      if (d !== NONE && d <= asOfDay) found.push({ p: periodOfDay(d, period), arg, row, value });
    };
    for (let i = 0; i < n; i++) {
      add(rowStart[i], 'start_dates', i + 1, startDates[i]);
      add(rowEnd[i], 'end_dates', i + 1, endDates[i]);
    }
    if (asOfGiven) found.push({ p: asOfP, arg: 'as_of', row: 1, value: opts.asOf });
    return found;
  });
  const cohorts = periodOfDay(maxStart, period) - firstP + 1;
  const K = asOfP - firstP;
  const width = K + 1;
  // Every day that matters lies in [minStart, asOfDay] (ends before their start use the start).
  const table = dayToPeriod(minStart, asOfDay, 0, period);
  const customers = new Float64Array(cohorts);
  /** ended[c * width + L]: customers of cohort c whose end is L periods after the cohort's. */
  const ended = new Float64Array(cohorts * width);
  countCohorts(startDay, endDay, rows, asOfDay, minStart, firstP, table, width, customers, ended);
  for (let k = 0; k <= K; k++) header.push(`+${k}`);
  const out: Cell[][] = [header];
  for (let c = 0; c < cohorts; c++) {
    const n0 = customers[c];
    const observable = K - c; // offsets up to the as_of period
    const row: Cell[] = new Array(2 + width);
    row[0] = periodLabel(firstP + c, period);
    row[1] = n0;
    let gone = 0;
    for (let k = 0; k <= K; k++) {
      gone += ended[c * width + k];
      row[2 + k] = k > observable || n0 === 0 ? '' : (n0 - gone) / n0;
    }
    out.push(row);
  }
  return out;
}

/**
 * Collapses rows into companies (blank company rows are left out): the earliest start on or
 * before as_of; the end is OPEN when any such row's end is blank or after as_of, else the latest.
 */
function mergeCompanies(
  startDay: Int32Array,
  endDay: Int32Array,
  companies: readonly unknown[],
  asOfDay: number,
): { startDay: Int32Array; endDay: Int32Array } {
  const index = new CompanyIndex();
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < startDay.length; i++) {
    const s = startDay[i];
    if (s === NONE || s > asOfDay) continue;
    const j = index.id(companies[i]);
    if (j < 0) continue;
    if (j === start.length) {
      start.push(s);
      end.push(NONE);
    } else if (s < start[j]) start[j] = s;
    const e = endDay[i];
    const known = e !== NONE && e <= asOfDay ? e : OPEN;
    if (end[j] === NONE || known > end[j]) end[j] = known;
  }
  return { startDay: Int32Array.from(start), endDay: Int32Array.from(end) };
}
