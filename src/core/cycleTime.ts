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
import { type Cell, MAX_PERIODS } from './cohort';
import { DAY_MS, DateReader, type Period, periodLabel, periodOfDay, type ZoneClock } from './dates';
import { KpiError, shown } from './errors';

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

/** One dated cell, for naming the suspicious one when a span is too wide. */
export interface SpanDate {
  /** Period index. */
  p: number;
  arg: string;
  row: number;
  value: unknown;
}

/**
 * The rule of cohort.ts: a result wider than MAX_PERIODS is refused, naming the date farthest
 * from the median period (the one most likely mistyped). `dates` runs on the error path only.
 */
export function checkPeriodSpan(
  lo: number,
  hi: number,
  period: Period,
  dates: () => SpanDate[],
): void {
  const count = hi - lo + 1;
  if (count <= MAX_PERIODS) return;
  const found = dates();
  const sorted = found.map((f) => f.p).sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  let worst = found[0];
  for (const f of found) if (Math.abs(f.p - median) > Math.abs(worst.p - median)) worst = f;
  throw new KpiError('tooManyPeriods', {
    count,
    first: periodLabel(lo, period),
    last: periodLabel(hi, period),
    max: MAX_PERIODS,
    arg: worst.arg,
    row: worst.row,
    value: shown(worst.value),
  });
}

/**
 * Period index − `base` of every day from `firstDay` to `lastDay` (a day → period table: one
 * period computation per distinct day, not per row). The span was checked: ≤ ~55k days.
 */
export function dayToPeriod(
  firstDay: number,
  lastDay: number,
  base: number,
  period: Period,
): Int32Array {
  const table = new Int32Array(lastDay - firstDay + 1);
  let d = firstDay;
  while (d <= lastDay) {
    const p = periodOfDay(d, period);
    // The period's days are consecutive: fill to the day before the next period.
    let e = d + 1;
    if (period === 'week') e = p * 7 - 3 + 7;
    else while (e <= lastDay && periodOfDay(e, period) === p) e++;
    if (e > lastDay + 1) e = lastDay + 1;
    table.fill(p - base, d - firstDay, e - firstDay);
    d = e;
  }
  return table;
}

/** PERCENTILE.INC of the ascending values `a[off … off+len)`, len ≥ 1. */
function percentile(a: Int32Array, off: number, len: number, p: number): number {
  const h = (len - 1) * p;
  const lo = Math.floor(h);
  const v = a[off + lo];
  const frac = h - lo;
  return frac === 0 ? v : v + frac * (a[off + lo + 1] - v);
}

/** Numbers a group column: the same label → the same id, in order of first appearance. */
class GroupIndex {
  private readonly byValue = new Map<unknown, number>();
  private readonly byLabel = new Map<string, number>();
  readonly labels: string[] = [];

  id(v: unknown): number {
    const known = this.byValue.get(v);
    if (known !== undefined) return known;
    const label = v === null || v === undefined ? '' : String(v).trim();
    const key = label === '' ? BLANK_GROUP : label;
    let id = this.byLabel.get(key);
    if (id === undefined) {
      id = this.labels.length;
      this.byLabel.set(key, id);
      this.labels.push(key);
    }
    // Date objects are fresh per cell: remembering them would only grow the map.
    if (typeof v !== 'object' || v === null) this.byValue.set(v, id);
    return id;
  }
}

/**
 * Stable counting sort of values by key: `vals` (ascending) is scattered into `out` so that
 * each key's values lie in `out[start[k] … start[k+1])`, still ascending.
 */
function scatterByKey(
  keys: Int32Array,
  vals: Int32Array,
  m: number,
  nKeys: number,
  keyOf: (k: number) => number,
  counts: Int32Array,
): { out: Int32Array; start: Int32Array } {
  const start = new Int32Array(nKeys + 1);
  for (let k = 0; k < nKeys; k++) start[k + 1] = start[k] + counts[k];
  const pos = start.slice(0, nKeys);
  const out = new Int32Array(m);
  for (let j = 0; j < m; j++) out[pos[keyOf(keys[j])]++] = vals[j];
  return { out, start };
}

interface Rows {
  startDay: Int32Array;
  endDay: Int32Array;
  /** Group id per row (rows with a start), when grouped. */
  groupOf: Int32Array | null;
  minStart: number;
  maxStart: number;
  /** Rows with both dates, and their longest duration in days. */
  closed: number;
  maxDur: number;
}

/** Pass 1: every cell read (a bad one throws), day numbers, the span of starts, the groups. */
function readRows(
  startDates: readonly unknown[],
  endDates: readonly unknown[],
  startReader: DateReader,
  endReader: DateReader,
  group: readonly unknown[] | undefined,
  groups: GroupIndex,
): Rows {
  const n = startDates.length;
  const startDay = new Int32Array(n);
  const endDay = new Int32Array(n);
  const groupOf = group ? new Int32Array(n) : null;
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
    if (ed !== NONE) {
      closed++;
      if (ed - sd > maxDur) maxDur = ed - sd;
    }
    if (sd < minStart) minStart = sd;
    if (sd > maxStart) maxStart = sd;
    // Only rows that count bring a group (a group whose rows all lack a start has no rows).
    if (groupOf !== null && group) groupOf[i] = groups.id(group[i]);
  }
  return { startDay, endDay, groupOf, minStart, maxStart, closed, maxDur };
}

/**
 * Pass 2: per bucket (period × group) the closed rows, open rows, sum of days, and the days
 * themselves — into a histogram per bucket when `hist` has room, else as (bucket, days) pairs.
 */
function fillBuckets(
  rows: Rows,
  table: Int32Array,
  G: number,
  D: number,
  acc: {
    count: Int32Array;
    open: Float64Array;
    sum: Float64Array;
    hist: Int32Array;
    keys: Int32Array;
    days: Int32Array;
  },
): void {
  const { startDay, endDay, groupOf, minStart } = rows;
  const { count, open, sum, hist, keys, days } = acc;
  const byHistogram = hist.length > 0;
  const n = startDay.length;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const s = startDay[i];
    if (s === NONE) continue;
    const b = groupOf !== null ? table[s - minStart] * G + groupOf[i] : table[s - minStart];
    const e = endDay[i];
    if (e === NONE) {
      open[b]++;
      continue;
    }
    const d = e > s ? e - s : 0;
    count[b]++;
    sum[b] += d;
    if (byHistogram) hist[b * D + d]++;
    else {
      keys[m] = b;
      days[m] = d;
      m++;
    }
  }
}

export function cycleTime(
  startDates: readonly unknown[],
  endDates: readonly unknown[],
  opts: CycleTimeOptions,
): Cell[][] {
  const n = startDates.length;
  const { period } = opts;
  const startReader = opts.readers?.start ?? new DateReader(opts.clock);
  const endReader = opts.readers?.end ?? new DateReader(opts.clock);
  const grouped = opts.group !== undefined;
  const groups = new GroupIndex();
  // Each pass is a function of its own: V8 optimises a hot loop with the code around it, and
  // code after a loop that has not run yet deoptimises it.
  const rows = readRows(startDates, endDates, startReader, endReader, opts.group, groups);
  const { startDay, minStart, maxStart, closed, maxDur } = rows;
  const header = (grouped ? CYCLE_GROUP_HEADER : CYCLE_HEADER).slice();
  if (minStart === Number.POSITIVE_INFINITY) {
    return [header, grouped ? [TOTAL, ALL, 0, '', '', '', 0] : [TOTAL, 0, '', '', '', 0]];
  }
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
  const G = grouped ? groups.labels.length : 1;
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
    opts.strategy ??
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
  const hist = strategy === 'histogram' ? new Int32Array(B * D) : new Int32Array(0);
  const keys = new Int32Array(strategy === 'histogram' ? 0 : closed);
  const days = new Int32Array(strategy === 'histogram' ? 0 : closed);
  fillBuckets(rows, table, G, D, { count, open, sum, hist, keys, days });

  // Totals per group and overall.
  const gCount = new Int32Array(G);
  const gSum = new Float64Array(G);
  const gOpen = new Float64Array(G);
  for (let b = 0; b < B; b++) {
    const g = b % G;
    gCount[g] += count[b];
    gSum[g] += sum[b];
    gOpen[g] += open[b];
  }
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
  if (strategy === 'histogram') {
    const gHist = new Int32Array(grouped ? G * D : 0);
    const allHist = new Int32Array(D);
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
    quantiles = (scope) =>
      scope < 0
        ? histQuantiles(allHist, 0, D, allCount)
        : scope < B
          ? histQuantiles(hist, scope * D, D, count[scope])
          : histQuantiles(gHist, (scope - B) * D, D, gCount[scope - B]);
  } else {
    const runs = sortedRuns(keys, days, B, G, grouped, count, gCount, strategy, maxDur);
    quantiles = (scope) => {
      let a = runs.all;
      let off = 0;
      let len = allCount;
      if (scope >= 0 && scope < B) {
        a = runs.byBucket;
        off = runs.bucketStart[scope];
        len = count[scope];
      } else if (scope >= B) {
        a = runs.byGroup;
        off = runs.groupStart[scope - B];
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
      out.push(grouped ? [label, groups.labels[g], ...st] : [label, ...st]);
    }
  }
  if (grouped) {
    for (let g = 0; g < G; g++) {
      out.push([TOTAL, groups.labels[g], ...stats(B + g, gCount[g], gSum[g], gOpen[g])]);
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

/**
 * The days of every bucket, group and of all rows in ascending runs: a counting sort by days
 * then stable scatters by bucket and by group (linear), or — for durations of centuries, a
 * mistyped year — scatters then a sort of each run.
 */
function sortedRuns(
  keys: Int32Array,
  days: Int32Array,
  B: number,
  G: number,
  grouped: boolean,
  count: Int32Array,
  gCount: Int32Array,
  strategy: Strategy,
  maxDur: number,
): {
  byBucket: Int32Array;
  bucketStart: Int32Array;
  byGroup: Int32Array;
  groupStart: Int32Array;
  all: Int32Array;
} {
  const m = keys.length;
  let sortedKeys = keys;
  let all = days;
  if (strategy === 'radix') {
    const pos = new Int32Array(maxDur + 2);
    for (let j = 0; j < m; j++) pos[days[j] + 1]++;
    for (let d = 0; d <= maxDur; d++) pos[d + 1] += pos[d];
    sortedKeys = new Int32Array(m);
    all = new Int32Array(m);
    for (let j = 0; j < m; j++) {
      const at = pos[days[j]]++;
      sortedKeys[at] = keys[j];
      all[at] = days[j];
    }
  }
  const byBucket = scatterByKey(sortedKeys, all, m, B, (k) => k, count);
  const byGroup = grouped
    ? scatterByKey(sortedKeys, all, m, G, (k) => k % G, gCount)
    : { out: new Int32Array(0), start: new Int32Array(1) };
  if (strategy === 'sort') {
    for (let b = 0; b < B; b++) {
      byBucket.out.subarray(byBucket.start[b], byBucket.start[b + 1]).sort();
    }
    for (let g = 0; g < G && grouped; g++) {
      byGroup.out.subarray(byGroup.start[g], byGroup.start[g + 1]).sort();
    }
    all = days.slice().sort();
  }
  return {
    byBucket: byBucket.out,
    bucketStart: byBucket.start,
    byGroup: byGroup.out,
    groupStart: byGroup.start,
    all,
  };
}
