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
if (!process.execArgv.includes('--single-threaded')) {
  const flags = ['--expose-gc', '--single-threaded'];
  const rest = process.execArgv.filter((a) => !flags.includes(a));
  const child = spawnSync(process.execPath, [...flags, ...rest, import.meta.filename], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}

// BENCH_SIZES=100000,1000000 (two sizes) and BENCH_RUNS=5 override the defaults; BENCH_ONLY=AREA
// times only the functions whose name contains it.
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
  ];
  for (const c of cases.filter((k) => k.fn.includes(process.env.BENCH_ONLY ?? ''))) {
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
  + one bit per (company, owner). What the ratio is: everything the function does beyond
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
