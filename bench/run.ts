/**
 * npm run bench — the custom functions on the built bundle, loaded as script code like Apps
 * Script (one global scope) against a bare loop that only turns each Date into a month index, in the
 * same run. Prints medians, rows per second and ratios; writes the same figures to bench/results/latest.json.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, loadBundleHere } from '../tests/helpers/gas';

const SIZES = [10_000, 100_000, 1_000_000];
const RUNS: Record<number, number> = { 10000: 31, 100000: 15, 1000000: 9 };

const gas = loadBundleHere({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });

// The bundle runs in this process's global scope (see loadBundleHere for why not a vm context);
// data generation and the timed calls are evaluated as script code in that same scope. A seeded generator keeps every run's data the same.
gas.run(`
  var __rand = (function (seed) {
    return function () {
      seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  })(20251122);
  var __make = function (n) {
    var start = Date.UTC(2024, 0, 1) - 9 * 3600000, span = 548 * 86400000;
    var forms = ['株式会社{}', '{}株式会社', '(株){}', '{} Inc.', '{}', 'info@{}.co.jp'];
    var owners = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村'];
    var leads = new Array(n), convs = new Array(n), comps = new Array(n), counts = new Array(n), reps = new Array(n);
    var crm = new Array(n); // an activity log exported from a CRM: one spelling per account
    for (var i = 0; i < n; i++) {
      var t = start + Math.floor(__rand() * span);
      leads[i] = [new Date(t)];
      convs[i] = [__rand() < 0.3 ? new Date(t + Math.floor(__rand() * 120 * 86400000)) : ''];
      // A market of 20,000 companies, each spelled six ways, and 30,000 free-mail people.
      var c = 'company' + Math.floor(__rand() * 20000);
      var person = __rand() < 0.05 ? 'person' + Math.floor(__rand() * 30000) + '@gmail.com' : null;
      comps[i] = [person || forms[i % forms.length].replace('{}', c)];
      crm[i] = [person || '株式会社' + c];
      counts[i] = [1 + Math.floor(__rand() * 4)];
      reps[i] = [owners[Math.floor(__rand() * owners.length)]];
    }
    // Strings from Sheets arrive flat and unshared, as after deserialising: not the cons strings
    // that '+' builds (which Map lookups would flatten, and time, on first use).
    var text = JSON.parse(JSON.stringify({ comps: comps, crm: crm, reps: reps }));
    return { leads: leads, convs: convs, comps: text.comps, crm: text.crm, counts: counts, reps: text.reps };
  };
  // The floor for anything that counts distinct strings: one Map lookup per cell.
  var __bareMap = function (col) {
    var m = new Map();
    for (var i = 0; i < col.length; i++) {
      var s = col[i][0];
      if (m.get(s) === undefined) m.set(s, m.size);
    }
    return m.size;
  };
  var __bare = function (cols) {
    var acc = 0;
    for (var c = 0; c < cols.length; c++) {
      var col = cols[c];
      for (var i = 0; i < col.length; i++) {
        var d = col[i][0];
        if (d instanceof Date) acc += d.getFullYear() * 12 + d.getMonth();
      }
    }
    return acc;
  };
`);

interface Row {
  fn: string;
  rows: number;
  medianMs: number;
  rowsPerSec: number;
  bareMs: number;
  ratioToBare: number;
  /** ACTIVITY_AREA only: against a loop doing one Map lookup per company cell. */
  ratioToMapLoop?: number;
  heapGrowthMB: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function time(code: string, runs: number): { median: number; heap: number } {
  const times: number[] = [];
  let heap = 0;
  gas.run(code); // warm-up
  for (let r = 0; r < runs; r++) {
    gc?.();
    const h0 = process.memoryUsage().heapUsed;
    const t0 = process.hrtime.bigint();
    gas.run(code);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    heap = Math.max(heap, process.memoryUsage().heapUsed - h0);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], heap: heap / 1024 / 1024 };
}

const results: Row[] = [];
for (const n of SIZES) {
  gas.run(`var __d = __make(${n});`);
  const runs = RUNS[n];
  // The bare loop reads the same Date cells the function reads: both columns for the cohort.
  const bare2 = time('__bare([__d.leads, __d.convs])', runs);
  const bare1 = time('__bare([__d.leads])', runs);
  const cohort = time('COHORT_CONVERSION(__d.leads, __d.convs)', runs);
  const slice = time("COHORT_CONVERSION(__d.leads, __d.convs, 'slice', 'week')", runs);
  const area = time('ACTIVITY_AREA(__d.comps, __d.counts, __d.reps)', runs);
  const mapLoop = time('__bareMap(__d.comps)', runs);
  const crmArea = time('ACTIVITY_AREA(__d.crm, __d.counts, __d.reps)', runs);
  const crmMap = time('__bareMap(__d.crm)', runs);
  const add = (fn: string, m: { median: number; heap: number }, bare: number, map?: number) =>
    results.push({
      fn,
      rows: n,
      medianMs: m.median,
      rowsPerSec: Math.round(n / (m.median / 1000)),
      bareMs: bare,
      ratioToBare: m.median / bare,
      ratioToMapLoop: map === undefined ? undefined : m.median / map,
      heapGrowthMB: m.heap,
    });
  add('COHORT_CONVERSION chase/month', cohort, bare2.median);
  add('COHORT_CONVERSION slice/week', slice, bare2.median);
  add('ACTIVITY_AREA, 6 spellings', area, bare1.median, mapLoop.median);
  add('ACTIVITY_AREA, CRM spelling', crmArea, bare1.median, crmMap.median);
  gas.run('__d = null;');
}

const pad = (s: string | number, w: number) => String(s).padStart(w);
console.log(`\nnode ${process.version}, TZ=${process.env.TZ}, spreadsheet Asia/Tokyo; medians`);
console.log(
  `${'function'.padEnd(32)}${pad('rows', 10)}${pad('median ms', 12)}${pad('rows/s', 13)}${pad('bare ms', 10)}${pad('× bare', 9)}${pad('× map', 8)}${pad('heap MB', 9)}`,
);
for (const r of results) {
  console.log(
    `${r.fn.padEnd(32)}${pad(r.rows.toLocaleString('en'), 10)}${pad(r.medianMs.toFixed(1), 12)}${pad(r.rowsPerSec.toLocaleString('en'), 13)}${pad(r.bareMs.toFixed(1), 10)}${pad(r.ratioToBare.toFixed(2), 9)}${pad(r.ratioToMapLoop?.toFixed(2) ?? '', 8)}${pad(r.heapGrowthMB.toFixed(1), 9)}`,
  );
}
const growth: Record<string, number> = {};
for (const fn of new Set(results.map((r) => r.fn))) {
  const at = (n: number) =>
    results.find((r) => r.fn === fn && r.rows === n)?.medianMs ?? Number.NaN;
  growth[fn] = at(1_000_000) / at(100_000);
  console.log(`${fn}: 1M / 100k time = ${growth[fn].toFixed(2)} (goal ≤ 12)`);
}
const bundleBytes = statSync(join(DIST, 'Code.js')).size;
console.log(`server bundle dist/Code.js: ${(bundleBytes / 1024).toFixed(1)} KB (goal ≤ 150 KB)`);
console.log(
  'bare = a loop that only turns each Date cell into year*12+month (process-local getters),',
);
console.log('  over the same Date cells the function reads (both columns for COHORT_CONVERSION).');
console.log(
  'map  = a loop doing one Map lookup per company cell. ACTIVITY_AREA data: 20,000 companies',
);
console.log('  + 30,000 free-mail people, 8 owners; "6 spellings": every company typed six ways');
console.log('  (~150k distinct strings at 1M rows); "CRM spelling": one spelling per account.');
console.log('goal: ≤ 3× bare at 1M rows');

const outDir = join(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'latest.json'),
  JSON.stringify(
    { node: process.version, date: new Date().toISOString(), results, growth, bundleBytes },
    null,
    2,
  ),
);
