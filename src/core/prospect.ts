/**
 * 見込み精度: how each rep's prospect ranks turn out. Per rep × rank: prospects judged, those
 * that became deals within the rank's horizon, the rate, the median days from judgement to deal,
 * and the won amount; a rep whose rate is far from the team's for the same rank is flagged
 * optimistic (their prospects convert less than the team's) or cautious (more).
 *
 * Ways in, one table: `prospectAccuracyOfRanges` reads PROSPECT_ACCURACY's one-column ranges in
 * place (the custom function), `prospectAccuracyOf` the same columns as flat arrays, and
 * `prospectAccuracy` the lead tab already read (LeadRow). All intern owners and ranks to
 * ids and fill typed arrays (owner id, rank id, days to deal or −1, counted amount) that
 * `tabulate` counts per (owner, rank) bucket; medians come from a per-bucket counting sort of the
 * integer day counts (or a typed-array sort of each bucket when the days span too far for that).
 */
import { BLANK_OWNER } from './activity';
import { hasOwn, isBlank, isOmitted } from './args';
import type { Cell } from './cohort';
import { DAY_MS, DateReader, type ZoneClock } from './dates';
import { KpiError, shown } from './errors';
import type { LeadRow } from './leads';
import { readNumber } from './numbers';

export const PROSPECT_HEADER = [
  'owner',
  'rank',
  'judged',
  'became deals',
  'rate',
  'team rate',
  'median days',
  'amount',
  'flag',
];

/** Column of the flag (optimistic / cautious) in PROSPECT_HEADER, for localizeTable. */
export const PROSPECT_FLAG_COL = 8;
/** Days within which a prospect should become a deal, where nothing else is said. */
export const DEFAULT_HORIZON = 180;
export { BLANK_OWNER };

/** How far a rep's rate may stray from the team's before it is flagged. */
const DRIFT = 0.15;
/** Fewer judgements than this say nothing about a rep. */
const MIN_JUDGED = 5;

/** Days per rank (keys as `rankKey` gives them) and the days of every other rank. */
export interface Horizons {
  byRank: ReadonlyMap<string, number>;
  rest: number;
}

export const DEFAULT_HORIZONS: Horizons = { byRank: new Map(), rest: DEFAULT_HORIZON };

/**
 * A rank as it is compared and shown: the cell's text, trimmed, with full-width letters and
 * digits made ASCII (`Ａ` is rank `A`); '' for a blank cell. Case is kept: `a` is not `A`.
 */
export function rankKey(v: unknown): string {
  if (isBlank(v)) return '';
  let s = String(v).trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: range test for non-ASCII
  if (/[^\u0000-\u007f]/.test(s)) s = s.normalize('NFKC').trim();
  return s;
}

function ownerKey(v: unknown): string {
  return isBlank(v) ? '' : String(v).trim();
}

function horizonDays(v: unknown, row: number): number {
  const x = readNumber(v, 'horizons', row);
  // A blank days cell beside a rank says nothing: an error rather than a silent default.
  if (Number.isNaN(x)) throw new KpiError('notNumber', { arg: 'horizons', row, value: shown(v) });
  if (x < 0) throw new KpiError('negative', { arg: 'horizons', row, value: shown(v) });
  return x;
}

/**
 * The horizons argument: omitted → 180 days for every rank; a number (≥ 0) → that for every
 * rank; a two-column range rank | days → per rank, a row whose rank is `*` for the rest (else
 * 180). Rows with a blank rank are skipped; a rank given twice is an error naming both rows.
 */
export function readHorizons(arg: unknown): Horizons {
  if (isOmitted(arg)) return DEFAULT_HORIZONS;
  if (!Array.isArray(arg)) return { byRank: new Map(), rest: horizonDays(arg, 1) };
  const rows: unknown[][] = arg.map((r: unknown) => (Array.isArray(r) ? r : [r]));
  if (rows.length === 0) return DEFAULT_HORIZONS;
  let cols = 0;
  for (const r of rows) if (r.length > cols) cols = r.length;
  if (cols === 1 && rows.length === 1)
    return { byRank: new Map(), rest: horizonDays(rows[0][0], 1) };
  if (cols !== 2) throw new KpiError('notTwoColumns', { arg: 'horizons', cols });
  const byRank = new Map<string, number>();
  const firstRow = new Map<string, number>();
  let rest = DEFAULT_HORIZON;
  for (let i = 0; i < rows.length; i++) {
    const [rank, days] = rows[i];
    const key = rankKey(rank);
    if (key === '') continue;
    const row = i + 1;
    const first = firstRow.get(key);
    if (first !== undefined)
      throw new KpiError('duplicate', { arg: 'horizons', row, value: shown(rank), first });
    firstRow.set(key, row);
    const d = horizonDays(days, row);
    if (key === '*') rest = d;
    else byRank.set(key, d);
  }
  return { byRank, rest };
}

/** Horizons from a settings record (`{A: 90, '*': 120}`), as the lead-tab sheet keeps them. */
export function horizonsOf(record: Readonly<Record<string, number>>): Horizons {
  const byRank = new Map<string, number>();
  let rest = DEFAULT_HORIZON;
  for (const k of Object.keys(record)) {
    if (!hasOwn(record, k)) continue;
    const key = rankKey(k);
    if (key === '*') rest = record[k];
    else if (key !== '') byRank.set(key, record[k]);
  }
  return { byRank, rest };
}

/** Text keys → dense ids, in order of first appearance. */
class Keys {
  readonly keys: string[] = [];
  private readonly ids = new Map<string, number>();
  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
    }
    return id;
  }
}

/**
 * Cell values → ids (through `idOf`). A sheet has few distinct owners and ranks, and comparing a
 * fresh string with a handful of known ones is cheaper than hashing it: the first 16 distinct
 * values are found by a linear scan, the rest in a Map. Objects (Date cells) are not remembered.
 */
class RawIds {
  private readonly few: unknown[] = [];
  private readonly fewIds: number[] = [];
  private readonly many = new Map<unknown, number>();
  constructor(private readonly idOf: (v: unknown) => number) {}
  id(v: unknown): number {
    const few = this.few;
    for (let k = 0; k < few.length; k++) if (few[k] === v) return this.fewIds[k];
    let id = this.many.get(v);
    if (id !== undefined) return id;
    id = this.idOf(v);
    if (typeof v !== 'object' || v === null) {
      if (few.length < 16) {
        few.push(v);
        this.fewIds.push(id);
      } else this.many.set(v, id);
    }
    return id;
  }
}

/** What `tabulate` counts: one entry per judged row. */
interface Judged {
  rows: number;
  owner: Int32Array;
  rank: Int32Array;
  /** Days from judgement to deal (≥ 0) when it became a deal within the horizon, else −1. */
  days: Int32Array;
  /** The amount counted for the row (won deals within the horizon; 0 when not shown). */
  amount: Float64Array;
  /** Whether the amount column has numbers ("" otherwise). */
  showAmount: boolean;
  owners: Keys;
  ranks: Keys;
}

export interface ProspectColumns {
  owners: readonly unknown[];
  ranks: readonly unknown[];
  rankDates: readonly unknown[];
  dealDates: readonly unknown[];
  amounts?: readonly unknown[];
  wonDates?: readonly unknown[];
  horizons?: Horizons;
  clock: ZoneClock;
  /** Readers per date column (each reads ambiguous text in its own order); default DateReader(clock). */
  readers?: { rankDates?: DateReader; dealDates?: DateReader; wonDates?: DateReader };
}

/** A column as Sheets passes a one-column range: rows of one cell, `[[v], [v], …]`. */
export type CellRows = readonly (readonly unknown[])[];

/** The columns as ranges read in place (no flat copy); `rows` of each are read. */
export interface ProspectRanges {
  rows: number;
  owners: CellRows;
  ranks: CellRows;
  rankDates: CellRows;
  dealDates: CellRows;
  amounts?: CellRows;
  wonDates?: CellRows;
  horizons?: Horizons;
  clock: ZoneClock;
  readers?: ProspectColumns['readers'];
}

const asRows = (values: readonly unknown[]): unknown[][] => values.map((v) => [v]);

/**
 * PROSPECT_ACCURACY's table from its columns (same length). A row with a blank rank or rank date
 * is skipped; every other cell of a judged row is read (a cell that is not a date or a number is
 * an error naming the argument and the row). Days are calendar days in the clock's zone. The
 * amount column is "" unless both amounts and won dates are given.
 */
export function prospectAccuracyOf(cols: ProspectColumns): Cell[][] {
  return prospectAccuracyOfRanges({
    ...cols,
    rows: cols.ranks.length,
    owners: asRows(cols.owners),
    ranks: asRows(cols.ranks),
    rankDates: asRows(cols.rankDates),
    dealDates: asRows(cols.dealDates),
    amounts: cols.amounts && asRows(cols.amounts),
    wonDates: cols.wonDates && asRows(cols.wonDates),
  });
}

/**
 * The same from one-column ranges as Sheets passes them, read in place: at 1M rows, copying six
 * ranges into flat arrays first took about a third of the call.
 */
export function prospectAccuracyOfRanges(cols: ProspectRanges): Cell[][] {
  const { owners, ranks, rankDates, dealDates, amounts, wonDates, clock } = cols;
  const horizons = cols.horizons ?? DEFAULT_HORIZONS;
  const rankReader = cols.readers?.rankDates ?? new DateReader(clock);
  const dealReader = cols.readers?.dealDates ?? new DateReader(clock);
  const wonReader = wonDates ? (cols.readers?.wonDates ?? new DateReader(clock)) : undefined;
  const n = cols.rows;
  const ownerKeys = new Keys();
  const rankKeys = new Keys();
  const horizon: number[] = [];
  const ownerIds = new RawIds((v) => ownerKeys.id(ownerKey(v)));
  const rankIds = new RawIds((v) => {
    const key = rankKey(v);
    if (key === '') return -1; // spaces only
    const r = rankKeys.id(key);
    if (r === horizon.length) {
      const h = horizons.byRank.get(key);
      horizon.push(h !== undefined ? h : horizons.rest);
    }
    return r;
  });
  const showAmount = amounts !== undefined && wonDates !== undefined;
  const j: Judged = {
    rows: 0,
    owner: new Int32Array(n),
    rank: new Int32Array(n),
    days: new Int32Array(n),
    amount: new Float64Array(showAmount ? n : 0),
    showAmount,
    owners: ownerKeys,
    ranks: rankKeys,
  };
  j.rows = judgeRows(
    n,
    owners,
    ranks,
    rankDates,
    dealDates,
    amounts,
    wonDates,
    rankReader,
    dealReader,
    wonReader,
    ownerIds,
    rankIds,
    horizon,
    j.owner,
    j.rank,
    j.days,
    j.amount,
  );
  return tabulate(j);
}

/**
 * The loop over the rows: owner and rank ids, days to a deal within the rank's horizon (−1: none)
 * and the amount counted, for every judged row; returns how many were judged. Plain arguments, no
 * options object: the object a call passes has a new hidden class after every full GC, and
 * V8 then threw away this loop's compiled code at its first property read (measured: 2–3× slower
 * calls from the third on, at 1M rows).
 */
function judgeRows(
  n: number,
  owners: CellRows,
  ranks: CellRows,
  rankDates: CellRows,
  dealDates: CellRows,
  amounts: CellRows | undefined,
  wonDates: CellRows | undefined,
  rankReader: DateReader,
  dealReader: DateReader,
  wonReader: DateReader | undefined,
  ownerIds: RawIds,
  rankIds: RawIds,
  horizon: readonly number[],
  owner: Int32Array,
  rank: Int32Array,
  days: Int32Array,
  amount: Float64Array,
): number {
  const showAmount = amount.length > 0;
  let judged = 0;
  for (let i = 0; i < n; i++) {
    const rankRaw = ranks[i][0];
    if (rankRaw === '' || rankRaw === null || rankRaw === undefined) continue;
    const r = rankIds.id(rankRaw);
    if (r < 0) continue;
    const row = i + 1;
    const judgedMs = rankReader.read(rankDates[i][0], 'rank_dates', row);
    if (Number.isNaN(judgedMs)) continue; // blank rank date: not judged
    const o = ownerIds.id(owners[i][0]);
    const dealMs = dealReader.read(dealDates[i][0], 'deal_dates', row);
    let d = -1;
    if (!Number.isNaN(dealMs)) {
      const diff = Math.floor(dealMs / DAY_MS) - Math.floor(judgedMs / DAY_MS);
      if (diff <= horizon[r]) d = diff > 0 ? diff : 0; // a deal before the judgement: 0 days
    }
    // Won dates and amounts are read on every judged row, so that a bad cell is reported
    // whether or not its row became a deal.
    let won = false;
    if (wonReader !== undefined && wonDates !== undefined) {
      const w = wonReader.read(wonDates[i][0], 'won_dates', row);
      won = !Number.isNaN(w);
    }
    if (amounts !== undefined) {
      const a = readNumber(amounts[i][0], 'amounts', row);
      if (showAmount) amount[judged] = d >= 0 && won && !Number.isNaN(a) ? a : 0;
    }
    owner[judged] = o;
    rank[judged] = r;
    days[judged] = d;
    judged++;
  }
  return judged;
}

/**
 * The same table from the lead tab as read for the sheets (dates already day numbers; NaN =
 * blank). `horizonDays` maps a rank to its days, `*` to the rest (else 180). Amounts are always
 * shown (0 where nothing was won), as the prospect sheet has always done.
 */
export function prospectAccuracy(
  rows: readonly LeadRow[],
  horizonDays: Readonly<Record<string, number>>,
): Cell[][] {
  const horizons = horizonsOf(horizonDays);
  const n = rows.length;
  const ownerKeys = new Keys();
  const rankKeys = new Keys();
  const horizon: number[] = [];
  const owner = new Int32Array(n);
  const rank = new Int32Array(n);
  const days = new Int32Array(n);
  const amount = new Float64Array(n);
  let judged = 0;
  for (let i = 0; i < n; i++) {
    const lr = rows[i];
    const key = rankKey(lr.rank);
    if (key === '' || Number.isNaN(lr.rankDate)) continue;
    const r = rankKeys.id(key);
    if (r === horizon.length) horizon.push(horizons.byRank.get(key) ?? horizons.rest);
    let d = -1;
    if (!Number.isNaN(lr.deal)) {
      const diff = lr.deal - lr.rankDate;
      if (diff <= horizon[r]) d = diff > 0 ? diff : 0;
    }
    owner[judged] = ownerKeys.id(ownerKey(lr.owner));
    rank[judged] = r;
    days[judged] = d;
    amount[judged] = d >= 0 && !Number.isNaN(lr.won) && !Number.isNaN(lr.amount) ? lr.amount : 0;
    judged++;
  }
  return tabulate({
    rows: judged,
    owner,
    rank,
    days,
    amount,
    showAmount: true,
    owners: ownerKeys,
    ranks: rankKeys,
  });
}

/** Above this many histogram cells per deal, medians sort each bucket instead. */
const HISTOGRAM_CELLS_PER_DEAL = 4;
const HISTOGRAM_MIN_CELLS = 1 << 16;

/*
 * Each loop over the rows is a small function of its own, taking typed arrays as plain arguments:
 * V8 compiles a hot loop on the fly (on-stack replacement), and code after such a loop that has
 * not run yet deoptimises the whole function, sending the next loop back to the interpreter
 * (measured: a second loop in the same function took 5× the first at 1M rows in a cold call);
 * and an options object read at a loop function's entry has a new hidden class after every full
 * GC, which throws its compiled code away there (see judgeRows).
 */

/**
 * Per bucket: judged, deals and amount; per rank: the team's judged and deals. Returns the
 * largest day count of a deal (−1 when none). Typed arrays as plain arguments (see judgeRows).
 */
function countBuckets(
  n: number,
  owner: Int32Array,
  rank: Int32Array,
  days: Int32Array,
  rowAmount: Float64Array,
  R: number,
  judged: Float64Array,
  deals: Float64Array,
  amount: Float64Array,
  teamJudged: Float64Array,
  teamDeals: Float64Array,
): number {
  const show = rowAmount.length > 0;
  let maxDays = -1;
  for (let i = 0; i < n; i++) {
    const r = rank[i];
    const b = owner[i] * R + r;
    judged[b]++;
    teamJudged[r]++;
    const d = days[i];
    if (d >= 0) {
      deals[b]++;
      teamDeals[r]++;
      if (show) amount[b] += rowAmount[i];
      if (d > maxDays) maxDays = d;
    }
  }
  return maxDays;
}

function tabulate(j: Judged): Cell[][] {
  const O = j.owners.keys.length;
  const R = j.ranks.keys.length;
  const B = O * R;
  const judged = new Float64Array(B);
  const deals = new Float64Array(B);
  const amount = new Float64Array(B);
  const teamJudged = new Float64Array(R);
  const teamDeals = new Float64Array(R);
  const maxDays = countBuckets(
    j.rows,
    j.owner,
    j.rank,
    j.days,
    j.amount,
    R,
    judged,
    deals,
    amount,
    teamJudged,
    teamDeals,
  );
  let totalDeals = 0;
  for (let r = 0; r < R; r++) totalDeals += teamDeals[r];
  const medians = bucketMedians(j, B, R, deals, totalDeals, maxDays);

  // Rows sorted by owner, then rank (code-unit order of the keys; a blank owner sorts first).
  const byKey = (keys: string[]) =>
    keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  const ownerOrder = byKey(j.owners.keys);
  const rankOrder = byKey(j.ranks.keys);
  const out: Cell[][] = [PROSPECT_HEADER.slice()];
  for (const o of ownerOrder) {
    const label = j.owners.keys[o] === '' ? BLANK_OWNER : j.owners.keys[o];
    for (const r of rankOrder) {
      const b = o * R + r;
      const n = judged[b];
      if (n === 0) continue;
      const rate: Cell = n > 0 ? deals[b] / n : '';
      const teamRate: Cell = teamJudged[r] > 0 ? teamDeals[r] / teamJudged[r] : '';
      let flag = '';
      if (n >= MIN_JUDGED && typeof rate === 'number' && typeof teamRate === 'number') {
        if (rate < teamRate - DRIFT) flag = 'optimistic';
        else if (rate > teamRate + DRIFT) flag = 'cautious';
      }
      out.push([
        label,
        j.ranks.keys[r],
        n,
        deals[b],
        rate,
        teamRate,
        deals[b] > 0 ? medians[b] : '',
        j.showAmount ? amount[b] : '',
        flag,
      ]);
    }
  }
  return out;
}

/** hist[b * H + d]: deals of bucket b that took d days. */
function fillHistogram(
  n: number,
  owner: Int32Array,
  rank: Int32Array,
  days: Int32Array,
  R: number,
  H: number,
  hist: Int32Array,
): void {
  for (let i = 0; i < n; i++) {
    const d = days[i];
    if (d >= 0) hist[(owner[i] * R + rank[i]) * H + d]++;
  }
}

/** The deals' day counts grouped by bucket: bucket b's at sorted[start[b] … start[b + 1]). */
function scatterDays(
  n: number,
  owner: Int32Array,
  rank: Int32Array,
  days: Int32Array,
  R: number,
  start: Int32Array,
  sorted: Int32Array,
): void {
  const at = start.slice(0, start.length - 1);
  for (let i = 0; i < n; i++) {
    const d = days[i];
    if (d >= 0) sorted[at[owner[i] * R + rank[i]]++] = d;
  }
}

/**
 * The median of each bucket's day counts (the mean of the two middle ones for an even count).
 * Days are integers in [0, maxDays]: one histogram per bucket when that is small against the
 * number of deals (a counting sort); otherwise the days are scattered into one array grouped by
 * bucket and each bucket's slice is sorted.
 */
function bucketMedians(
  j: Judged,
  B: number,
  R: number,
  deals: Float64Array,
  totalDeals: number,
  maxDays: number,
): Float64Array {
  const medians = new Float64Array(B);
  if (totalDeals === 0) return medians;
  const H = maxDays + 1;
  if (B * H <= Math.max(HISTOGRAM_MIN_CELLS, HISTOGRAM_CELLS_PER_DEAL * totalDeals)) {
    const hist = new Int32Array(B * H);
    fillHistogram(j.rows, j.owner, j.rank, j.days, R, H, hist);
    for (let b = 0; b < B; b++) {
      const c = deals[b];
      if (c === 0) continue;
      const lo = (c - 1) >> 1;
      const hi = c >> 1;
      let seen = 0;
      let loDay = -1;
      const base = b * H;
      for (let d = 0; d < H; d++) {
        seen += hist[base + d];
        if (loDay < 0 && seen > lo) loDay = d;
        if (seen > hi) {
          medians[b] = (loDay + d) / 2;
          break;
        }
      }
    }
    return medians;
  }
  const start = new Int32Array(B + 1);
  for (let b = 0; b < B; b++) start[b + 1] = start[b] + deals[b];
  const sorted = new Int32Array(totalDeals);
  scatterDays(j.rows, j.owner, j.rank, j.days, R, start, sorted);
  for (let b = 0; b < B; b++) {
    const c = start[b + 1] - start[b];
    if (c === 0) continue;
    const s = sorted.subarray(start[b], start[b + 1]).sort();
    medians[b] = (s[(c - 1) >> 1] + s[c >> 1]) / 2;
  }
  return medians;
}
