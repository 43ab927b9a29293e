/**
 * Sales-cycle length (リードタイム): days from a start date to an end date, per period of the
 * start date (and per group).
 *
 *   [period, count, median days, p75 days, mean days, open]            (no group)
 *   [period, group, count, median days, p75 days, mean days, open]     (group)
 *
 * One row per start period from the first to the last, gaps included; with a group, every group
 * (in order of first appearance) in every period, so the grid is full. Then Total rows: one
 * without a group; with one, a Total row per group and a grand total ["Total", "all", …].
 * count = rows with both dates; median / p75 (PERCENTILE.INC) / mean over their durations in
 * calendar days of the sheet's zone, an end before its start counting as 0 days; open = rows
 * with a start and a blank end. A row with a blank start is left out. No durations → "".
 */
import type { Cell } from './cohort';
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
import { KpiError } from './errors';

export const CYCLE_HEADER = ['period', 'count', 'median days', 'p75 days', 'mean days', 'open'];
export const CYCLE_GROUP_HEADER = [
  'period',
  'group',
  'count',
  'median days',
  'p75 days',
  'mean days',
  'open',
];
export const TOTAL = 'Total';
/** The group column of the grand total row. */
export const ALL = 'all';
/** The group of rows whose group cell is blank. */
export const BLANK_GROUP = '(blank)';
/** Sheets holds at most 10 million cells: a larger result could never be written. */
export const MAX_CELLS = 10_000_000;

export interface CycleTimeOptions {
  period: Period;
  clock: ZoneClock;
  /** Group per row (owner, source …), same length as the dates. */
  group?: readonly unknown[];
  /** Readers per argument (each column reads year-last text in its own order). */
  readers?: { start?: DateReader; end?: DateReader };
  /**
   * How the days are ordered (for tests: every strategy gives the same table). Default: the
   * histogram where buckets × days is small, else radix, else sort.
   */
  strategy?: Strategy;
}

/**
 * histogram: a histogram of days per bucket (the usual case: few buckets, days < a few years);
 * radix: a counting sort by days, then stable scatters by bucket and group; sort: scatters, then
 * a sort of each bucket's days (durations of centuries). All linear but the last.
 */
export type Strategy = 'histogram' | 'radix' | 'sort';

/** Sentinel for "no date" in the day arrays. */
const NONE = -2_147_483_648;

/** PERCENTILE.INC of the ascending values `a[off … off+len)`, len ≥ 1. */
function percentile(a: Int32Array, off: number, len: number, p: number): number {
  const h = (len - 1) * p;
  const lo = Math.floor(h);
  const v = a[off + lo];
  const frac = h - lo;
  return frac === 0 ? v : v + frac * (a[off + lo + 1] - v);
}

/*
 * Each loop over the rows is a small function of its own, taking arrays, readers and typed arrays
 * as plain arguments, one loop per function: V8 compiles a hot loop on the fly, and code after a
 * loop that has not run yet deoptimises the whole function; and an object a call builds (an
 * options object, an instance of a class) has a new hidden class after every full GC, so a loop
 * that reads its properties is compiled from the third cold call on with stale feedback and
 * thrown back to the interpreter at the first read (see judgeRows in prospect.ts). Maps, arrays
 * and typed arrays keep their hidden class: groups are numbered with plain maps. The readers are
 * such objects too (readDays inlines their read): that one loop still starts over in the
 * interpreter in those calls and is compiled again during the loop (measured: such calls take
 * no longer than the first two).
 */

/**
 * Pass 1: every cell read (a bad one throws, in row order, start before end) into day numbers;
 * span = [first start day, last start day (±Infinity without a start), rows with both dates,
 * their longest duration in days (≥ 0)].
 */
function readDays(
  startDates: readonly unknown[],
  endDates: readonly unknown[],
  startReader: DateReader,
  endReader: DateReader,
  startDay: Int32Array,
  endDay: Int32Array,
  span: Float64Array,
): void {
  const n = startDay.length;
  let minStart = Number.POSITIVE_INFINITY;
  let maxStart = Number.NEGATIVE_INFINITY;
  let closed = 0;
  let maxDur = 0;
  for (let i = 0; i < n; i++) {
    const s = startReader.read(startDates[i], 'start_dates', i + 1);
    const e = endReader.read(endDates[i], 'end_dates', i + 1);
    const ed = Number.isNaN(e) ? NONE : Math.floor(e / DAY_MS);
    endDay[i] = ed;
    if (Number.isNaN(s)) {
      startDay[i] = NONE;
      continue;
    }
    const sd = Math.floor(s / DAY_MS);
    startDay[i] = sd;
    if (sd < minStart) minStart = sd;
    if (sd > maxStart) maxStart = sd;
    if (ed !== NONE) {
      closed++;
      if (ed - sd > maxDur) maxDur = ed - sd;
    }
  }
  span[0] = minStart;
  span[1] = maxStart;
  span[2] = closed;
  span[3] = maxDur;
}

/** The id of a group value not met before: its label's, or a new one for a new label. */
function newGroupId(
  v: unknown,
  byValue: Map<unknown, number>,
  byLabel: Map<string, number>,
  labels: string[],
): number {
  const label = v === null || v === undefined ? '' : String(v).trim();
  const key = label === '' ? BLANK_GROUP : label;
  let id = byLabel.get(key);
  if (id === undefined) {
    id = labels.length;
    byLabel.set(key, id);
    labels.push(key);
  }
  // Date objects are fresh per cell: remembering them would only grow the map.
  if (typeof v !== 'object' || v === null) byValue.set(v, id);
  return id;
}

/**
 * Group ids of the rows with a start: the same label → the same id, in order of first
 * appearance (a group whose rows all lack a start has no rows, so no id).
 */
function groupIds(
  group: readonly unknown[],
  startDay: Int32Array,
  byValue: Map<unknown, number>,
  byLabel: Map<string, number>,
  labels: string[],
  groupOf: Int32Array,
): void {
  const n = startDay.length;
  for (let i = 0; i < n; i++) {
    if (startDay[i] === NONE) continue;
    const v = group[i];
    const id = byValue.get(v);
    groupOf[i] = id !== undefined ? id : newGroupId(v, byValue, byLabel, labels);
  }
}

/**
 * Pass 2 (histogram): per bucket (period × group) the closed rows, open rows, sum of days, and
 * hist[b * D + days]. Without groups `groupOf` is not read (G = 1).
 */
function fillHistogram(
  startDay: Int32Array,
  endDay: Int32Array,
  groupOf: Int32Array,
  grouped: boolean,
  table: Int32Array,
  minStart: number,
  G: number,
  D: number,
  count: Int32Array,
  open: Float64Array,
  sum: Float64Array,
  hist: Int32Array,
): void {
  const n = startDay.length;
  for (let i = 0; i < n; i++) {
    const s = startDay[i];
    if (s === NONE) continue;
    const b = grouped ? table[s - minStart] * G + groupOf[i] : table[s - minStart];
    const e = endDay[i];
    if (e === NONE) {
      open[b]++;
      continue;
    }
    const d = e > s ? e - s : 0;
    count[b]++;
    sum[b] += d;
    hist[b * D + d]++;
  }
}

/** Pass 2 (radix, sort): the same counts, and the days as (bucket, days) pairs in row order. */
function fillPairs(
  startDay: Int32Array,
  endDay: Int32Array,
  groupOf: Int32Array,
  grouped: boolean,
  table: Int32Array,
  minStart: number,
  G: number,
  count: Int32Array,
  open: Float64Array,
  sum: Float64Array,
  keys: Int32Array,
  days: Int32Array,
): void {
  const n = startDay.length;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const s = startDay[i];
    if (s === NONE) continue;
    const b = grouped ? table[s - minStart] * G + groupOf[i] : table[s - minStart];
    const e = endDay[i];
    if (e === NONE) {
      open[b]++;
      continue;
    }
    const d = e > s ? e - s : 0;
    count[b]++;
    sum[b] += d;
    keys[m] = b;
    days[m] = d;
    m++;
  }
}

/** Per group (b % G) the closed rows, sum of days and open rows of its buckets. */
function groupTotals(
  count: Int32Array,
  sum: Float64Array,
  open: Float64Array,
  G: number,
  gCount: Int32Array,
  gSum: Float64Array,
  gOpen: Float64Array,
): void {
  const B = count.length;
  for (let b = 0; b < B; b++) {
    const g = b % G;
    gCount[g] += count[b];
    gSum[g] += sum[b];
    gOpen[g] += open[b];
  }
}

/** The histograms of the groups (when grouped) and of all rows, from the buckets'. */
function mergeHistograms(
  hist: Int32Array,
  count: Int32Array,
  G: number,
  D: number,
  grouped: boolean,
  gHist: Int32Array,
  allHist: Int32Array,
): void {
  const B = count.length;
  for (let b = 0; b < B; b++) {
    if (count[b] === 0) continue;
    const to = (b % G) * D;
    for (let d = 0, from = b * D; d < D; d++) {
      const c = hist[from + d];
      if (c === 0) continue;
      if (grouped) gHist[to + d] += c;
      allHist[d] += c;
    }
  }
}

export function cycleTime(
  startDates: readonly unknown[],
  endDates: readonly unknown[],
  opts: CycleTimeOptions,
): Cell[][] {
  const n = startDates.length;
  // The options are read here, once: the loops get what they need as arguments.
  const period = opts.period;
  const group = opts.group;
  const readers = opts.readers;
  const startReader = readers?.start ?? new DateReader(opts.clock);
  const endReader = readers?.end ?? new DateReader(opts.clock);
  const forced = opts.strategy;
  const grouped = group !== undefined;

  const startDay = new Int32Array(n);
  const endDay = new Int32Array(n);
  const span = new Float64Array(4);
  readDays(startDates, endDates, startReader, endReader, startDay, endDay, span);
  const closed = span[2] | 0;
  const maxDur = span[3] | 0;
  const labels: string[] = [];
  const groupOf = new Int32Array(grouped ? n : 0);
  if (group !== undefined) {
    groupIds(group, startDay, new Map(), new Map(), labels, groupOf);
  }

  const header = (grouped ? CYCLE_GROUP_HEADER : CYCLE_HEADER).slice();
  if (span[0] === Number.POSITIVE_INFINITY) {
    return [header, grouped ? [TOTAL, ALL, 0, '', '', '', 0] : [TOTAL, 0, '', '', '', 0]];
  }
  const minStart = span[0] | 0;
  const maxStart = span[1] | 0;
  const firstP = periodOfDay(minStart, period);
  const lastP = periodOfDay(maxStart, period);
  checkPeriodSpan(firstP, lastP, period, () => {
    const found: SpanDate[] = [];
    for (let i = 0; i < n; i++) {
      const d = startDay[i];
      if (d !== NONE) {
        found.push({
          p: periodOfDay(d, period),
          arg: 'start_dates',
          row: i + 1,
          value: startDates[i],
        });
      }
    }
    return found;
  });
  const P = lastP - firstP + 1;
  const G = grouped ? labels.length : 1;
  const width = header.length;
  const rowsOut = P * G + (grouped ? G + 1 : 1) + 1;
  if (rowsOut * width > MAX_CELLS) {
    throw new KpiError('tooManyRows', {
      arg: 'group',
      groups: G,
      periods: P,
      rows: rowsOut,
      max: MAX_CELLS,
    });
  }
  const B = P * G;
  const D = maxDur + 1;
  let strategy: Strategy =
    forced ??
    (B * D <= Math.max(1 << 16, n)
      ? 'histogram'
      : D <= Math.max(1 << 16, 2 * closed)
        ? 'radix'
        : 'sort');
  if (strategy === 'histogram' && B * D > 1 << 22) strategy = 'radix'; // a forced one too big

  const table = dayToPeriod(minStart, maxStart, firstP, period);

  // Per bucket (period × group): closed rows, open rows, sum of days, and the days themselves —
  // as a histogram per bucket (days are small integers), else as (bucket, days) pairs.
  const count = new Int32Array(B);
  const open = new Float64Array(B);
  const sum = new Float64Array(B);
  const byHistogram = strategy === 'histogram';
  const hist = new Int32Array(byHistogram ? B * D : 0);
  const keys = new Int32Array(byHistogram ? 0 : closed);
  const days = new Int32Array(byHistogram ? 0 : closed);
  if (byHistogram) {
    fillHistogram(
      startDay,
      endDay,
      groupOf,
      grouped,
      table,
      minStart,
      G,
      D,
      count,
      open,
      sum,
      hist,
    );
  } else {
    fillPairs(startDay, endDay, groupOf, grouped, table, minStart, G, count, open, sum, keys, days);
  }

  // Totals per group and overall.
  const gCount = new Int32Array(G);
  const gSum = new Float64Array(G);
  const gOpen = new Float64Array(G);
  groupTotals(count, sum, open, G, gCount, gSum, gOpen);
  let allCount = 0;
  let allSum = 0;
  let allOpen = 0;
  for (let g = 0; g < G; g++) {
    allCount += gCount[g];
    allSum += gSum[g];
    allOpen += gOpen[g];
  }

  // [median, p75] of a bucket (0 … B−1), a group (B … B+G−1) or of all rows (−1).
  let quantiles: (scope: number) => number[];
  if (byHistogram) {
    const gHist = new Int32Array(grouped ? G * D : 0);
    const allHist = new Int32Array(D);
    mergeHistograms(hist, count, G, D, grouped, gHist, allHist);
    quantiles = (scope) =>
      scope < 0
        ? histQuantiles(allHist, 0, D, allCount)
        : scope < B
          ? histQuantiles(hist, scope * D, D, count[scope])
          : histQuantiles(gHist, (scope - B) * D, D, gCount[scope - B]);
  } else {
    const m = closed;
    // The days in ascending runs: per bucket, per group and of all rows.
    let sortedKeys = keys;
    let all = days;
    if (strategy === 'radix') {
      sortedKeys = new Int32Array(m);
      all = new Int32Array(m);
      sortByDays(keys, days, maxDur, sortedKeys, all);
    }
    const bucketStart = runStarts(count);
    const byBucket = new Int32Array(m);
    scatterByKey(sortedKeys, all, 0, bucketStart, byBucket);
    const groupStart = grouped ? runStarts(gCount) : new Int32Array(1);
    const byGroup = new Int32Array(grouped ? m : 0);
    if (grouped) scatterByKey(sortedKeys, all, G, groupStart, byGroup);
    if (strategy === 'sort') {
      sortRuns(byBucket, bucketStart);
      if (grouped) sortRuns(byGroup, groupStart);
      all = days.slice().sort();
    }
    quantiles = (scope) => {
      let a = all;
      let off = 0;
      let len = allCount;
      if (scope >= 0 && scope < B) {
        a = byBucket;
        off = bucketStart[scope];
        len = count[scope];
      } else if (scope >= B) {
        a = byGroup;
        off = groupStart[scope - B];
        len = gCount[scope - B];
      }
      return [percentile(a, off, len, 0.5), percentile(a, off, len, 0.75)];
    };
  }
  const stats = (scope: number, len: number, total: number, opened: number): Cell[] => {
    if (len === 0) return [0, '', '', '', opened];
    const q = quantiles(scope);
    return [len, q[0], q[1], total / len, opened];
  };

  const out: Cell[][] = [header];
  for (let p = 0; p < P; p++) {
    const label = periodLabel(firstP + p, period);
    for (let g = 0; g < G; g++) {
      const b = p * G + g;
      const st = stats(b, count[b], sum[b], open[b]);
      out.push(grouped ? [label, labels[g], ...st] : [label, ...st]);
    }
  }
  if (grouped) {
    for (let g = 0; g < G; g++) {
      out.push([TOTAL, labels[g], ...stats(B + g, gCount[g], gSum[g], gOpen[g])]);
    }
  }
  const all = stats(-1, allCount, allSum, allOpen);
  out.push(grouped ? [TOTAL, ALL, ...all] : [TOTAL, ...all]);
  return out;
}

/**
 * MEDIAN and PERCENTILE.INC(…, 0.75) of `len` ≥ 1 values held as a histogram: h[off + d] values
 * equal d, for d < D.
 */
function histQuantiles(h: Int32Array, off: number, D: number, len: number): number[] {
  const h50 = (len - 1) * 0.5;
  const h75 = (len - 1) * 0.75;
  const lo50 = Math.floor(h50);
  const lo75 = Math.floor(h75);
  // Values at these 0-based ranks (not always ascending: lo50 + 1 > lo75 for len 2); a rank
  // one past the end is never found, and never used (its weight is 0).
  const ranks = [lo50, lo50 + 1, lo75, lo75 + 1];
  const v = [0, 0, 0, 0];
  let found = 0;
  let seen = 0;
  for (let d = 0; d < D && found < 4; d++) {
    const c = h[off + d];
    if (c === 0) continue;
    const before = seen;
    seen += c;
    for (let r = 0; r < 4; r++) {
      if (ranks[r] >= before && ranks[r] < seen) {
        v[r] = d;
        found++;
      }
    }
    if (seen === len) break;
  }
  return [v[0] + (h50 - lo50) * (v[1] - v[0]), v[2] + (h75 - lo75) * (v[3] - v[2])];
}

/** A stable counting sort of the (key, days) pairs by days (≤ maxDur), into sortedKeys / all. */
function sortByDays(
  keys: Int32Array,
  days: Int32Array,
  maxDur: number,
  sortedKeys: Int32Array,
  all: Int32Array,
): void {
  const m = keys.length;
  const pos = new Int32Array(maxDur + 2);
  for (let j = 0; j < m; j++) pos[days[j] + 1]++;
  for (let d = 0; d <= maxDur; d++) pos[d + 1] += pos[d];
  for (let j = 0; j < m; j++) {
    const at = pos[days[j]]++;
    sortedKeys[at] = keys[j];
    all[at] = days[j];
  }
}

/** Where each key's run starts: start[k] = counts[0] + … + counts[k − 1], k ≤ counts.length. */
function runStarts(counts: Int32Array): Int32Array {
  const nKeys = counts.length;
  const start = new Int32Array(nKeys + 1);
  for (let k = 0; k < nKeys; k++) start[k + 1] = start[k] + counts[k];
  return start;
}

/**
 * Stable counting sort of values by key (the key itself, or key % mod when mod > 0): `vals` is
 * scattered into `out` so that each key's values lie in `out[start[k] … start[k+1])`, in the
 * order they come (ascending when `vals` is).
 */
function scatterByKey(
  keys: Int32Array,
  vals: Int32Array,
  mod: number,
  start: Int32Array,
  out: Int32Array,
): void {
  const pos = start.slice(0, start.length - 1);
  const m = keys.length;
  for (let j = 0; j < m; j++) out[pos[mod > 0 ? keys[j] % mod : keys[j]]++] = vals[j];
}

/** Sorts each run `a[start[k] … start[k+1])` (durations of centuries: the sort strategy). */
function sortRuns(a: Int32Array, start: Int32Array): void {
  for (let k = 0; k + 1 < start.length; k++) a.subarray(start[k], start[k + 1]).sort();
}
