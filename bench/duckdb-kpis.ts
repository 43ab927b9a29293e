/**
 * npm run bench, part 3 (#25) — the KPI queries on DuckDB over generated leads (local/leads.ts)
 * at 1M and 10M rows (50M with BENCH_DUCKDB_50M=1), beside the JS cores on the same rows where
 * they fit in a spreadsheet's worth of memory (≤ BENCH_DUCKDB_JS_MAX rows, 1M unless given).
 *
 *   TZ=UTC node --expose-gc --import tsx bench/duckdb-kpis.ts
 *
 * Per size: the parquet generated once (timed), then per KPI query (bench/kpi-queries.ts: the
 * build's funnel over the whole table and as the build's extract, the same funnel with the day
 * taken by a fixed +09:00 shift instead of timezone(), cohort chase, cycle time, retention,
 * activity area):
 * - DuckDB: wall time of each of BENCH_DUCKDB_RUNS (3) runs in a fresh process of its own (an
 *   in-memory DuckDB, default threads, the table a view over the parquet file as the local
 *   BigQuery registers it, so every run reads the file), the median printed; peak memory = the
 *   process's resident-set high-water mark (VmHWM in /proc/self/status, reset through
 *   /proc/self/clear_refs once the view exists) over the runs — DuckDB's buffers and everything
 *   else the process holds (Node itself and the idle DuckDB: "idle" in the JSON, ~60–90 MB).
 * - JS: the rows read into JS arrays once through DuckDB (not timed), then per run fresh cells
 *   made from them (new Date objects, new strings decoded from bytes, as Sheets hands a custom
 *   function fresh values; not timed), a full GC, and the core function called (funnelByPeriod,
 *   cohortConversion, cycleTime, retention, activityArea): wall time, median of the runs. The
 *   custom function around each core (argument checks, the 2D range copied) is not included
 *   (bench/run.ts times those).
 * - same: whether the DuckDB rows equal the JS core's table (the parity tests' comparison), and
 *   for the fixed-offset funnel whether its rows equal the timezone() funnel's.
 *
 * Environment: BENCH_DUCKDB=0 skips it; BENCH_ONLY=DUCKDB runs only this part of npm run bench
 * (another BENCH_ONLY skips it); BENCH_DUCKDB_SIZES=1000000,10000000 (QUICK=1: 1M only);
 * BENCH_DUCKDB_50M=1 adds 50M (~2 min to generate, ~3 GB of parquet in the temp dir);
 * BENCH_DUCKDB_JS_MAX (the JS cores at 10M took the process to ~7.9 GB: npm run bench gives
 * --max-old-space-size=16000); BENCH_DUCKDB_RUNS; BENCH_DUCKDB_KPIS=funnel,cohort (ids in bench/kpi-queries.ts);
 * BENCH_DUCKDB_DIR (where the parquet and DuckDB's spill
 * go: the OS temp dir unless given). Figures go to bench/results/duckdb-kpis.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openEngine, sqlString } from '../local/duckdb-core.mjs';
import { generateLeads } from '../local/leads';
import { activityArea } from '../src/core/activity';
import { type Cell, cohortConversion } from '../src/core/cohort';
import { cycleTime } from '../src/core/cycleTime';
import { ZoneClock } from '../src/core/dates';
import { funnelByPeriod } from '../src/core/funnel';
import { localizeTable, totalLabel } from '../src/core/i18n';
import { readerForColumns, statusStages } from '../src/core/plan';
import { retention } from '../src/core/retention';
import { duckDb } from '../src/core/sql/dialect';
import {
  AGES,
  benchSettings,
  buildFunnelQueries,
  type KpiId,
  kpiCases,
  TABLE,
  ZONE,
} from './kpi-queries';

// ---- the child: one KPI query's DuckDB runs in a process of its own --------------------------------

interface Job {
  file: string;
  sql: string;
  runs: number;
  spill: string;
}

interface ChildResult {
  wallsMs: number[];
  /** CPU time of the process (DuckDB's threads included) per run. */
  cpuMs: number[];
  idleMb: number;
  peakMb: number;
  rows: unknown[][];
}

const statusKb = (field: 'VmHWM' | 'VmRSS') => {
  const m = readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return m ? Number(m[1]) : Number.NaN;
};

const cpuOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

if (process.argv.includes('--child')) {
  const job = JSON.parse(readFileSync(0, 'utf8')) as Job;
  const engine = await openEngine({ tempDirectory: job.spill });
  await engine.query(
    `CREATE VIEW ${duckDb.table(TABLE)} AS SELECT * FROM read_parquet(${sqlString(job.file)})`,
  );
  const idleMb = statusKb('VmRSS') / 1024;
  // "5" resets the peak resident set size to the current one (proc(5), /proc/pid/clear_refs).
  writeFileSync('/proc/self/clear_refs', '5');
  const wallsMs: number[] = [];
  const cpuMs: number[] = [];
  let rows: unknown[][] = [];
  for (let k = 0; k < job.runs; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    rows = (await engine.query(job.sql)).rows;
    wallsMs.push(performance.now() - t0);
    cpuMs.push(cpuOf(process.cpuUsage(c0)));
  }
  const peakMb = statusKb('VmHWM') / 1024;
  engine.close();
  const result: ChildResult = { wallsMs, cpuMs, idleMb, peakMb, rows };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

// ---- whether to run, and how much ------------------------------------------------------------------

const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
if (
  process.env.BENCH_DUCKDB === '0' ||
  (only.length > 0 && !only.some((p) => p.toUpperCase() === 'DUCKDB'))
) {
  console.log('\nDuckDB KPI bench skipped (BENCH_DUCKDB=0 or BENCH_ONLY without DUCKDB)');
  process.exit(0);
}
const SIZES = (
  process.env.BENCH_DUCKDB_SIZES
    ? process.env.BENCH_DUCKDB_SIZES.split(',').map(Number)
    : process.env.QUICK
      ? [1_000_000]
      : [1_000_000, 10_000_000]
).concat(process.env.BENCH_DUCKDB_50M === '1' ? [50_000_000] : []);
const JS_MAX = Number(process.env.BENCH_DUCKDB_JS_MAX ?? 1_000_000);
const RUNS = Number(process.env.BENCH_DUCKDB_RUNS ?? 3);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---- the rows as JS arrays, and fresh cells from them ----------------------------------------------

/** A text column as dictionary codes over UTF-8 bytes: fresh() decodes a new string per cell. */
class TextColumn {
  private readonly dict: Buffer[] = [];
  readonly codes: Int32Array;
  private readonly index = new Map<string, number>();
  constructor(n: number) {
    this.codes = new Int32Array(n);
  }
  set(i: number, v: string | null): void {
    const s = v ?? '';
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.index.set(s, c);
      this.dict.push(Buffer.from(s));
    }
    this.codes[i] = c;
  }
  fresh(): string[] {
    const out: string[] = new Array(this.codes.length);
    for (let i = 0; i < out.length; i++) out[i] = this.dict[this.codes[i]].toString('utf8');
    return out;
  }
}

/** Epoch ms, NaN = blank: fresh() gives new Dates and '' for blanks. */
function freshDates(ms: Float64Array): unknown[] {
  const out: unknown[] = new Array(ms.length);
  for (let i = 0; i < ms.length; i++) out[i] = Number.isNaN(ms[i]) ? '' : new Date(ms[i]);
  return out;
}

function freshNumbers(xs: Float64Array): unknown[] {
  const out: unknown[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = Number.isNaN(xs[i]) ? '' : xs[i];
  return out;
}

const DATE_COLUMNS = ['created_at', 'mql_at', 'deal_at', 'won_at', 'lost_at'] as const;
const TEXT_COLUMNS = ['company', 'status', 'owner', 'target'] as const;

interface Rows {
  n: number;
  dates: Record<(typeof DATE_COLUMNS)[number], Float64Array>;
  amount: Float64Array;
  text: Record<(typeof TEXT_COLUMNS)[number], TextColumn>;
}

/** The columns the JS cores read, in file order, through DuckDB's chunks. */
async function readRows(file: string, n: number, spill: string): Promise<Rows> {
  const db = await DuckDBInstance.create(':memory:', { temp_directory: spill });
  const con = await db.connect();
  const rows: Rows = {
    n,
    dates: Object.fromEntries(DATE_COLUMNS.map((c) => [c, new Float64Array(n)])) as Rows['dates'],
    amount: new Float64Array(n),
    text: Object.fromEntries(TEXT_COLUMNS.map((c) => [c, new TextColumn(n)])) as Rows['text'],
  };
  const select = [
    ...DATE_COLUMNS.map((c) => `CAST(epoch_ms(${c}) AS DOUBLE)`),
    'CAST(amount AS DOUBLE)',
    ...TEXT_COLUMNS,
  ].join(', ');
  const result = await con.stream(`SELECT ${select} FROM read_parquet(${sqlString(file)})`);
  let at = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const len = chunk.rowCount;
    DATE_COLUMNS.forEach((c, k) => {
      const vs = chunk.getColumnValues(k) as (number | null)[];
      const out = rows.dates[c];
      for (let i = 0; i < len; i++) out[at + i] = vs[i] ?? Number.NaN;
    });
    const amounts = chunk.getColumnValues(DATE_COLUMNS.length) as (number | null)[];
    for (let i = 0; i < len; i++) rows.amount[at + i] = amounts[i] ?? Number.NaN;
    TEXT_COLUMNS.forEach((c, k) => {
      const vs = chunk.getColumnValues(DATE_COLUMNS.length + 1 + k) as (string | null)[];
      const col = rows.text[c];
      for (let i = 0; i < len; i++) col.set(at + i, vs[i]);
    });
    at += len;
  }
  con.closeSync();
  db.closeSync();
  if (at !== n) throw new Error(`read ${at} rows, expected ${n}`);
  return rows;
}

// ---- the JS cores, and their tables as the queries give them -----------------------------------------

const clock = new ZoneClock(ZONE);
const settings = benchSettings();
const lang = settings.lang;

const pad = (rows: Cell[][], width: number) =>
  rows.map((r) => [...r, ...Array<Cell>(Math.max(0, width - r.length)).fill('')]);

interface JsCase {
  /** Fresh cells for one call (not timed). */
  input: (r: Rows) => unknown[][];
  call: (a: unknown[][]) => Cell[][];
  /** The call's table as the query's rows (header dropped, labels localised). */
  asRows: (t: Cell[][]) => Cell[][];
}

const funnelCase = (window: boolean): JsCase => {
  const [q] = buildFunnelQueries(settings);
  return {
    input: (r) => [
      ...DATE_COLUMNS.map((c) => freshDates(r.dates[c])),
      freshNumbers(r.amount),
      r.text.company.fresh(),
      r.text.target.fresh(),
      r.text.status.fresh(),
    ],
    // As plan.ts funnelInput gives the build's columns to funnelByPeriod.
    call: ([created, mql, deal, won, lost, amounts, companies, targets, statuses]) =>
      funnelByPeriod({
        created,
        mql,
        deal,
        won,
        lost,
        amounts,
        companies,
        targets,
        statuses,
        exclude: settings.targetExclude,
        period: settings.period,
        clock,
        from: window ? q.from : undefined,
        to: window ? q.to : undefined,
        statusStages: statusStages(settings),
        rows: 'lead',
        readerFor: readerForColumns(clock, 'mdy'),
        withSal: q.withSal,
      }),
    asRows: (t) => {
      const body = t.slice(1);
      body[body.length - 1][0] = totalLabel(lang);
      return body;
    },
  };
};

const JS: Partial<Record<KpiId, JsCase>> = {
  funnel: funnelCase(false),
  'funnel-build': funnelCase(true),
  cohort: {
    input: (r) => [freshDates(r.dates.created_at), freshDates(r.dates.deal_at)],
    call: ([lead, conv]) => cohortConversion(lead, conv, { view: 'chase', period: 'month', clock }),
    asRows: (t) => pad(t.slice(1), 4 + AGES),
  },
  cycle: {
    input: (r) => [freshDates(r.dates.created_at), freshDates(r.dates.deal_at)],
    call: ([start, end]) => cycleTime(start, end, { period: 'month', clock }),
    asRows: (t) =>
      t.slice(1).map((row) => (row[0] === 'Total' ? [totalLabel(lang), ...row.slice(1)] : row)),
  },
  retention: {
    input: (r) => [freshDates(r.dates.created_at), freshDates(r.dates.lost_at)],
    call: ([start, end]) => retention(start, end, { period: 'month', clock }),
    asRows: (t) => pad(t.slice(1), 2 + AGES),
  },
  activity: {
    input: (r) => [r.text.company.fresh(), r.text.owner.fresh()],
    call: ([companies, owners]) => activityArea(companies, { owners }),
    asRows: (t) => localizeTable(t, lang, { total: true, healthCol: 5 }).slice(1),
  },
};

/** Cells of two tables that differ (NULL as a blank cell); -1 when their shapes differ. */
function differingCells(a: unknown[][], b: unknown[][]): number {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : v);
  if (a.length !== b.length) return -1;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return -1;
    for (let j = 0; j < a[i].length; j++) if (cell(a[i][j]) !== cell(b[i][j])) n++;
  }
  return n;
}

// ---- the runs ----------------------------------------------------------------------------------------

interface Figure {
  rows: number;
  kpi: KpiId;
  label: string;
  duckMs: number;
  duckWallsMs: number[];
  duckCpuMs: number;
  duckPeakMb: number;
  duckIdleMb: number;
  jsMs?: number;
  jsWallsMs?: number[];
  jsCpuMs?: number;
  /** JS ms ÷ DuckDB ms. */
  ratio?: number;
  /** Cells differing from the JS core's table (funnel-offset: from the timezone() funnel's). */
  differing?: number;
}

const loadAtStart = loadavg()[0];
const dir = mkdtempSync(join(process.env.BENCH_DUCKDB_DIR ?? tmpdir(), 'kpi-bench-'));
const spill = join(dir, 'spill');
mkdirSync(spill);
const KPIS = process.env.BENCH_DUCKDB_KPIS?.split(',');
const cases = kpiCases(settings).filter((c) => !KPIS || KPIS.includes(c.id));
const figures: Figure[] = [];
const generated: { rows: number; seconds: number; cpuSeconds: number; mb: number }[] = [];
const reads: { rows: number; seconds: number }[] = [];

try {
  for (const n of SIZES) {
    const file = join(dir, `leads-${n}.parquet`);
    const gen = await generateLeads({ rows: n, out: file });
    generated.push({
      rows: n,
      seconds: gen.seconds,
      cpuSeconds: gen.cpuSeconds,
      mb: gen.bytes / 2 ** 20,
    });
    console.log(
      `\n${n.toLocaleString('en')} leads generated in ${gen.seconds.toFixed(1)} s (${(gen.bytes / 2 ** 20).toFixed(0)} MiB parquet)`,
    );
    const sqlRows = new Map<KpiId, unknown[][]>();
    for (const c of cases) {
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', import.meta.filename, '--child'],
        {
          input: JSON.stringify({ file, sql: c.sql, runs: RUNS, spill } satisfies Job),
          encoding: 'utf8',
          maxBuffer: 64 * 2 ** 20,
          cwd: join(import.meta.dirname, '..'),
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      if (child.status !== 0) throw new Error(`${c.id} at ${n}: the DuckDB process failed`);
      const r = JSON.parse(child.stdout.trim().split('\n').pop() as string) as ChildResult;
      sqlRows.set(c.id, r.rows);
      figures.push({
        rows: n,
        kpi: c.id,
        label: c.label,
        duckMs: median(r.wallsMs),
        duckWallsMs: r.wallsMs,
        duckCpuMs: median(r.cpuMs),
        duckPeakMb: r.peakMb,
        duckIdleMb: r.idleMb,
      });
      process.stdout.write(
        `  ${c.label}: DuckDB ${median(r.wallsMs).toFixed(0)} ms (CPU ${median(r.cpuMs).toFixed(0)} ms)\n`,
      );
    }
    const offset = figures.find((f) => f.rows === n && f.kpi === 'funnel-offset');
    const tz = sqlRows.get('funnel');
    if (offset && tz) offset.differing = differingCells(tz, sqlRows.get('funnel-offset') ?? []);
    if (n <= JS_MAX) {
      const t0 = performance.now();
      const rows = await readRows(file, n, spill);
      reads.push({ rows: n, seconds: (performance.now() - t0) / 1000 });
      for (const c of cases) {
        const js = JS[c.id];
        if (!js) continue;
        const walls: number[] = [];
        const cpu: number[] = [];
        let table: Cell[][] = [];
        for (let k = 0; k < RUNS; k++) {
          const args = js.input(rows);
          gc();
          const c0 = process.cpuUsage();
          const t = performance.now();
          table = js.call(args);
          walls.push(performance.now() - t);
          cpu.push(cpuOf(process.cpuUsage(c0)));
        }
        const f = figures.find((x) => x.rows === n && x.kpi === c.id) as Figure;
        f.jsMs = median(walls);
        f.jsWallsMs = walls;
        f.jsCpuMs = median(cpu);
        f.ratio = f.jsMs / f.duckMs;
        f.differing = differingCells(js.asRows(table), sqlRows.get(c.id) as unknown[][]);
        process.stdout.write(`  ${c.label}: JS ${f.jsMs.toFixed(0)} ms\n`);
      }
    }
    rmSync(file);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---- the table ------------------------------------------------------------------------------------------

const cpu = cpus();
console.log(
  `\nKPI queries on DuckDB beside the JS cores — ${cpu.length} cores (${cpu[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, shared and noisy (load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end); node ${process.version}; DuckDB ${(await import('@duckdb/node-api')).version()}, default threads`,
);
console.log(
  `wall times (CPU: the process's, DuckDB's threads included), medians of ${RUNS}; DuckDB in a fresh process per query over the parquet view; peak = that process's VmHWM (idle ≈ ${median(figures.map((f) => f.duckIdleMb)).toFixed(0)} MB of it); JS÷DuckDB of the wall times`,
);
const w = (s: string | number, n: number) => String(s).padStart(n);
const opt = (x: number | undefined, digits = 0) => (x === undefined ? '–' : x.toFixed(digits));
console.log(
  `${'rows'.padEnd(12)}${'KPI'.padEnd(34)}${w('DuckDB ms', 11)}${w('(CPU)', 8)}${w('peak MB', 9)}${w('JS ms', 9)}${w('(CPU)', 8)}${w('JS÷DuckDB', 11)}${w('same', 6)}`,
);
for (const f of figures) {
  const same = f.differing === undefined ? '' : f.differing === 0 ? 'yes' : `NO (${f.differing})`;
  console.log(
    `${f.rows.toLocaleString('en').padEnd(12)}${f.label.padEnd(34)}${w(f.duckMs.toFixed(0), 11)}${w(f.duckCpuMs.toFixed(0), 8)}${w(f.duckPeakMb.toFixed(0), 9)}${w(opt(f.jsMs), 9)}${w(opt(f.jsCpuMs), 8)}${w(opt(f.ratio, 2), 11)}${w(same, 6)}`,
  );
}
for (const g of generated)
  console.log(
    `generate ${g.rows.toLocaleString('en')}: ${g.seconds.toFixed(1)} s wall, ${g.cpuSeconds.toFixed(1)} s CPU, ${g.mb.toFixed(0)} MiB`,
  );
for (const r of reads)
  console.log(
    `read ${r.rows.toLocaleString('en')} rows into JS (not timed above): ${r.seconds.toFixed(1)} s`,
  );
console.log(`same: the DuckDB rows equal the JS core's table cell for cell ("NO (k)": k cells differ,
  -1 a different shape); for the fixed-offset funnel, equal to the timezone() funnel's rows.`);

const outDir = join(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'duckdb-kpis.json'),
  JSON.stringify(
    {
      node: process.version,
      date: new Date().toISOString(),
      runs: RUNS,
      loadAverage: [loadAtStart, loadavg()[0]],
      generated,
      reads,
      figures,
    },
    null,
    2,
  ),
);
