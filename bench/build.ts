/**
 * npm run bench, part 2 — on the local runtime (HyperFormula):
 *  - COHORT_CONVERSION beside a hand-made COUNTIFS cohort matrix (24 × 24) at 10k and 25k leads;
 *  - the KPI build at 1k, 10k and 100k leads: service calls per generated sheet, medians of
 *    BUILD_RUNS builds (each on a new runtime) of wall and CPU time;
 *  - where a 100k-lead build's time goes: one more build, in a process of its own, under V8's
 *    sampling profiler, summed by category (bench/profile-build.ts);
 *  - headroom against Apps Script's limits at an assumed slowdown factor;
 *  - detection from values (#23): a wide text tab, 10k and 100k rows, a tab as kpiListTabs reads it;
 *  - sizes of the server bundle and the sidebar page.
 * Adds its figures to bench/results/latest.json.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, LocalRuntime } from '../local/runtime';
import { sampleWorkbook, tokyoDate } from '../local/sample';
import type { TabInspection } from '../src/addon/api';
import { ZoneClock } from '../src/core/dates';
import { detectMapping } from '../src/core/detect';
import { classifyTab } from '../src/core/inspect';
import { readLeadTable } from '../src/core/leads';
import { buildModels } from '../src/core/sheets/index';
import { buildSettings } from './profile-build';

// BENCH_ONLY=DUCKDB: only part 3 (bench/duckdb-kpis.ts) of npm run bench.
if ((process.env.BENCH_ONLY ?? '').split(',').every((p) => p.toUpperCase() === 'DUCKDB')) {
  process.exit(0);
}

const ms = (t0: number) => performance.now() - t0;
const out: Record<string, unknown> = {};

// ---- COUNTIFS matrix vs COHORT_CONVERSION ------------------------------------------------------
function cohortLeads(n: number): unknown[][] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const rows: unknown[][] = [['created', 'deal']];
  for (let i = 0; i < n; i++) {
    const day = Math.floor(rand() * 730); // 24 months from 2024-01
    const created = new Date(tokyoDate(2024, 1, 1).getTime() + day * 86_400_000);
    const deal =
      rand() < 0.3 ? new Date(created.getTime() + Math.floor(rand() * 200) * 86_400_000) : '';
    rows.push([created, deal]);
  }
  return rows;
}

console.log(
  '\nCOHORT_CONVERSION vs a COUNTIFS cohort matrix (24 × 24), both evaluated by HyperFormula, one run',
);
const countifs: Record<string, unknown>[] = [];
for (const n of process.env.QUICK ? [2_000] : [10_000, 25_000]) {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo' });
  rt.loadSheets([{ name: 'L', rows: cohortLeads(n) }]);
  const ss = rt.spreadsheet.self;
  const last = n + 1;
  // Month starts in A2:A26, then row i, offset k: converted by the start of month i+k+1.
  const matrix = ss.insertSheet('M');
  matrix
    .getRange('A2:A26')
    .setValues(Array.from({ length: 25 }, (_, i) => [tokyoDate(2024, 1 + i, 1)]));
  const formulas: string[][] = [];
  for (let i = 0; i < 24; i++) {
    const line: string[] = [];
    const cohort = `COUNTIFS(L!$A$2:$A$${last},">="&$A${i + 2},L!$A$2:$A$${last},"<"&$A${i + 3})`;
    for (let k = 0; k < 24; k++) {
      line.push(
        i + k + 3 > 26
          ? '=""'
          : `=IF(${cohort}=0,"",COUNTIFS(L!$A$2:$A$${last},">="&$A${i + 2},L!$A$2:$A$${last},"<"&$A${i + 3},L!$B$2:$B$${last},"<"&$A${i + k + 3})/${cohort})`,
      );
    }
    formulas.push(line);
  }
  let t0 = performance.now();
  matrix.getRange(2, 2, 24, 24).setFormulas(formulas);
  const matrixMs = ms(t0);
  const own = ss.insertSheet('C');
  // The chase table is 4 + 24 columns wide: a new sheet has 26, and Sheets (like the runtime)
  // never grows a grid for a spill — it shows #REF! — so the sheet is widened first.
  own.insertColumnsAfter(own.getMaxColumns(), 10);
  t0 = performance.now();
  own.getRange('A1').setFormula('=COHORT_CONVERSION(L!A2:A, L!B2:B)');
  const fnMs = ms(t0);
  // The same numbers wherever both show one (the matrix blanks months past the data's last
  // month; the function blanks only what is past as_of, the latest deal).
  const a = rt
    .values('M')
    .slice(1, 25)
    .map((r) => r.slice(1, 25));
  const b = rt
    .values('C')
    .slice(1, 25)
    .map((r) => r.slice(4, 28));
  let compared = 0;
  let differ = 0;
  for (let i = 0; i < a.length; i++) {
    for (let k = 0; k < a[i].length; k++) {
      const x = a[i][k];
      const y = b[i]?.[k];
      if (typeof x === 'number' && typeof y === 'number') {
        compared++;
        if (Math.abs(x - y) > 1e-12) differ++;
      }
    }
  }
  const same = compared > 250 && differ === 0;
  countifs.push({
    leads: n,
    countifsMs: matrixMs,
    cohortConversionMs: fnMs,
    ratio: matrixMs / fnMs,
    sameNumbers: same,
  });
  console.log(
    `  ${n.toLocaleString('en').padStart(6)} leads: COUNTIFS matrix ${matrixMs.toFixed(0).padStart(6)} ms · COHORT_CONVERSION ${fnMs.toFixed(0).padStart(4)} ms · ${(matrixMs / fnMs).toFixed(0)}× faster · same numbers: ${same ? 'yes' : 'NO'} (${compared} cells compared, ${differ} differ)`,
  );
}
out.countifs = countifs;

// ---- the KPI build -------------------------------------------------------------------------------
const BUILD_RUNS: Record<number, number> = { 1000: 5, 10000: 5, 100000: 3 };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** A new runtime with the sample workbook of n leads, and the settings the sidebar would send. */
function prepared(n: number) {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
  rt.loadSheets(sampleWorkbook({ leads: n }));
  return { rt, settings: buildSettings(rt.call<TabInspection>('kpiInspectTab', 'Leads')) };
}
console.log(
  '\nKPI build on the local runtime (sample workbook): medians of wall and CPU time (a new runtime per build), service calls per generated sheet',
);
const builds: Record<string, unknown>[] = [];
let core100k = 0;
for (const n of process.env.QUICK ? [1_000] : [1_000, 10_000, 100_000]) {
  const wall: number[] = [];
  const cpu: number[] = [];
  let perSheet: Record<string, number> = {};
  let calls = 0;
  for (let r = 0; r < (process.env.QUICK ? 1 : BUILD_RUNS[n]); r++) {
    const { rt, settings } = prepared(n);
    rt.counter.reset();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = rt.call<{ sheets: { name: string }[] }>('kpiBuild', settings);
    const c = process.cpuUsage(c0);
    wall.push(ms(t0));
    cpu.push((c.user + c.system) / 1000);
    if (r === 0) {
      perSheet = Object.fromEntries(
        result.sheets.map((s) => [
          s.name,
          rt.counter.perSheet.get(rt.wb.sheetId(s.name) as number) ?? 0,
        ]),
      );
      calls = rt.counter.total();
    }
  }
  // The script-side work alone (what Apps Script would run; formulas are Sheets' work there).
  const { rt, settings } = prepared(n);
  const values = rt.values('Leads');
  const core: number[] = [];
  for (let r = 0; r < 5; r++) {
    const c0 = performance.now();
    const table = readLeadTable(values, settings.mapping, new ZoneClock('Asia/Tokyo'));
    buildModels(settings, table, values, new ZoneClock('Asia/Tokyo'));
    core.push(ms(c0));
  }
  const coreMs = median(core);
  if (n === 100_000) core100k = coreMs;
  const buildMs = median(wall);
  const cpuMs = median(cpu);
  builds.push({ leads: n, buildMs, cpuMs, runs: wall.length, coreMs, calls, perSheet });
  console.log(
    `  ${n.toLocaleString('en').padStart(7)} leads: build ${buildMs.toFixed(0).padStart(6)} ms wall, ${cpuMs.toFixed(0).padStart(6)} ms CPU (${((buildMs / n) * 1000).toFixed(0)} ms per 1k; ${wall.length} builds) · script-side ${coreMs.toFixed(0)} ms · calls/sheet ${Object.values(perSheet).join(' ')} · all calls ${calls}`,
  );
}
out.builds = builds;

// ---- where the 100k build's time goes ------------------------------------------------------------
// In a process of its own (bench/profile-build.ts), so that the builds above leave nothing behind.
if (!process.env.QUICK) {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, join(import.meta.dirname, 'profile-build.ts'), '100000'],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) throw new Error('bench/profile-build.ts failed');
  out.profile100k = JSON.parse(
    readFileSync(join(import.meta.dirname, 'results', 'profile-100000.json'), 'utf8'),
  );
}

// ---- headroom -----------------------------------------------------------------------------------
const FACTOR = 10;
const prev = existsSync(join(import.meta.dirname, 'results', 'latest.json'))
  ? JSON.parse(readFileSync(join(import.meta.dirname, 'results', 'latest.json'), 'utf8'))
  : {};
const at100k = (prev.results ?? []).find(
  (r: { fn: string; rows: number }) =>
    r.fn === 'COHORT_CONVERSION chase/month' && r.rows === 100_000,
);
const fn100k = at100k ? at100k.medianMs : Number.NaN;
const calls100k = (builds[builds.length - 1] as { calls: number }).calls;
const buildEstimate = (core100k * FACTOR) / 1000 + calls100k * 0.2 + 10;
console.log(`\nHeadroom at an assumed Apps Script slowdown of ${FACTOR}× Node (see NOTES.md):`);
console.log(
  Number.isNaN(fn100k)
    ? '  custom function, 100k rows: no COHORT_CONVERSION figure at 100k rows in bench/results/latest.json (run bench/run.ts with its default sizes first)'
    : `  custom function, 100k rows: ${fn100k.toFixed(0)} ms here (cold) → ~${((fn100k * FACTOR) / 1000).toFixed(2)} s there; limit 30 s → margin ${(30_000 / (fn100k * FACTOR)).toFixed(0)}× (goal ≥ 10×)`,
);
console.log(
  `  build, 100k leads: script-side ${core100k.toFixed(0)} ms here → ~${buildEstimate.toFixed(0)} s there (×${FACTOR}, + ${calls100k} calls × 0.2 s, + 10 s to read 1.6M cells); limit 360 s → margin ${(360 / buildEstimate).toFixed(1)}×`,
);
out.headroom = {
  factor: FACTOR,
  customFunction100kMs: fn100k,
  build100kScriptMs: core100k,
  build100kEstimateS: buildEstimate,
};

// ---- Detection (#23): reading an export's columns from their values -----------------------------
/** A tab of `cols` columns × `rows` rows: text, numbers as text, names — nothing a role wants. */
function wideTab(cols: number, rows: number): unknown[][] {
  const v: unknown[][] = [Array.from({ length: cols }, (_v, c) => `col ${c}`)];
  for (let r = 0; r < rows; r++)
    v.push(
      Array.from({ length: cols }, (_v, c) =>
        c % 3 === 0
          ? `text ${r % 50} value`
          : c % 3 === 1
            ? `${(r * 7 + c) % 1000}`
            : `Name ${r % 30}`,
      ),
    );
  return v;
}
/** A lead tab of `n` rows with unknown headers: dates, companies, stages, amounts, closings. */
function unknownLeads(n: number): unknown[][] {
  const v: unknown[][] = [['ID', 'When', 'Org', 'Step', 'Worth', 'Ended']];
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(2025, 0, 1 + (i % 300)));
    const st = ['New', 'MQL', 'Proposal', 'Won', 'Lost'][i % 5];
    v.push([
      `L${i}`,
      d,
      `Company ${i % 900} Inc.`,
      st,
      st === 'Won' ? 1000 * (1 + (i % 7)) : '',
      st === 'Won' || st === 'Lost' ? new Date(d.getTime() + 20 * 864e5) : '',
    ]);
  }
  return v;
}
const detectClock = new ZoneClock('Asia/Tokyo');
const medianOf = (f: () => void, runs = 5) => {
  const t: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    f();
    t.push(ms(t0));
  }
  return t.sort((a, b) => a - b)[runs >> 1];
};
const detection: Record<string, number> = {};
for (const [label, values, name] of [
  ['300 text columns × 2,000 rows', wideTab(300, 2_000), 'Export'],
  ['6 columns × 10,000 rows', unknownLeads(10_000), 'Leads'],
  ['6 columns × 100,000 rows', unknownLeads(100_000), 'Leads'],
] as const) {
  detection[label] = medianOf(() =>
    detectMapping(values as unknown[][], 1, name, detectClock, 'mdy'),
  );
}
const tabs200 = wideTab(200, 200);
detection['kpiListTabs per tab (200 × 200)'] = medianOf(() =>
  classifyTab(tabs200, 'Export', detectClock, 'mdy'),
);
console.log('\nDetection from values (median of 5, ms):');
for (const [k, v] of Object.entries(detection)) console.log(`  ${k.padEnd(34)} ${v.toFixed(0)}`);
console.log(
  `  100k ÷ 10k rows: ${(detection['6 columns × 100,000 rows'] / detection['6 columns × 10,000 rows']).toFixed(2)}× (a sample of 2,000 rows spread over the tab: ~flat)`,
);
out.detection = detection;

const sizes = {
  serverBundleBytes: statSync(join(DIST, 'Code.js')).size,
  sidebarHtmlBytes: statSync(join(DIST, 'sidebar.html')).size,
};
console.log(
  `\nSizes: dist/Code.js ${(sizes.serverBundleBytes / 1024).toFixed(1)} KB · dist/sidebar.html ${(sizes.sidebarHtmlBytes / 1024).toFixed(1)} KB`,
);
out.sizes = sizes;
writeFileSync(
  join(import.meta.dirname, 'results', 'latest.json'),
  JSON.stringify({ ...prev, ...out }, null, 2),
);
