/**
 * npm run bench, part 1 — each custom function of the built bundle against its floor: the
 * tightest loop we could write that produces the SAME counts as the function's result (checked
 * against the function's table in every round), timed on the same kind of fresh cells.
 *
 * - Fresh cells for every timed call, as Sheets delivers them (each call gets freshly marshalled
 *   values): new Date objects (V8 caches a Date's local-time fields once a getter has run) and new
 *   flat strings decoded from bytes (not internalized, no hash computed yet), in new row arrays.
 *   Making them is not timed.
 * - cold: a full GC before each timed call, which also makes V8 compile the function again during
 *   the call, as in a first call (see timeOnce); warm (100k rows only): the third call with only
 *   scavenges since a cold one, the function's optimised code kept.
 * - A time is the CPU time of the call, with V8 on one thread (the machine is shared: wall time
 *   also counts other processes' turns; wall times are in bench/results/latest.json too).
 *   Function and floor alternate; medians of RUNS rounds after two warm-up rounds.
 * - The bundle runs in this process's global scope as script code (one global scope, as in Apps
 *   Script; see tests/helpers/gas.ts). The floors are plain functions in the same process. A last
 *   section calls the same functions in the local runtime's vm context (local/runtime.ts).
 *
 * Floors (what "× floor" means: how many times the floor's time the function takes):
 * - COHORT_CONVERSION chase/month: per row getTime() of the lead cell and, if the conversion cell
 *   is a Date, of it; month of each from a precomputed day → month table (Tokyo days); count leads
 *   per cohort month and conversions per (cohort, months after). That is every count the chase
 *   table shows (its rates are those counts divided).
 * - COHORT_CONVERSION slice/week: the same with a day → ISO week table; leads and conversions
 *   per week.
 * - ACTIVITY_AREA: per row one Map.get of the company cell (a fresh string) in a precomputed
 *   spelling → company table, one Map.get of the owner cell, the activity count added, one bit per
 *   (company, owner) in an Int32Array: activities and distinct companies per owner and in total.
 *   The table is built outside the timing from the generator's own knowledge of which spellings
 *   the function's company rule merges — so the floor does none of the normalising the function
 *   does (NFKC, legal forms, e-mail domains); on "CRM spelling" data there is none to do.
 * - CYCLE_TIME lead → deal by month (and by owner): per row getTime() of the start cell, its month
 *   from the day → month table, one Map.get of the owner cell (by owner); if the end cell is a
 *   Date, its getTime(), days = end day − start day (≥ 0) counted in a per-bucket histogram of
 *   0–120 days (the generator's bound), else an open row. Medians, p75 (PERCENTILE.INC, the
 *   function's own arithmetic) and means come from the histograms and sums, per bucket, per owner
 *   and in total — a counting sort the data's bound makes possible, where the function must sort
 *   durations of any length.
 * - LIST_COVERAGE (2,000 list companies, min_touches 3): per row one Map.get of the company cell
 *   in a precomputed spelling → list slot table (−1 off the list; built from the same table as
 *   ACTIVITY_AREA's floor), one Map.get of the owner cell, the count added to an (owner, slot)
 *   and a (total, slot) sum; a slot is reached at its first touch and has enough when its sum
 *   crosses 3. The list itself is not read at all (the table knows it).
 * - RETENTION by month: per row getTime() of the start (month from the table) and, if the end
 *   cell is a Date, of the end: customers per cohort, ends per (cohort, periods after), the
 *   latest day of either column (the default as_of). The shares are those counts, as the
 *   function divides them.
 * - DEAL_QUADRANTS: per row the target cell compared with 'yes', the temperature with '' and
 *   '高' (the generator's only spellings), the amount added when it is a number, and a won count
 *   when the won cell is an object — the function reads and checks the Date, the floor only sees
 *   that one is there.
 * - PROSPECT_ACCURACY (horizons A 30, B 60, the rest 90 days): per row the rank compared with ''
 *   /'A'/'B', rows with a rank and a Date rank date judged (one Map.get of the owner cell); for a
 *   Date deal cell, days = deal day − rank day, within the rank's horizon → became a deal, counted
 *   in a 0–90-day histogram per (owner, rank), and its amount added when the won cell is an
 *   object. Medians from the histograms, team rates per rank. The function reads and checks every
 *   cell of a judged row (won dates and amounts too); the floor reads only what the counts need.
 * - KPI_COHORT_FORECAST (as_of 20 days before the data's end, month, amounts): per row getTime()
 *   of the lead cell (month from the day → month table; a lead after as_of is skipped with its
 *   conversion, which the data dates after it) and, for a Date conversion cell up to as_of, of
 *   it: leads per cohort, conversions per (cohort, age) and amounts with their count per
 *   conversion month before the as_of month, conversions and amounts in the as_of month. Then
 *   what the table shows: the development per lead r_k (cohorts × ages), the 3 forecasts, their
 *   revenue at the average amount before the as_of month, the month's actuals. "backtest 6": the
 *   same loop also counting, per conversion month, conversions of older cohorts and their
 *   amounts; r_k, forecast and average again for each of the 6 origins.
 * - KPI_PIPELINE_FORECAST (as_of as above, month, horizon 3, no history, status_map, created
 *   dates): per row the stage cell compared with 'Closed Won' / 'Closed Lost' (the data's other
 *   stages are open ones), getTime() of the created cell and of a Date close cell; a won deal's
 *   amount summed; the cycles (close − created) of the dated won and lost deals kept in two
 *   Int32Arrays and sorted (typed-array sort); an open deal created by as_of kept with its age.
 *   Per open deal: a binary search in the won cycles (and, for the rate, the lost ones) gives
 *   the deals still open at its age — win rate won ÷ all of them (the overall rate under 5 or
 *   when under 80 % of won or lost deals are dated; 0 past every won cycle), and an overdue or
 *   blank close date lands at as_of + ⌊median remaining won cycle⌋; open deals, pipeline, forecast
 *   won and revenue summed per landing month. No stage normalising (the function reads each
 *   distinct stage text once), no lead/MQL/SAL words (the data has none).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalRuntime } from '../local/runtime';
import { DIST, loadBundleHere } from '../tests/helpers/gas';

// Times are CPU times of this process (see timeOnce), with V8 on one thread (--single-threaded:
// no concurrent GC, no background compilation). With helper threads, one call's GC sweeping and
// JIT compiling went on after it returned and were charged to the next call (a floor measured
// right after the function took 3–5× its time alone); on one thread each call's work is its own.
// npm run bench passes only --expose-gc, so the bench starts itself again with both.
// BENCH_ONLY=DUCKDB: only part 3 (bench/duckdb-kpis.ts) of npm run bench.
if ((process.env.BENCH_ONLY ?? '').split(',').every((p) => p.toUpperCase() === 'DUCKDB')) {
  process.exit(0);
}
if (!process.execArgv.includes('--single-threaded')) {
  const flags = ['--expose-gc', '--single-threaded'];
  const rest = process.execArgv.filter((a) => !flags.includes(a));
  const child = spawnSync(process.execPath, [...flags, ...rest, import.meta.filename], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}

// BENCH_SIZES=100000,1000000 (two sizes) and BENCH_RUNS=5 override the defaults; BENCH_ONLY=AREA
// times only the functions whose name contains it (BENCH_ONLY=CYCLE,PROSPECT: any of them).
const ONLY = (process.env.BENCH_ONLY ?? '').split(',');
const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : process.env.QUICK
    ? [20_000, 100_000]
    : [100_000, 1_000_000];
const RUNS = (n: number) =>
  Number(process.env.BENCH_RUNS ?? 0) || (n >= 1_000_000 ? 9 : n >= 100_000 ? 15 : 5);
const WARMUP = 2;
const DAY = 86_400_000;
const TOKYO = 9 * 3_600_000;

loadBundleHere({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
type Fn = (...args: unknown[]) => unknown[][];
const g = globalThis as unknown as Record<string, Fn>;
const COHORT_CONVERSION = g.COHORT_CONVERSION;
const ACTIVITY_AREA = g.ACTIVITY_AREA;
const CYCLE_TIME = g.CYCLE_TIME;
const LIST_COVERAGE = g.LIST_COVERAGE;
const RETENTION = g.RETENTION;
const DEAL_QUADRANTS = g.DEAL_QUADRANTS;
const PROSPECT_ACCURACY = g.PROSPECT_ACCURACY;
const KPI_COHORT_FORECAST = g.KPI_COHORT_FORECAST;
const KPI_PIPELINE_FORECAST = g.KPI_PIPELINE_FORECAST;
const gc = (globalThis as { gc?: (o?: { type: 'major' | 'minor' }) => void }).gc as (o?: {
  type: 'major' | 'minor';
}) => void;
if (!gc) throw new Error('run with node --expose-gc');

// ---- data: one seeded generator, kept as numbers and bytes -------------------------------------

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings kept as UTF-8 bytes; `fresh()` decodes new, unshared string objects every time. */
class StringColumn {
  private readonly bytes: Buffer;
  private readonly ends: Uint32Array;
  constructor(values: string[]) {
    this.bytes = Buffer.from(values.join(''));
    this.ends = new Uint32Array(values.length);
    let at = 0;
    values.forEach((v, i) => {
      at += Buffer.byteLength(v);
      this.ends[i] = at;
    });
  }
  /** A column range as Sheets hands it over: one row array per cell. */
  fresh(): string[][] {
    const out: string[][] = new Array(this.ends.length);
    let a = 0;
    for (let i = 0; i < this.ends.length; i++) {
      out[i] = [this.bytes.toString('utf8', a, this.ends[i])];
      a = this.ends[i];
    }
    return out;
  }
}

const COMPANIES = 20_000;
const PEOPLE = 30_000;
const OWNERS = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村'];
const FORMS = ['株式会社{}', '{}株式会社', '(株){}', '{} Inc.', '{}', 'info@{}.co.jp'];
const START = Date.UTC(2024, 0, 1) - TOKYO; // 2024-01-01 00:00 in Tokyo
const SPAN_DAYS = 548;

interface Data {
  n: number;
  lead: Float64Array;
  /** NaN = blank conversion cell. */
  conv: Float64Array;
  comps6: StringColumn;
  crm: StringColumn;
  owners: StringColumn;
  counts: Int32Array;
  /** Spelling → company as the function's company rule sees it (see the header), per column. */
  dict6: Map<string, number>;
  dictCrm: Map<string, number>;
  ownerIds: Map<string, number>;
  companyIds: number;
}

function makeData(n: number): Data {
  const rand = mulberry32(20251122);
  const lead = new Float64Array(n);
  const conv = new Float64Array(n);
  const comps6: string[] = new Array(n);
  const crm: string[] = new Array(n);
  const owners: string[] = new Array(n);
  const counts = new Int32Array(n);
  const dict6 = new Map<string, number>();
  const dictCrm = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const t = START + Math.floor(rand() * SPAN_DAYS * DAY);
    lead[i] = t;
    conv[i] = rand() < 0.3 ? t + Math.floor(rand() * 120 * DAY) : Number.NaN;
    // A market of 20,000 companies, each spelled six ways, and 30,000 free-mail people.
    const c = Math.floor(rand() * COMPANIES);
    const person = rand() < 0.05 ? Math.floor(rand() * PEOPLE) : -1;
    const form = i % FORMS.length;
    const company = `company${c}`;
    if (person >= 0) {
      const mail = `person${person}@gmail.com`;
      comps6[i] = mail;
      crm[i] = mail;
      dict6.set(mail, 2 * COMPANIES + person); // a free-mail address is its own account
      dictCrm.set(mail, 2 * COMPANIES + person);
    } else {
      comps6[i] = FORMS[form].replace('{}', company);
      crm[i] = `株式会社${company}`;
      // The e-mail form is keyed by its domain (company1.co.jp), a company of its own; the other
      // five spellings drop the legal form and meet at company1.
      dict6.set(comps6[i], form === 5 ? COMPANIES + c : c);
      dictCrm.set(crm[i], c);
    }
    counts[i] = 1 + Math.floor(rand() * 4);
    owners[i] = OWNERS[Math.floor(rand() * OWNERS.length)];
  }
  return {
    n,
    lead,
    conv,
    comps6: new StringColumn(comps6),
    crm: new StringColumn(crm),
    owners: new StringColumn(owners),
    counts,
    dict6,
    dictCrm,
    ownerIds: new Map(OWNERS.map((o, i) => [o, i])),
    companyIds: 2 * COMPANIES + PEOPLE,
  };
}

function freshDates(times: Float64Array): unknown[][] {
  const out: unknown[][] = new Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    out[i] = [Number.isNaN(t) ? '' : new Date(t)];
  }
  return out;
}

function freshNumbers(values: Int32Array): number[][] {
  const out: number[][] = new Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = [values[i]];
  return out;
}

/** Number cells, NaN = blank. */
function freshAmounts(values: Float64Array): unknown[][] {
  const out: unknown[][] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = [Number.isNaN(v) ? '' : v];
  }
  return out;
}

/**
 * The columns of the functions added in #11, from a generator of their own (the columns above
 * stay what they were, so earlier figures stay comparable). Row i is lead i of Data: its deal is
 * `conv` (30 %), its customer starts on `lead`.
 */
interface DealData {
  /** Customer end (churn) dates: 15 % end 30–229 days after their start; NaN = still a customer. */
  churn: Float64Array;
  /** Prospect ranks: 'A' 20 %, 'B' 25 %, 'C' 25 %, blank 30 %. */
  ranks: StringColumn;
  /** Rank judged 0–29 days after the lead (a deal may come before it); 2 % of ranked rows blank. */
  rankDate: Float64Array;
  /** Won dates: 40 % of deals, 0–59 days after the deal. */
  won: Float64Array;
  /** An amount on every deal (¥100k–3M); NaN = blank. */
  amounts: Float64Array;
  /** 'yes' 70 % / 'no'. */
  targets: StringColumn;
  /** '高' 40 %, '低' 50 %, blank 10 %. */
  temps: StringColumn;
  /** The 2,000-company target list (every tenth company, as 株式会社company{c}). */
  list: StringColumn;
  /** Activity spelling (comps6) → list slot, −1 off the list (from dict6, see the header). */
  listSlot: Map<string, number>;
}

const LIST_SIZE = 2_000;
const LIST_EVERY = COMPANIES / LIST_SIZE;

function makeDeals(d: Data): DealData {
  const rand = mulberry32(20251124);
  const { n } = d;
  const churn = new Float64Array(n);
  const ranks: string[] = new Array(n);
  const rankDate = new Float64Array(n);
  const won = new Float64Array(n);
  const amounts = new Float64Array(n);
  const targets: string[] = new Array(n);
  const temps: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = d.lead[i];
    const deal = d.conv[i];
    churn[i] = rand() < 0.15 ? t + (30 + Math.floor(rand() * 200)) * DAY : Number.NaN;
    const r = rand();
    ranks[i] = r < 0.3 ? '' : r < 0.5 ? 'A' : r < 0.75 ? 'B' : 'C';
    rankDate[i] =
      ranks[i] !== '' && rand() >= 0.02 ? t + Math.floor(rand() * 30 * DAY) : Number.NaN;
    const isDeal = !Number.isNaN(deal);
    won[i] = isDeal && rand() < 0.4 ? deal + Math.floor(rand() * 60 * DAY) : Number.NaN;
    amounts[i] = isDeal ? (10 + Math.floor(rand() * 290)) * 10_000 : Number.NaN;
    targets[i] = rand() < 0.7 ? 'yes' : 'no';
    const h = rand();
    temps[i] = h < 0.1 ? '' : h < 0.5 ? '高' : '低';
  }
  const list: string[] = [];
  for (let k = 0; k < LIST_SIZE; k++) list.push(`株式会社company${k * LIST_EVERY}`);
  const listSlot = new Map<string, number>();
  for (const [spelling, id] of d.dict6) {
    listSlot.set(spelling, id < COMPANIES && id % LIST_EVERY === 0 ? id / LIST_EVERY : -1);
  }
  return {
    churn,
    ranks: new StringColumn(ranks),
    rankDate,
    won,
    amounts,
    targets: new StringColumn(targets),
    temps: new StringColumn(temps),
    list: new StringColumn(list),
    listSlot,
  };
}

/**
 * The deal export of KPI_PIPELINE_FORECAST (#24), from a generator of its own: one row per deal,
 * created over the same span as the leads.
 */
interface PipelineData {
  /** 'Closed Won' 30 %, 'Closed Lost' 40 %, 'Proposal' 15 %, 'Negotiation' 15 %. */
  stages: StringColumn;
  /** ¥100k–3M; 5 % blank (NaN). */
  amounts: Float64Array;
  /**
   * Close dates: won 0–119 days after created, lost 0–179 days (5 % of closed rows blank); open
   * deals' expected close 0–199 days after created (20 % blank; many overdue at as_of). NaN = blank.
   */
  close: Float64Array;
  created: Float64Array;
}

const WON_STAGE = 'Closed Won';
const LOST_STAGE = 'Closed Lost';
const STATUS_MAP = [
  [WON_STAGE, 'won'],
  [LOST_STAGE, 'lost'],
];

function makePipeline(n: number): PipelineData {
  const rand = mulberry32(20260105);
  const stages: string[] = new Array(n);
  const amounts = new Float64Array(n);
  const close = new Float64Array(n);
  const created = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = START + Math.floor(rand() * SPAN_DAYS * DAY);
    created[i] = t;
    const s = rand();
    stages[i] = s < 0.3 ? WON_STAGE : s < 0.7 ? LOST_STAGE : s < 0.85 ? 'Proposal' : 'Negotiation';
    amounts[i] = rand() < 0.05 ? Number.NaN : (10 + Math.floor(rand() * 290)) * 10_000;
    const closed = s < 0.7;
    const days = s < 0.3 ? 120 : s < 0.7 ? 180 : 200;
    close[i] = rand() < (closed ? 0.05 : 0.2) ? Number.NaN : t + Math.floor(rand() * days * DAY);
  }
  return { stages: new StringColumn(stages), amounts, close, created };
}

/** The forecasts' as_of: 20 days before the end of the generated span (a Tokyo midnight). */
const AS_OF = START + (SPAN_DAYS - 20) * DAY;
const FORECAST_HORIZON = 3;
const BACKTEST_PERIODS = 6;

// ---- period tables (built once, not timed) -------------------------------------------------------

/** Day (Tokyo, from START) → period index from the table's first period; labels as the function writes them. */
interface PeriodTable {
  t0: number;
  of: Int32Array;
  labels: string[];
}

const TABLE_DAYS = 800; // 2024-01-01 … 2026-03: every lead and conversion date of the data

function monthTable(): PeriodTable {
  const of = new Int32Array(TABLE_DAYS);
  const labels: string[] = [];
  for (let d = 0; d < TABLE_DAYS; d++) {
    const day = new Date(START + TOKYO + d * DAY); // UTC fields = Tokyo wall clock
    const m = (day.getUTCFullYear() - 2024) * 12 + day.getUTCMonth();
    of[d] = m;
    labels[m] = `${day.getUTCFullYear()}-${String(day.getUTCMonth() + 1).padStart(2, '0')}`;
  }
  return { t0: START, of, labels };
}

function weekTable(): PeriodTable {
  const of = new Int32Array(TABLE_DAYS);
  const labels: string[] = [];
  const epochDay0 = (START + TOKYO) / DAY; // days since 1970-01-01 of START's Tokyo date
  const firstWeek = Math.floor((epochDay0 + 3) / 7); // ISO weeks: Thursday decides the year
  for (let d = 0; d < TABLE_DAYS; d++) {
    const week = Math.floor((epochDay0 + d + 3) / 7);
    of[d] = week - firstWeek;
    const thursday = week * 7; // epoch day of that week's Thursday
    const y = new Date(thursday * DAY).getUTCFullYear();
    const w = Math.floor((thursday - Date.UTC(y, 0, 1) / DAY) / 7) + 1;
    labels[week - firstWeek] = `${y}-W${String(w).padStart(2, '0')}`;
  }
  return { t0: START, of, labels };
}

// ---- floors ----------------------------------------------------------------------------------------

interface ChaseCounts {
  leads: Float64Array;
  /** hits[cohort * periods + k]: conversions k periods after the cohort's own (≤ 0 → 0). */
  hits: Float64Array;
  periods: number;
}

function floorChase(leads: unknown[][], convs: unknown[][], table: PeriodTable): ChaseCounts {
  const { t0, of } = table;
  const periods = of[of.length - 1] + 1;
  const count = new Float64Array(periods);
  const hits = new Float64Array(periods * periods);
  for (let i = 0; i < leads.length; i++) {
    const lp = of[(((leads[i][0] as Date).getTime() - t0) / DAY) | 0];
    count[lp]++;
    const c = convs[i][0];
    if (typeof c === 'object') {
      const cp = of[(((c as Date).getTime() - t0) / DAY) | 0];
      hits[lp * periods + (cp > lp ? cp - lp : 0)]++;
    }
  }
  return { leads: count, hits, periods };
}

function floorSlice(
  leads: unknown[][],
  convs: unknown[][],
  table: PeriodTable,
): { leads: Float64Array; convs: Float64Array } {
  const { t0, of } = table;
  const periods = of[of.length - 1] + 1;
  const l = new Float64Array(periods);
  const c = new Float64Array(periods);
  for (let i = 0; i < leads.length; i++) {
    l[of[(((leads[i][0] as Date).getTime() - t0) / DAY) | 0]]++;
    const v = convs[i][0];
    if (typeof v === 'object') c[of[(((v as Date).getTime() - t0) / DAY) | 0]]++;
  }
  return { leads: l, convs: c };
}

interface AreaCounts {
  acts: Float64Array;
  reach: Float64Array;
  totalActs: number;
  total: number;
}

function floorArea(
  comps: string[][],
  counts: number[][],
  owners: string[][],
  dict: Map<string, number>,
  ownerIds: Map<string, number>,
  companyIds: number,
): AreaCounts {
  const acts = new Float64Array(ownerIds.size);
  const reach = new Float64Array(ownerIds.size);
  const seen = new Int32Array(companyIds);
  let totalActs = 0;
  let total = 0;
  for (let i = 0; i < comps.length; i++) {
    const c = dict.get(comps[i][0]) as number;
    const o = ownerIds.get(owners[i][0]) as number;
    const a = counts[i][0];
    acts[o] += a;
    totalActs += a;
    const bit = 1 << o;
    const s = seen[c];
    if (s === 0) total++;
    if ((s & bit) === 0) {
      seen[c] = s | bit;
      reach[o]++;
    }
  }
  return { acts, reach, totalActs, total };
}

// ---- floors of the functions added in #11 ------------------------------------------------------------

/** Durations in the data are 0–120 days (a deal comes < 120 × 24 h after its lead). */
const CYCLE_H = 121;

/** The k-th smallest (0-based) of the values counted in hist[base … base + h). */
function kth(hist: Int32Array, base: number, h: number, k: number): number {
  let seen = 0;
  for (let d = 0; d < h; d++) {
    seen += hist[base + d];
    if (seen > k) return d;
  }
  return Number.NaN;
}

/** PERCENTILE.INC from a histogram, with the function's own arithmetic. */
function histPercentile(hist: Int32Array, base: number, h: number, len: number, p: number) {
  const at = (len - 1) * p;
  const lo = Math.floor(at);
  const v = kth(hist, base, h, lo);
  const frac = at - lo;
  return frac === 0 ? v : v + frac * (kth(hist, base, h, lo + 1) - v);
}

interface CycleCounts {
  P: number;
  G: number;
  /** Slots: buckets p * G + g, then (grouped) one per group, then the grand total. */
  count: Float64Array;
  sum: Float64Array;
  open: Float64Array;
  median: Float64Array;
  p75: Float64Array;
}

function floorCycle(
  starts: unknown[][],
  ends: unknown[][],
  groups: string[][] | undefined,
  table: PeriodTable,
  ownerIds: Map<string, number>,
): CycleCounts {
  const { t0, of } = table;
  const P = of[of.length - 1] + 1;
  const G = groups ? ownerIds.size : 1;
  const B = P * G;
  const S = groups ? B + G + 1 : B + 1;
  const H = CYCLE_H;
  const count = new Float64Array(S);
  const sum = new Float64Array(S);
  const open = new Float64Array(S);
  const hist = new Int32Array(S * H);
  for (let i = 0; i < starts.length; i++) {
    const sd = (((starts[i][0] as Date).getTime() - t0) / DAY) | 0;
    const b = groups ? of[sd] * G + (ownerIds.get(groups[i][0]) as number) : of[sd];
    const e = ends[i][0];
    if (typeof e === 'object') {
      const ed = (((e as Date).getTime() - t0) / DAY) | 0;
      const d = ed > sd ? ed - sd : 0;
      count[b]++;
      sum[b] += d;
      hist[b * H + d]++;
    } else open[b]++;
  }
  // Group totals and the grand total, summed over the buckets in the function's order.
  const fold = (from: number, to: number) => {
    count[to] += count[from];
    sum[to] += sum[from];
    open[to] += open[from];
    for (let d = 0; d < H; d++) hist[to * H + d] += hist[from * H + d];
  };
  if (groups) for (let b = 0; b < B; b++) fold(b, B + (b % G));
  for (let b = 0; b < B; b++) fold(b, S - 1);
  const median = new Float64Array(S);
  const p75 = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    if (count[s] === 0) continue;
    median[s] = histPercentile(hist, s * H, H, count[s], 0.5);
    p75[s] = histPercentile(hist, s * H, H, count[s], 0.75);
  }
  return { P, G, count, sum, open, median, p75 };
}

interface RetentionCounts {
  P: number;
  customers: Float64Array;
  /** ended[c * P + L]: customers of cohort c whose end is L periods after it (end ≤ start → 0). */
  ended: Float64Array;
  asOfP: number;
}

function floorRetention(starts: unknown[][], ends: unknown[][], table: PeriodTable) {
  const { t0, of } = table;
  const P = of[of.length - 1] + 1;
  const customers = new Float64Array(P);
  const ended = new Float64Array(P * P);
  let maxDay = -1;
  for (let i = 0; i < starts.length; i++) {
    const sd = (((starts[i][0] as Date).getTime() - t0) / DAY) | 0;
    const sp = of[sd];
    customers[sp]++;
    if (sd > maxDay) maxDay = sd;
    const e = ends[i][0];
    if (typeof e === 'object') {
      const ed = (((e as Date).getTime() - t0) / DAY) | 0;
      if (ed > maxDay) maxDay = ed;
      ended[sp * P + (ed > sd ? of[ed] - sp : 0)]++;
    }
  }
  // as_of defaults to the latest date of either column.
  return { P, customers, ended, asOfP: of[maxDay] } satisfies RetentionCounts;
}

interface ListCounts {
  /** Per owner id, then the Total at index owners. */
  list: Float64Array;
  off: Float64Array;
  reached: Float64Array;
  enough: Float64Array;
}

const MIN_TOUCHES = 3;

function floorList(
  comps: string[][],
  counts: number[][],
  owners: string[][],
  slotOf: Map<string, number>,
  ownerIds: Map<string, number>,
): ListCounts {
  const O = ownerIds.size;
  const L = LIST_SIZE;
  const list = new Float64Array(O + 1);
  const off = new Float64Array(O + 1);
  const reached = new Float64Array(O + 1);
  const enough = new Float64Array(O + 1);
  const sums = new Float64Array((O + 1) * L);
  for (let i = 0; i < comps.length; i++) {
    const s = slotOf.get(comps[i][0]) as number;
    const o = ownerIds.get(owners[i][0]) as number;
    const a = counts[i][0];
    if (s < 0) {
      off[o] += a;
      off[O] += a;
      continue;
    }
    list[o] += a;
    list[O] += a;
    // Counts are ≥ 1: a slot is reached at its first touch, has enough when it crosses the min.
    let j = o * L + s;
    let prev = sums[j];
    sums[j] = prev + a;
    if (prev === 0) reached[o]++;
    if (prev < MIN_TOUCHES && prev + a >= MIN_TOUCHES) enough[o]++;
    j = O * L + s;
    prev = sums[j];
    sums[j] = prev + a;
    if (prev === 0) reached[O]++;
    if (prev < MIN_TOUCHES && prev + a >= MIN_TOUCHES) enough[O]++;
  }
  return { list, off, reached, enough };
}

interface QuadrantCounts {
  /** Buckets: target/hot, target/cold, non-target/hot, non-target/cold, no temperature. */
  deals: Float64Array;
  amount: Float64Array;
  hasAmount: Uint8Array;
  won: Float64Array;
}

function floorQuadrants(
  targets: string[][],
  temps: string[][],
  amounts: unknown[][],
  wons: unknown[][],
): QuadrantCounts {
  const deals = new Float64Array(5);
  const amount = new Float64Array(5);
  const hasAmount = new Uint8Array(5);
  const won = new Float64Array(5);
  for (let i = 0; i < targets.length; i++) {
    const temp = temps[i][0];
    const b = temp === '' ? 4 : (targets[i][0] === 'yes' ? 0 : 2) + (temp === '高' ? 0 : 1);
    deals[b]++;
    const a = amounts[i][0];
    if (typeof a === 'number') {
      amount[b] += a;
      hasAmount[b] = 1;
    }
    if (typeof wons[i][0] === 'object') won[b]++;
  }
  return { deals, amount, hasAmount, won };
}

/** Horizons of ranks A, B and the rest (C), in days; what the PROSPECT_ACCURACY case passes. */
const PROSPECT_HORIZONS = [30, 60, 90];
const PROSPECT_H = 91;
const PROSPECT_RANKS = ['A', 'B', 'C'];

interface ProspectCounts {
  /** Buckets owner id * 3 + rank (A, B, C). */
  judged: Float64Array;
  became: Float64Array;
  amount: Float64Array;
  median: Float64Array;
  teamJudged: Float64Array;
  teamBecame: Float64Array;
}

function floorProspect(
  owners: string[][],
  ranks: string[][],
  rankDates: unknown[][],
  deals: unknown[][],
  amounts: unknown[][],
  wons: unknown[][],
  ownerIds: Map<string, number>,
): ProspectCounts {
  const B = ownerIds.size * 3;
  const H = PROSPECT_H;
  const judged = new Float64Array(B);
  const became = new Float64Array(B);
  const amount = new Float64Array(B);
  const hist = new Int32Array(B * H);
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i][0];
    if (r === '') continue;
    const rd = rankDates[i][0];
    if (typeof rd !== 'object') continue;
    const k = r === 'A' ? 0 : r === 'B' ? 1 : 2;
    const b = (ownerIds.get(owners[i][0]) as number) * 3 + k;
    judged[b]++;
    const dd = deals[i][0];
    if (typeof dd !== 'object') continue;
    const diff =
      ((((dd as Date).getTime() - START) / DAY) | 0) -
      ((((rd as Date).getTime() - START) / DAY) | 0);
    if (diff > PROSPECT_HORIZONS[k]) continue;
    became[b]++;
    hist[b * H + (diff > 0 ? diff : 0)]++;
    if (typeof wons[i][0] === 'object') {
      const a = amounts[i][0];
      if (typeof a === 'number') amount[b] += a;
    }
  }
  const median = new Float64Array(B);
  const teamJudged = new Float64Array(3);
  const teamBecame = new Float64Array(3);
  for (let b = 0; b < B; b++) {
    teamJudged[b % 3] += judged[b];
    teamBecame[b % 3] += became[b];
    const c = became[b];
    if (c > 0) median[b] = (kth(hist, b * H, H, (c - 1) >> 1) + kth(hist, b * H, H, c >> 1)) / 2;
  }
  return { judged, became, amount, median, teamJudged, teamBecame };
}

// ---- floors of the forecast functions (#24) ----------------------------------------------------------

interface CohortForecastCounts {
  /** The as_of period and the first cohort (table indices). */
  T: number;
  first: number;
  /** Forecast view: conversions per period T … T + horizon − 1; the average amount before T. */
  forecast: number[];
  avg: number;
  /** Conversions dated in T up to as_of, and their amounts. */
  actual: number;
  actualAmount: number;
  /** Backtest view: per period P (table index) the cells P's row shows. */
  backtest: { P: number; f: number; actual: number; fRevenue: number; aRevenue: number }[];
}

/** r_k learned at origin P: conversions at age k ÷ leads, over the cohorts c with c + k < P. */
function developmentRates(
  leads: Float64Array,
  hits: Float64Array,
  W: number,
  first: number,
  P: number,
): Float64Array {
  const r = new Float64Array(Math.max(0, P - first));
  for (let k = 0; k < r.length; k++) {
    let conv = 0;
    let exposure = 0;
    for (let c = first; c + k < P; c++) {
      exposure += leads[c];
      conv += hits[c * W + k];
    }
    r[k] = exposure > 0 ? conv / exposure : 0;
  }
  return r;
}

/** Σ over the cohorts c < P of leads(c) × r_(q − c). */
function expectedAt(leads: Float64Array, r: Float64Array, first: number, P: number, q: number) {
  let sum = 0;
  for (let c = first; c < P; c++) if (q - c < r.length) sum += leads[c] * r[q - c];
  return sum;
}

function floorCohortForecast(
  leadCells: unknown[][],
  convCells: unknown[][],
  amountCells: unknown[][],
  asOf: Date,
  table: PeriodTable,
  backtest: boolean,
): CohortForecastCounts {
  const { t0, of } = table;
  const W = of[of.length - 1] + 1;
  const A = ((asOf.getTime() - t0) / DAY) | 0;
  const T = of[A];
  const leads = new Float64Array(W);
  const hits = new Float64Array(W * W);
  // Per conversion period before T: amounts and how many; (backtest) conversions of older leads.
  const amount = new Float64Array(W);
  const amounts = new Float64Array(W);
  const old = new Float64Array(W);
  const oldAmount = new Float64Array(W);
  let first = W;
  let actual = 0;
  let actualAmount = 0;
  for (let i = 0; i < leadCells.length; i++) {
    const ld = (((leadCells[i][0] as Date).getTime() - t0) / DAY) | 0;
    // A lead after as_of: not known yet, nor its conversion (the data's conversions follow it).
    if (ld > A) continue;
    const lp = of[ld];
    leads[lp]++;
    if (lp < first) first = lp;
    const c = convCells[i][0];
    if (typeof c !== 'object') continue;
    const cd = (((c as Date).getTime() - t0) / DAY) | 0;
    if (cd > A) continue;
    const cp = of[cd];
    const a = amountCells[i][0];
    if (cp === T) {
      actual++;
      if (typeof a === 'number') actualAmount += a;
      continue;
    }
    hits[lp * W + (cp > lp ? cp - lp : 0)]++;
    if (typeof a === 'number') {
      amount[cp] += a;
      amounts[cp]++;
    }
    if (backtest && lp < cp) {
      old[cp]++;
      if (typeof a === 'number') oldAmount[cp] += a;
    }
  }
  const averageBefore = (P: number) => {
    let sum = 0;
    let count = 0;
    for (let p = first; p < P; p++) {
      sum += amount[p];
      count += amounts[p];
    }
    return count > 0 ? sum / count : Number.NaN;
  };
  const out: CohortForecastCounts = {
    T,
    first,
    forecast: [],
    avg: Number.NaN,
    actual,
    actualAmount,
    backtest: [],
  };
  if (backtest) {
    for (let P = Math.max(first + 1, T - BACKTEST_PERIODS); P < T; P++) {
      const f = expectedAt(leads, developmentRates(leads, hits, W, first, P), first, P, P);
      out.backtest.push({
        P,
        f,
        actual: old[P],
        fRevenue: f * averageBefore(P),
        aRevenue: oldAmount[P],
      });
    }
    return out;
  }
  const r = developmentRates(leads, hits, W, first, T);
  for (let q = T; q < T + FORECAST_HORIZON; q++)
    out.forecast.push(expectedAt(leads, r, first, T, q));
  out.avg = averageBefore(T);
  return out;
}

/** KPI_PIPELINE_FORECAST's MIN_SIMILAR (src/core/pipeline.ts). */
const MIN_SIMILAR = 5;

interface PipelineCounts {
  T: number;
  count: Float64Array;
  pipeline: Float64Array;
  forecastWon: Float64Array;
  revenue: Float64Array;
}

/** The first index of xs[0 … len) whose value is ≥ x (xs sorted). */
function lowerBoundOf(xs: Int32Array, len: number, x: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function floorPipeline(
  stageCells: string[][],
  amountCells: unknown[][],
  closeCells: unknown[][],
  createdCells: unknown[][],
  asOf: Date,
  table: PeriodTable,
): PipelineCounts {
  const { t0, of } = table;
  const n = stageCells.length;
  const A = ((asOf.getTime() - t0) / DAY) | 0;
  const T = of[A];
  const H = FORECAST_HORIZON;
  let end = A; // the first day after period T + H − 1
  while (of[end] < T + H) end++;
  // Cycles (close − created, days) of the dated won and lost deals; open deals' rows and days.
  const wonCycle = new Int32Array(n);
  const lostCycle = new Int32Array(n);
  const openRow = new Int32Array(n);
  const openAge = new Int32Array(n);
  const openClose = new Int32Array(n);
  let nWon = 0;
  let nLost = 0;
  let nOpen = 0;
  let won = 0;
  let lost = 0;
  let wonAmount = 0;
  let wonAmounts = 0;
  for (let i = 0; i < n; i++) {
    const s = stageCells[i][0];
    const cd = (((createdCells[i][0] as Date).getTime() - t0) / DAY) | 0;
    const close = closeCells[i][0];
    const xd = typeof close === 'object' ? (((close as Date).getTime() - t0) / DAY) | 0 : -1;
    if (s === WON_STAGE) {
      won++;
      const a = amountCells[i][0];
      if (typeof a === 'number') {
        wonAmount += a;
        wonAmounts++;
      }
      if (xd >= 0) wonCycle[nWon++] = xd - cd;
    } else if (s === LOST_STAGE) {
      lost++;
      if (xd >= 0) lostCycle[nLost++] = xd - cd;
    } else if (cd <= A) {
      // The data's only other stages are open ones; a deal created after as_of is skipped.
      openRow[nOpen] = i;
      openAge[nOpen] = A - cd;
      openClose[nOpen++] = xd;
    }
  }
  const wons = wonCycle.subarray(0, nWon).sort();
  const losts = lostCycle.subarray(0, nLost).sort();
  const overall = won + lost > 0 ? won / (won + lost) : 0;
  const byAge = nWon >= 0.8 * won && nLost >= 0.8 * lost;
  const averageWon = wonAmounts > 0 ? wonAmount / wonAmounts : 0;
  const count = new Float64Array(H);
  const pipeline = new Float64Array(H);
  const forecastWon = new Float64Array(H);
  const revenue = new Float64Array(H);
  for (let k = 0; k < nOpen; k++) {
    const age = openAge[k];
    const from = lowerBoundOf(wons, nWon, age);
    let land = openClose[k];
    if (land < A) {
      // Overdue or blank: after the median remaining time of the won deals at least this old.
      const m = nWon - from;
      const mid = from + (m >> 1);
      land =
        m === 0 ? A : A + Math.floor((m & 1 ? wons[mid] : (wons[mid - 1] + wons[mid]) / 2) - age);
    }
    if (land >= end) continue;
    const wonOlder = nWon - from;
    let p: number;
    if (nWon >= MIN_SIMILAR && wonOlder === 0) p = 0;
    else {
      const similar = wonOlder + nLost - lowerBoundOf(losts, nLost, age);
      p = byAge && similar >= MIN_SIMILAR ? wonOlder / similar : overall;
    }
    const cell = amountCells[openRow[k]][0];
    const a = typeof cell === 'number' ? cell : averageWon;
    const j = of[land] - T;
    count[j]++;
    pipeline[j] += a;
    forecastWon[j] += p;
    revenue[j] += p * a;
  }
  return { T, count, pipeline, forecastWon, revenue };
}

// ---- same counts? ----------------------------------------------------------------------------------

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`floor and function disagree: ${what}`);
}

function sameChase(table: unknown[][], f: ChaseCounts, labels: string[], n: number): void {
  let leads = 0;
  for (const row of table.slice(1)) {
    const p = labels.indexOf(row[0] as string);
    check(p >= 0, `unknown period ${row[0]}`);
    const n0 = row[1] as number;
    check(n0 === f.leads[p], `${row[0]} leads ${n0} vs ${f.leads[p]}`);
    leads += n0;
    let cum = 0;
    for (let k = 0; k + 4 < row.length; k++) {
      cum += k < f.periods ? f.hits[p * f.periods + k] : 0;
      const cell = row[4 + k];
      if (cell !== '') check(cell === cum / n0, `${row[0]} +${k}: ${cell} vs ${cum}/${n0}`);
    }
    check(row[2] === cum, `${row[0]} converted ${row[2]} vs ${cum}`);
  }
  check(leads === n, `leads in all ${leads} vs ${n}`);
}

function sameSlice(
  table: unknown[][],
  f: { leads: Float64Array; convs: Float64Array },
  labels: string[],
): void {
  let leads = 0;
  let convs = 0;
  for (const row of table.slice(1)) {
    const p = labels.indexOf(row[0] as string);
    check(p >= 0, `unknown period ${row[0]}`);
    check(row[1] === f.leads[p] && row[2] === f.convs[p], `${row[0]}: ${row} vs ${f.leads[p]}`);
    leads += row[1] as number;
    convs += row[2] as number;
  }
  const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);
  check(leads === sum(f.leads) && convs === sum(f.convs), `totals ${leads}, ${convs}`);
}

function sameArea(table: unknown[][], f: AreaCounts, ownerIds: Map<string, number>): void {
  const body = table.slice(1);
  check(body.length === ownerIds.size + 1, `${body.length - 1} owners vs ${ownerIds.size}`);
  for (const row of body.slice(0, -1)) {
    const o = ownerIds.get(row[0] as string);
    check(o !== undefined, `unknown owner ${row[0]}`);
    const i = o as number;
    check(row[1] === f.acts[i] && row[2] === f.reach[i], `${row[0]}: ${row.slice(1, 3)}`);
  }
  const total = body[body.length - 1];
  check(total[1] === f.totalActs && total[2] === f.total, `Total: ${total.slice(1, 3)}`);
}

/** The five stats cells [count, median, p75, mean, open] of CYCLE_TIME against a floor slot. */
function sameCycleStats(cells: unknown[], f: CycleCounts, s: number, what: string): void {
  const c = f.count[s];
  check(cells[0] === c, `${what} count ${cells[0]} vs ${c}`);
  if (c === 0) check(cells[1] === '' && cells[2] === '' && cells[3] === '', `${what} blanks`);
  else {
    check(cells[1] === f.median[s], `${what} median ${cells[1]} vs ${f.median[s]}`);
    check(cells[2] === f.p75[s], `${what} p75 ${cells[2]} vs ${f.p75[s]}`);
    check(cells[3] === f.sum[s] / c, `${what} mean ${cells[3]} vs ${f.sum[s]}/${c}`);
  }
  check(cells[4] === f.open[s], `${what} open ${cells[4]} vs ${f.open[s]}`);
}

function sameCycle(
  table: unknown[][],
  f: CycleCounts,
  labels: string[],
  grouped: boolean,
  ownerIds: Map<string, number>,
  n: number,
): void {
  const body = table.slice(1);
  const G = f.G;
  const B = f.P * G;
  const totals = grouped ? G + 1 : 1;
  const periodRows = body.slice(0, body.length - totals);
  let rows = 0;
  for (const row of periodRows) {
    const p = labels.indexOf(row[0] as string);
    check(p >= 0, `unknown period ${row[0]}`);
    const g = grouped ? ownerIds.get(row[1] as string) : 0;
    check(g !== undefined, `unknown group ${row[1]}`);
    sameCycleStats(row.slice(grouped ? 2 : 1), f, p * G + (g as number), `${row[0]} ${row[1]}`);
    rows += (row[grouped ? 2 : 1] as number) + (row[grouped ? 6 : 5] as number);
  }
  check(rows === n, `rows in all periods ${rows} vs ${n}`);
  if (grouped) {
    for (let k = 0; k < G; k++) {
      const row = body[periodRows.length + k];
      const g = ownerIds.get(row[1] as string);
      check(g !== undefined, `unknown group total ${row[1]}`);
      sameCycleStats(row.slice(2), f, B + (g as number), `Total ${row[1]}`);
    }
  }
  const grand = body[body.length - 1];
  sameCycleStats(grand.slice(grouped ? 2 : 1), f, f.count.length - 1, 'Total');
}

function sameRetention(table: unknown[][], f: RetentionCounts, labels: string[], n: number): void {
  const body = table.slice(1);
  const first = labels.indexOf(body[0][0] as string);
  const K = f.asOfP - first;
  check(table[0].length === 2 + K + 1, `width ${table[0].length} vs ${2 + K + 1}`);
  let customers = 0;
  for (const row of body) {
    const c = labels.indexOf(row[0] as string);
    check(c >= 0, `unknown period ${row[0]}`);
    const n0 = f.customers[c];
    check(row[1] === n0, `${row[0]} customers ${row[1]} vs ${n0}`);
    customers += n0;
    let gone = 0;
    for (let k = 0; k <= K; k++) {
      gone += c + k < f.P ? f.ended[c * f.P + k] : 0;
      const want = k > f.asOfP - c || n0 === 0 ? '' : (n0 - gone) / n0;
      check(row[2 + k] === want, `${row[0]} +${k}: ${row[2 + k]} vs ${want}`);
    }
  }
  check(customers === n, `customers in all ${customers} vs ${n}`);
}

function sameList(table: unknown[][], f: ListCounts, ownerIds: Map<string, number>): void {
  const body = table.slice(1);
  const O = ownerIds.size;
  check(body.length === O + 1, `${body.length - 1} owners vs ${O}`);
  body.forEach((row, r) => {
    const o = r === O ? O : ownerIds.get(row[0] as string);
    check(o !== undefined, `unknown owner ${row[0]}`);
    const i = o as number;
    const reached = f.reached[i];
    const want = [
      LIST_SIZE,
      reached,
      reached / LIST_SIZE,
      f.list[i],
      reached > 0 ? f.list[i] / reached : '',
      LIST_SIZE - f.enough[i],
      f.off[i],
    ];
    for (let k = 0; k < want.length; k++) {
      check(row[1 + k] === want[k], `${row[0]} column ${k + 1}: ${row[1 + k]} vs ${want[k]}`);
    }
  });
}

function sameQuadrants(table: unknown[][], f: QuadrantCounts): void {
  const body = table.slice(1);
  const buckets = f.deals[4] > 0 ? [0, 1, 2, 3, 4] : [0, 1, 2, 3];
  check(body.length === buckets.length + 1, `${body.length} rows`);
  const cells = (d: number, amount: number, any: boolean, won: number) => [
    d,
    any ? amount : '',
    won,
    d > 0 ? won / d : '',
  ];
  let deals = 0;
  let amount = 0;
  let any = false;
  let won = 0;
  for (let b = 0; b < 5; b++) {
    deals += f.deals[b];
    amount += f.amount[b];
    any ||= f.hasAmount[b] === 1;
    won += f.won[b];
  }
  const want = [
    ...buckets.map((b) => cells(f.deals[b], f.amount[b], f.hasAmount[b] === 1, f.won[b])),
    cells(deals, amount, any, won),
  ];
  body.forEach((row, r) => {
    for (let k = 0; k < 4; k++) {
      check(row[2 + k] === want[r][k], `row ${r + 1} col ${k + 3}: ${row[2 + k]} vs ${want[r][k]}`);
    }
  });
}

/** The flag words as a ja_JP sheet shows them. */
const FLAG_JA = { optimistic: '楽観的', cautious: '慎重' };

function sameProspect(table: unknown[][], f: ProspectCounts, ownerIds: Map<string, number>): void {
  const body = table.slice(1);
  // Rows: every (owner, rank) with judgements, owners in code-unit order, then ranks.
  const owners = [...ownerIds.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const want: [string, number][] = [];
  for (const o of owners) {
    for (let k = 0; k < 3; k++) {
      if (f.judged[(ownerIds.get(o) as number) * 3 + k] > 0) want.push([o, k]);
    }
  }
  check(body.length === want.length, `${body.length} rows vs ${want.length}`);
  body.forEach((row, r) => {
    const [owner, k] = want[r];
    check(row[0] === owner && row[1] === PROSPECT_RANKS[k], `row ${r + 1}: ${row.slice(0, 2)}`);
    const b = (ownerIds.get(owner) as number) * 3 + k;
    const judged = f.judged[b];
    const became = f.became[b];
    const rate = became / judged;
    const teamRate = f.teamBecame[k] / f.teamJudged[k];
    let flag = '';
    if (judged >= 5) {
      if (rate < teamRate - 0.15) flag = FLAG_JA.optimistic;
      else if (rate > teamRate + 0.15) flag = FLAG_JA.cautious;
    }
    const cells = [
      judged,
      became,
      rate,
      teamRate,
      became > 0 ? f.median[b] : '',
      f.amount[b],
      flag,
    ];
    for (let c = 0; c < cells.length; c++) {
      check(
        row[2 + c] === cells[c],
        `${owner} ${row[1]} col ${c + 3}: ${row[2 + c]} vs ${cells[c]}`,
      );
    }
  });
}

/** Equal to ~1e-9 relative (sums in another order). */
function near(cell: unknown, want: number, what: string): void {
  const ok =
    typeof cell === 'number' &&
    (cell === want || Math.abs(cell - want) <= 1e-9 * Math.max(Math.abs(cell), Math.abs(want)));
  check(ok, `${what}: ${cell} vs ${want}`);
}

function sameCohortForecast(
  table: unknown[][],
  f: CohortForecastCounts,
  labels: string[],
  backtest: boolean,
): void {
  const body = table.slice(1);
  if (backtest) {
    check(body.length === f.backtest.length, `${body.length} rows vs ${f.backtest.length}`);
    body.forEach((row, r) => {
      const b = f.backtest[r];
      check(row[0] === labels[b.P], `row ${r + 1}: ${row[0]} vs ${labels[b.P]}`);
      near(row[1], b.f, `${row[0]} forecast`);
      near(row[2], b.actual, `${row[0]} actual`);
      near(row[3], b.fRevenue, `${row[0]} forecast revenue`);
      near(row[4], b.aRevenue, `${row[0]} actual revenue`);
      if (b.aRevenue > 0) near(row[5], (b.fRevenue - b.aRevenue) / b.aRevenue, `${row[0]} error`);
      else check(row[5] === '', `${row[0]} error blank`);
      if (b.fRevenue > 0) near(row[6], b.aRevenue / b.fRevenue, `${row[0]} actual ÷ forecast`);
      else check(row[6] === '', `${row[0]} actual ÷ forecast blank`);
    });
    return;
  }
  check(body.length === FORECAST_HORIZON, `${body.length} rows`);
  body.forEach((row, j) => {
    const q = f.T + j;
    check(row[0] === labels[q], `row ${j + 1}: ${row[0]} vs ${labels[q]}`);
    near(row[1], f.forecast[j], `${row[0]} forecast`);
    near(row[2], f.forecast[j] * f.avg, `${row[0]} revenue`);
    if (j === 0) {
      near(row[3], f.actual, `${row[0]} actual`);
      near(row[4], f.actualAmount, `${row[0]} actual revenue`);
    } else check(row[3] === '' && row[4] === '', `${row[0]} actual blank`);
  });
}

function samePipeline(table: unknown[][], f: PipelineCounts, labels: string[]): void {
  const body = table.slice(1);
  check(body.length === FORECAST_HORIZON, `${body.length} rows`);
  body.forEach((row, j) => {
    check(row[0] === labels[f.T + j], `row ${j + 1}: ${row[0]} vs ${labels[f.T + j]}`);
    near(row[1], f.count[j], `${row[0]} open deals`);
    near(row[2], f.pipeline[j], `${row[0]} pipeline`);
    near(row[3], f.forecastWon[j], `${row[0]} forecast won`);
    near(row[4], f.revenue[j], `${row[0]} forecast revenue`);
  });
}

// ---- timing ----------------------------------------------------------------------------------------

interface Case {
  fn: string;
  /** Fresh cells for one call of run or floor (not timed). */
  input(which: 'run' | 'floor'): unknown[];
  run(args: unknown[]): unknown;
  floor(args: unknown[]): unknown;
  same(fnOut: unknown, floorOut: unknown): void;
}

/**
 * One call on fresh cells. `ms` is the CPU time this process spent in the call (user + system;
 * V8 runs on one thread here): the machine is shared, and wall time also counts the time other
 * processes hold the CPU. `wallMs` is kept in the JSON.
 *
 * Before the call, the cells are moved out of the young generation, by
 *  - 'cold': a full GC. It also frees what the function's optimised code was specialised to
 *    (the previous call's objects; --trace-deopt: "reason: weak objects"), so V8 compiles the
 *    function again during the call, as a first call would. Apps Script evaluates the project
 *    anew for each execution, so its calls start at least this cold.
 *  - 'warm': two scavenges, no full GC: the function keeps its optimised code from call to call,
 *    as in a loop of calls in one process. timeCase times the third such call after a cold one
 *    (the first two still compile: ~12 ms each at 20k rows, against ~2 ms warm).
 * The floors, single loops over arrays and Dates, keep their code either way.
 */
function timeOnce(
  c: Case,
  which: 'run' | 'floor',
  mode: 'cold' | 'warm',
): { ms: number; wallMs: number; out: unknown } {
  const args = c.input(which);
  if (mode === 'cold') gc();
  else {
    gc({ type: 'minor' });
    gc({ type: 'minor' });
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const out = c[which](args);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  return { ms: (cpu.user + cpu.system) / 1000, wallMs, out };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

interface Timing {
  /** Medians, ms of CPU time. */
  fnMs: number;
  floorMs: number;
  warmFnMs: number;
  warmFloorMs: number;
  /** Medians, ms of wall time. */
  fnWallMs: number;
  floorWallMs: number;
}

/**
 * `runs` rounds after WARMUP: for the function and for the floor (which goes first alternates),
 * a cold call, and with `warm`, warm calls with nothing but scavenges since that cold call. Warm
 * times are measured at 100k rows only: with 1M rows, the cells of the calls in between fill the
 * old generation and the timed call then pays for marking it (a warm call took longer than a
 * cold one), which is not what "warm" is meant to show.
 */
function timeCase(c: Case, runs: number, warmToo: boolean): Timing {
  const t: Record<string, number[]> = {};
  const add = (k: string, v: number) => {
    t[k] = t[k] ?? [];
    t[k].push(v);
  };
  for (let r = 0; r < WARMUP + runs; r++) {
    const order: ('run' | 'floor')[] = r % 2 === 0 ? ['run', 'floor'] : ['floor', 'run'];
    const out: Record<string, unknown> = {};
    for (const which of order) {
      const cold = timeOnce(c, which, 'cold');
      out[which] = cold.out;
      if (r >= WARMUP) {
        add(`${which}Cold`, cold.ms);
        add(`${which}Wall`, cold.wallMs);
      }
      if (!warmToo) continue;
      // After a full GC the function compiles in the first two calls; the third runs warm.
      for (let k = 0; k < 2; k++) c[which](c.input(which));
      const warm = timeOnce(c, which, 'warm');
      if (r >= WARMUP) add(`${which}Warm`, warm.ms);
    }
    c.same(out.run, out.floor);
  }
  if (process.env.BENCH_DEBUG) {
    const show = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
    console.log(`\n${c.fn}:`);
    for (const [k, v] of Object.entries(t)) console.log(`  ${k.padEnd(10)} ${show(v)}`);
  }
  return {
    fnMs: median(t.runCold),
    floorMs: median(t.floorCold),
    warmFnMs: warmToo ? median(t.runWarm) : Number.NaN,
    warmFloorMs: warmToo ? median(t.floorWarm) : Number.NaN,
    fnWallMs: median(t.runWall),
    floorWallMs: median(t.floorWall),
  };
}

interface Row extends Timing {
  fn: string;
  rows: number;
  /** = fnMs (cold), kept under the name bench/build.ts reads. */
  medianMs: number;
  /** Function time ÷ floor time (medians), cold and warm. */
  ratioToFloor: number;
  warmRatioToFloor: number;
  runs: number;
}

const months = monthTable();
const weeks = weekTable();
const results: Row[] = [];
for (const n of SIZES) {
  const d = makeData(n);
  const deals = makeDeals(d);
  const pipe = makePipeline(n);
  const cases: Case[] = [
    {
      fn: 'COHORT_CONVERSION chase/month',
      input: () => [freshDates(d.lead), freshDates(d.conv)],
      run: (a) => COHORT_CONVERSION(a[0], a[1]),
      floor: (a) => floorChase(a[0] as unknown[][], a[1] as unknown[][], months),
      same: (t, f) => sameChase(t as unknown[][], f as ChaseCounts, months.labels, n),
    },
    {
      fn: 'COHORT_CONVERSION slice/week',
      input: () => [freshDates(d.lead), freshDates(d.conv)],
      run: (a) => COHORT_CONVERSION(a[0], a[1], 'slice', 'week'),
      floor: (a) => floorSlice(a[0] as unknown[][], a[1] as unknown[][], weeks),
      same: (t, f) => sameSlice(t as unknown[][], f as never, weeks.labels),
    },
    ...(['6 spellings', 'CRM spelling'] as const).map(
      (kind): Case => ({
        fn: `ACTIVITY_AREA, ${kind}`,
        input: () => [
          (kind === '6 spellings' ? d.comps6 : d.crm).fresh(),
          freshNumbers(d.counts),
          d.owners.fresh(),
        ],
        run: (a) => ACTIVITY_AREA(a[0], a[1], a[2]),
        floor: (a) =>
          floorArea(
            a[0] as string[][],
            a[1] as number[][],
            a[2] as string[][],
            kind === '6 spellings' ? d.dict6 : d.dictCrm,
            d.ownerIds,
            d.companyIds,
          ),
        same: (t, f) => sameArea(t as unknown[][], f as AreaCounts, d.ownerIds),
      }),
    ),
    ...([false, true] as const).map(
      (grouped): Case => ({
        fn: grouped ? 'CYCLE_TIME lead→deal, by owner' : 'CYCLE_TIME lead→deal/month',
        input: () =>
          grouped
            ? [freshDates(d.lead), freshDates(d.conv), d.owners.fresh()]
            : [freshDates(d.lead), freshDates(d.conv)],
        run: (a) => (grouped ? CYCLE_TIME(a[0], a[1], 'month', a[2]) : CYCLE_TIME(a[0], a[1])),
        floor: (a) =>
          floorCycle(
            a[0] as unknown[][],
            a[1] as unknown[][],
            grouped ? (a[2] as string[][]) : undefined,
            months,
            d.ownerIds,
          ),
        same: (t, f) =>
          sameCycle(t as unknown[][], f as CycleCounts, months.labels, grouped, d.ownerIds, n),
      }),
    ),
    {
      fn: 'LIST_COVERAGE, 2,000 targets',
      input: () => [deals.list.fresh(), d.comps6.fresh(), freshNumbers(d.counts), d.owners.fresh()],
      run: (a) => LIST_COVERAGE(a[0], a[1], a[2], a[3], MIN_TOUCHES),
      floor: (a) =>
        floorList(
          a[1] as string[][],
          a[2] as number[][],
          a[3] as string[][],
          deals.listSlot,
          d.ownerIds,
        ),
      same: (t, f) => sameList(t as unknown[][], f as ListCounts, d.ownerIds),
    },
    {
      fn: 'RETENTION month, 15 % churn',
      input: () => [freshDates(d.lead), freshDates(deals.churn)],
      run: (a) => RETENTION(a[0], a[1]),
      floor: (a) => floorRetention(a[0] as unknown[][], a[1] as unknown[][], months),
      same: (t, f) => sameRetention(t as unknown[][], f as RetentionCounts, months.labels, n),
    },
    {
      fn: 'DEAL_QUADRANTS',
      input: () => [
        deals.targets.fresh(),
        deals.temps.fresh(),
        freshAmounts(deals.amounts),
        freshDates(deals.won),
      ],
      run: (a) => DEAL_QUADRANTS(a[0], a[1], a[2], a[3]),
      floor: (a) =>
        floorQuadrants(
          a[0] as string[][],
          a[1] as string[][],
          a[2] as unknown[][],
          a[3] as unknown[][],
        ),
      same: (t, f) => sameQuadrants(t as unknown[][], f as QuadrantCounts),
    },
    {
      fn: 'PROSPECT_ACCURACY',
      input: () => [
        d.owners.fresh(),
        deals.ranks.fresh(),
        freshDates(deals.rankDate),
        freshDates(d.conv),
        freshAmounts(deals.amounts),
        freshDates(deals.won),
        [
          ['A', PROSPECT_HORIZONS[0]],
          ['B', PROSPECT_HORIZONS[1]],
          ['*', PROSPECT_HORIZONS[2]],
        ],
      ],
      run: (a) => PROSPECT_ACCURACY(a[0], a[1], a[2], a[3], a[4], a[5], a[6]),
      floor: (a) =>
        floorProspect(
          a[0] as string[][],
          a[1] as string[][],
          a[2] as unknown[][],
          a[3] as unknown[][],
          a[4] as unknown[][],
          a[5] as unknown[][],
          d.ownerIds,
        ),
      same: (t, f) => sameProspect(t as unknown[][], f as ProspectCounts, d.ownerIds),
    },
    ...([false, true] as const).map(
      (backtest): Case => ({
        fn: backtest
          ? `KPI_COHORT_FORECAST backtest ${BACKTEST_PERIODS}`
          : `KPI_COHORT_FORECAST, ${FORECAST_HORIZON} months`,
        input: () => [
          freshDates(d.lead),
          freshDates(d.conv),
          new Date(AS_OF),
          freshAmounts(deals.amounts),
        ],
        run: (a) =>
          KPI_COHORT_FORECAST(
            a[0],
            a[1],
            a[2],
            'month',
            backtest ? BACKTEST_PERIODS : FORECAST_HORIZON,
            a[3],
            '',
            backtest ? 'backtest' : 'forecast',
          ),
        floor: (a) =>
          floorCohortForecast(
            a[0] as unknown[][],
            a[1] as unknown[][],
            a[3] as unknown[][],
            a[2] as Date,
            months,
            backtest,
          ),
        same: (t, f) =>
          sameCohortForecast(t as unknown[][], f as CohortForecastCounts, months.labels, backtest),
      }),
    ),
    {
      fn: 'KPI_PIPELINE_FORECAST, by age',
      input: () => [
        pipe.stages.fresh(),
        freshAmounts(pipe.amounts),
        freshDates(pipe.close),
        freshDates(pipe.created),
        new Date(AS_OF),
      ],
      run: (a) =>
        KPI_PIPELINE_FORECAST(
          a[0],
          a[1],
          a[2],
          '',
          a[4],
          'month',
          FORECAST_HORIZON,
          STATUS_MAP,
          a[3],
          'forecast',
        ),
      floor: (a) =>
        floorPipeline(
          a[0] as string[][],
          a[1] as unknown[][],
          a[2] as unknown[][],
          a[3] as unknown[][],
          a[4] as Date,
          months,
        ),
      same: (t, f) => samePipeline(t as unknown[][], f as PipelineCounts, months.labels),
    },
  ];
  for (const c of cases.filter((k) => ONLY.some((part) => k.fn.includes(part)))) {
    const t = timeCase(c, RUNS(n), n <= 100_000);
    results.push({
      fn: c.fn,
      rows: n,
      medianMs: t.fnMs,
      ratioToFloor: t.fnMs / t.floorMs,
      warmRatioToFloor: t.warmFnMs / t.warmFloorMs,
      runs: RUNS(n),
      ...t,
    });
    process.stdout.write('.');
  }
}

// ---- the same calls in the local runtime's vm context ----------------------------------------------
// The local runtime (local/runtime.ts) runs the bundle in a node:vm context, whose global lookups
// used to cost ~0.1–0.4 µs each (see bindIntrinsics there). Same fresh cells, realm arrays and
// Dates of the context, the function called directly (no HyperFormula): "× here" should be ~1.
const VM_ROWS = 100_000;
const vmRows: {
  fn: string;
  rows: number;
  vmMs: number;
  hereMs: number;
  ratio: number;
  warmVmMs: number;
  warmHereMs: number;
  warmRatio: number;
}[] = [];
{
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
  const vm = rt.context as unknown as Record<string, Fn>;
  const dates = rt.run<(ts: Float64Array) => unknown[][]>(
    '(function (ts) { var out = new Array(ts.length); for (var i = 0; i < ts.length; i++) out[i] = [ts[i] === ts[i] ? new Date(ts[i]) : ""]; return out; })',
  );
  const rows = rt.run<(cells: unknown[][]) => unknown[][]>(
    '(function (cells) { var out = new Array(cells.length); for (var i = 0; i < cells.length; i++) out[i] = [cells[i][0]]; return out; })',
  );
  const d = makeData(VM_ROWS);
  const same = (a: unknown, b: unknown) => check(JSON.stringify(a) === JSON.stringify(b), 'vm');
  const cases: Case[] = [
    {
      fn: 'COHORT_CONVERSION chase/month',
      input: (w) =>
        w === 'run' ? [dates(d.lead), dates(d.conv)] : [freshDates(d.lead), freshDates(d.conv)],
      run: (a) => vm.COHORT_CONVERSION(a[0], a[1]),
      floor: (a) => COHORT_CONVERSION(a[0], a[1]),
      same,
    },
    {
      fn: 'ACTIVITY_AREA, 6 spellings',
      input: (w) => {
        const cells = [d.comps6.fresh(), freshNumbers(d.counts), d.owners.fresh()];
        return w === 'run' ? cells.map(rows) : cells;
      },
      run: (a) => vm.ACTIVITY_AREA(a[0], a[1], a[2]),
      floor: (a) => ACTIVITY_AREA(a[0], a[1], a[2]),
      same,
    },
  ];
  for (const c of cases) {
    const t = timeCase(c, RUNS(VM_ROWS), true);
    vmRows.push({
      fn: c.fn,
      rows: VM_ROWS,
      vmMs: t.fnMs,
      hereMs: t.floorMs,
      ratio: t.fnMs / t.floorMs,
      warmVmMs: t.warmFnMs,
      warmHereMs: t.warmFloorMs,
      warmRatio: t.warmFnMs / t.warmFloorMs,
    });
    process.stdout.write('.');
  }
}

const pad = (s: string | number, w: number) => String(s).padStart(w);
const num = (x: number, digits: number) => (Number.isNaN(x) ? '–' : x.toFixed(digits));
console.log(
  `\nnode ${process.version}, TZ=${process.env.TZ}, spreadsheet Asia/Tokyo; medians; fresh cells every run; floors give the same counts (checked every run)`,
);
console.log(
  `${''.padEnd(43)}${'cold (full GC before)'.padStart(28)}${'warm (≤ 100k rows)'.padStart(28)}`,
);
console.log(
  `${'function'.padEnd(32)}${pad('rows', 11)}${pad('fn ms', 10)}${pad('floor ms', 10)}${pad('× floor', 8)}${pad('fn ms', 10)}${pad('floor ms', 10)}${pad('× floor', 8)}${pad('runs', 6)}`,
);
for (const r of results) {
  console.log(
    `${r.fn.padEnd(32)}${pad(r.rows.toLocaleString('en'), 11)}${pad(r.fnMs.toFixed(1), 10)}${pad(r.floorMs.toFixed(1), 10)}${pad(r.ratioToFloor.toFixed(2), 8)}${pad(num(r.warmFnMs, 1), 10)}${pad(num(r.warmFloorMs, 1), 10)}${pad(num(r.warmRatioToFloor, 2), 8)}${pad(r.runs, 6)}`,
  );
}
const [small, large] = SIZES;
const growth: Record<string, { fn: number; floor: number }> = {};
console.log(`\ngrowth ${large / 1000}k / ${small / 1000}k, cold (${large / small} = linear):`);
for (const fn of new Set(results.map((r) => r.fn))) {
  const at = (n: number) => results.find((r) => r.fn === fn && r.rows === n) as Row;
  growth[fn] = {
    fn: at(large).fnMs / at(small).fnMs,
    floor: at(large).floorMs / at(small).floorMs,
  };
  console.log(
    `${fn.padEnd(32)} function ${growth[fn].fn.toFixed(2)} · floor ${growth[fn].floor.toFixed(2)}`,
  );
}
console.log(
  `\nThe same calls in the local runtime's vm context (${VM_ROWS.toLocaleString('en')} rows, the context's own arrays and Dates):`,
);
for (const r of vmRows) {
  console.log(
    `${r.fn.padEnd(32)} cold: vm ${r.vmMs.toFixed(1)} ms, this process ${r.hereMs.toFixed(1)} ms, × ${r.ratio.toFixed(2)} · warm: vm ${r.warmVmMs.toFixed(1)} ms, this process ${r.warmHereMs.toFixed(1)} ms, × ${r.warmRatio.toFixed(2)}`,
  );
}
const bundleBytes = statSync(join(DIST, 'Code.js')).size;
console.log(`server bundle dist/Code.js: ${(bundleBytes / 1024).toFixed(1)} KB (goal ≤ 150 KB)`);
console.log(`× floor = the function's median time ÷ its floor's: the floor is the minimal loop that
  produces the same counts from the same fresh cells (see the header of bench/run.ts):
  chase/slice — getTime() per Date cell + a precomputed day → month/week table + counting;
  ACTIVITY_AREA — Map.get per company and owner cell in a precomputed spelling → company table
  + one bit per (company, owner); CYCLE_TIME, RETENTION, PROSPECT_ACCURACY — the same reads
  with day histograms (the data's bounded durations) for medians; LIST_COVERAGE — a spelling →
  list-slot table; DEAL_QUADRANTS — string compares against the data's only spellings;
  KPI_COHORT_FORECAST — the chase floor's reads up to as_of + the development rates;
  KPI_PIPELINE_FORECAST — stage compares + typed-array sorted cycles + binary searches.
  What the ratio is: everything the function does beyond
  counting — argument checks, reading every cell type (text dates, serials), the time-zone rule,
  laying out the table, and for ACTIVITY_AREA normalising each distinct spelling (~150k at 1M rows
  with "6 spellings"; 20k companies typed once with "CRM spelling").
  cold: a full GC before each call, which also makes V8 compile the function again during the
  call (a cost per call, not per row: hence growth below 10); warm: the third call with only
  scavenges since a cold one: the function has kept its optimised code; cold − warm ≈ the
  compiling. Apps Script evaluates the project anew for each execution, so its calls start at
  least as cold as "cold".`);

const outDir = join(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'latest.json'),
  JSON.stringify(
    {
      node: process.version,
      date: new Date().toISOString(),
      results,
      growth,
      vmContext: vmRows,
      bundleBytes,
    },
    null,
    2,
  ),
);
