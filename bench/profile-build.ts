/**
 * Where the time of a KPI build on the local runtime goes: runs one build (default 100k leads)
 * under V8's sampling profiler and sums the samples by category. Each sample goes to the first
 * frame, walking from the leaf towards the root, that belongs to a category:
 *  - garbage collector — V8's "(garbage collector)" node;
 *  - bundle: custom functions — dist/Code.js code with the engine's custom-function call below it
 *    (Workbook.callCustom/evaluateCustom/predictCustomSize);
 *  - bundle: builder — dist/Code.js code otherwise (kpiBuild and what it calls, script side);
 *  - marshalling — the glue that carries cells into a custom function and its result back out
 *    (engine.ts callCustom/toArgument/scalarArgument/serialToDate/evaluateCustom/fromResult …,
 *    runtime.ts's callGlobal and the in-context array copy);
 *  - Apps Script emulation — local/services.ts and the rest of local/engine.ts (Range.getValues /
 *    setValues, formats, formula re-entry; V8 inlines one into the other, so they are one);
 *  - HyperFormula: custom-function arguments — node_modules/hyperformula code running under
 *    Workbook.callCustom/evaluateCustom/predictCustomSize (evaluating the argument ranges into
 *    value arrays, wrapping the result);
 *  - HyperFormula: the rest — node_modules/hyperformula otherwise (parsing, dependency graph,
 *    evaluation of the sheets' own formulas);
 *  - other — builtins called from none of the above, node internals, "(program)".
 * Builtins (Array.prototype.map, new Date …) count for their caller's category.
 *
 *   TZ=UTC node --max-old-space-size=8000 --import tsx bench/profile-build.ts [leads]
 *
 * Writes bench/results/build-<leads>.cpuprofile (open it in Chrome DevTools or speedscope).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { DIST, LocalRuntime } from '../local/runtime';
import { sampleWorkbook } from '../local/sample';
import type { TabInspection } from '../src/addon/api';
import type { KpiSettings } from '../src/core/settings';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const MARSHAL = new Set([
  'callCustom',
  'toArgument',
  'scalarArgument',
  'serialToDate',
  'fromResult',
  'evaluateCustom',
  'predictCustomSize',
]);

export const CATEGORIES = [
  'marshalling into/out of custom functions',
  'garbage collector',
  'bundle: custom functions',
  'bundle: builder (script side)',
  'Apps Script emulation (services, workbook)',
  'HyperFormula: custom-function arguments',
  'HyperFormula: the rest',
  'other',
] as const;
type Category = (typeof CATEGORIES)[number];

function zoneOf(node: ProfileNode): Category | 'bundle' | undefined {
  // 'bundle' and 'HyperFormula: the rest' are split further by what called them.
  const { functionName: fn, url } = node.callFrame;
  if (fn === '(garbage collector)') return 'garbage collector';
  if (url.endsWith('Code.js')) return 'bundle';
  // The runtime's in-context helpers (the array copy into the bundle's realm) have no file name.
  if (url.startsWith('evalmachine')) return 'marshalling into/out of custom functions';
  if (url.includes('/local/engine.ts')) {
    // An arrow (a map callback …) counts for the named method it was created in, further up.
    if (fn === '') return undefined;
    return MARSHAL.has(fn)
      ? 'marshalling into/out of custom functions'
      : 'Apps Script emulation (services, workbook)';
  }
  if (url.includes('/local/runtime.ts')) {
    // LocalRuntime.call (how the bench starts kpiBuild) is not marshalling; the callGlobal arrow
    // (anonymous once transpiled) is.
    return fn === 'call' ? 'other' : 'marshalling into/out of custom functions';
  }
  if (url.includes('/local/services.ts')) return 'Apps Script emulation (services, workbook)';
  if (url.includes('/node_modules/hyperformula/')) return 'HyperFormula: the rest';
  return undefined;
}

/** Milliseconds per category, and self time of the heaviest functions. */
export function summarise(profile: Profile): {
  byCategory: Record<Category, number>;
  totalMs: number;
  top: { fn: string; url: string; ms: number }[];
} {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) byId.set(n.id, n);
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Every custom-function call goes through these Workbook methods.
  const CUSTOM = new Set(['callCustom', 'evaluateCustom', 'predictCustomSize']);
  const isCallCustom = (n: ProfileNode) =>
    CUSTOM.has(n.callFrame.functionName) && n.callFrame.url.includes('/local/engine.ts');
  const memo = new Map<number, Category>();
  const categoryOf = (leaf: number): Category => {
    const known = memo.get(leaf);
    if (known) return known;
    let cat: Category = 'other';
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id) as ProfileNode;
      const zone = zoneOf(node);
      if (zone === undefined) continue;
      cat = zone === 'bundle' ? 'bundle: builder (script side)' : zone;
      if (zone === 'bundle' || zone === 'HyperFormula: the rest') {
        for (let up = parent.get(id); up !== undefined; up = parent.get(up)) {
          if (isCallCustom(byId.get(up) as ProfileNode)) {
            cat =
              zone === 'bundle'
                ? 'bundle: custom functions'
                : 'HyperFormula: custom-function arguments';
            break;
          }
        }
      }
      break;
    }
    memo.set(leaf, cat);
    return cat;
  };
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const self = new Map<number, number>();
  let totalMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i + 1] is the time until the next sample: the time this sample stands for.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const id = profile.samples[i];
    byCategory[categoryOf(id)] += ms;
    self.set(id, (self.get(id) ?? 0) + ms);
    totalMs += ms;
  }
  const perFn = new Map<string, { fn: string; url: string; ms: number }>();
  for (const [id, ms] of self) {
    const { functionName, url } = (byId.get(id) as ProfileNode).callFrame;
    const key = `${functionName}|${url}`;
    const row = perFn.get(key) ?? { fn: functionName || '(anonymous)', url, ms: 0 };
    row.ms += ms;
    perFn.set(key, row);
  }
  const top = [...perFn.values()].sort((a, b) => b.ms - a.ms).slice(0, 15);
  return { byCategory, totalMs, top };
}

export function buildSettings(ins: TabInspection): KpiSettings {
  return {
    leadSheet: 'Leads',
    mapping: ins.mapping,
    period: 'month',
    from: ins.defaults.from,
    to: ins.defaults.to,
    revenueTarget: 30_000_000,
    targetExclude: [],
    capacity: [{ stage: 'MQL', heads: 3, perHead: 120 }],
    rankHorizons: { A: 90, B: 180, C: 365 },
    lang: 'ja',
  };
}

if (import.meta.filename === process.argv[1] && process.argv[2] === '--summarise') {
  // Re-reads a saved profile: bench/profile-build.ts --summarise bench/results/build-100000.cpuprofile
  const { readFileSync } = await import('node:fs');
  const { byCategory, totalMs } = summarise(JSON.parse(readFileSync(process.argv[3], 'utf8')));
  for (const c of CATEGORIES) {
    console.log(
      `  ${c.padEnd(42)}${byCategory[c].toFixed(0).padStart(7)} ms ${((100 * byCategory[c]) / totalMs).toFixed(1).padStart(5)} %`,
    );
  }
} else if (import.meta.filename === process.argv[1]) {
  const leads = Number(process.argv[2] ?? 100_000);
  const distDir = process.env.BENCH_DIST ?? DIST;
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP', distDir });
  rt.loadSheets(sampleWorkbook({ leads }));
  const settings = buildSettings(rt.call<TabInspection>('kpiInspectTab', 'Leads'));
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  rt.call('kpiBuild', settings);
  const buildMs = performance.now() - t0;
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  const { byCategory, totalMs, top } = summarise(profile);
  console.log(
    `\nKPI build, ${leads.toLocaleString('en')} leads, local runtime: ${buildMs.toFixed(0)} ms (profiled; ${totalMs.toFixed(0)} ms of samples)`,
  );
  for (const c of CATEGORIES) {
    console.log(
      `  ${c.padEnd(42)}${byCategory[c].toFixed(0).padStart(7)} ms ${((100 * byCategory[c]) / totalMs).toFixed(1).padStart(5)} %`,
    );
  }
  console.log('\nheaviest functions (self time):');
  for (const t of top) {
    const where = t.url.replace(/^.*\/(node_modules\/[^/]+|local|src|dist)\//, '$1/');
    console.log(`  ${t.ms.toFixed(0).padStart(6)} ms  ${t.fn}  ${where}`);
  }
  const outDir = join(import.meta.dirname, 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `build-${leads}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const json = join(outDir, `profile-${leads}.json`);
  writeFileSync(json, JSON.stringify({ leads, buildMs, totalMs, byCategory, top }, null, 2));
  console.log(`\nprofile: ${file}`);
}
