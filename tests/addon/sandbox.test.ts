/**
 * dist/Code.js in a node:vm context that holds only what Apps Script's V8 gives a script: the
 * ECMAScript built-ins (with Intl), `console`, `Logger` and the Apps Script services. No process,
 * require, Buffer, timers, URL, fetch, TextEncoder, structuredClone, atob … and not even V8's own
 * extras that Apps Script does not document (WebAssembly, V8's inspector console).
 *
 * The services are the local runtime's (an in-memory spreadsheet evaluated by HyperFormula), put
 * behind a guard that enforces what each kind of execution may call:
 * - loading the script (every execution runs the top level first): no service call at all;
 * - onOpen in AuthMode.NONE: the add-on menu (SpreadsheetApp.getUi), Session's locale, Utilities —
 *   nothing that needs authorisation, no spreadsheet reads;
 * - a custom function (called directly, or by the engine while a build writes formulas): reads
 *   only — no getUi, no write of any kind, no LockService, HtmlService or property writes
 *   (Google's "Custom functions" guide; Lock and HTML "work but aren't useful" there, and are
 *   refused here so that the add-on never depends on them);
 * - the sidebar API and the menu actions (AuthMode.FULL): everything.
 * A refused call throws an Error of the script's realm and is recorded, so that refusals that
 * the engine turns into #ERROR! cells still fail the test. Values handed to the script (ranges'
 * values, Dates, lists of sheets) are made in the script's realm, as Apps Script's are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { customFunctionsOf, DIST, LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { DealsInspection, TabInspection } from '../../src/addon/api';
import type { KpiSettings } from '../../src/core/settings';
import { sampleExtras, settingsFor } from '../helpers/settings';

type Mode = 'LOAD' | 'NONE' | 'CUSTOM_FUNCTION' | 'FULL';

/** The global object's own names ECMAScript (ES2024, Annex B, ECMA-402) defines. */
const ECMASCRIPT = new Set([
  'Object',
  'Function',
  'Array',
  'Number',
  'parseFloat',
  'parseInt',
  'Infinity',
  'NaN',
  'undefined',
  'Boolean',
  'String',
  'Symbol',
  'Date',
  'Promise',
  'RegExp',
  'Error',
  'AggregateError',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  'globalThis',
  'JSON',
  'Math',
  'Intl',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'Atomics',
  'Uint8Array',
  'Int8Array',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'Uint8ClampedArray',
  'BigUint64Array',
  'BigInt64Array',
  'DataView',
  'Map',
  'BigInt',
  'Set',
  'WeakMap',
  'WeakSet',
  'Proxy',
  'Reflect',
  'FinalizationRegistry',
  'WeakRef',
  'Iterator',
  'decodeURI',
  'decodeURIComponent',
  'encodeURI',
  'encodeURIComponent',
  'escape',
  'unescape',
  'eval',
  'isFinite',
  'isNaN',
]);

const SERVICES = [
  'SpreadsheetApp',
  'Session',
  'PropertiesService',
  'LockService',
  'CacheService',
  'Utilities',
  'HtmlService',
  'Charts',
  'ScriptApp',
] as const;

/** Node's (and browsers') globals that Apps Script does not have. */
const NOT_IN_APPS_SCRIPT = [
  'process',
  'require',
  'module',
  'exports',
  '__dirname',
  '__filename',
  'Buffer',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'queueMicrotask',
  'URL',
  'URLSearchParams',
  'fetch',
  'Headers',
  'Request',
  'Response',
  'FormData',
  'Blob',
  'TextEncoder',
  'TextDecoder',
  'structuredClone',
  'atob',
  'btoa',
  'performance',
  'navigator',
  'crypto',
  'AbortController',
  'EventTarget',
  'Event',
  'MessageChannel',
  'BroadcastChannel',
  'WebSocket',
  'WebAssembly',
];

/** Kind of a service object, from the call that returned it (for the mode rules). */
function kindOf(kind: string, method: string): string {
  if (kind === 'SpreadsheetApp' && method === 'getUi') return 'Ui';
  if (kind === 'Ui' && (method === 'createAddonMenu' || method === 'createMenu')) return 'Menu';
  if (kind === 'PropertiesService') return 'Properties';
  if (kind === 'LockService') return 'Lock';
  if (kind === 'CacheService') return 'Cache';
  if (kind === 'HtmlService') return 'HtmlOutput';
  return kind === 'SpreadsheetApp' ? 'Spreadsheet' : kind;
}

const READ = /^(get|is|has)[A-Z]/;

/** May an execution of this mode call `kind.method`? */
function allowed(mode: Mode, kind: string, method: string): boolean {
  switch (mode) {
    case 'FULL':
      return true;
    case 'LOAD':
      return false;
    case 'NONE':
      return (
        (kind === 'SpreadsheetApp' && method === 'getUi') ||
        (kind === 'Ui' && (method === 'createAddonMenu' || method === 'createMenu')) ||
        kind === 'Menu' ||
        (kind === 'Session' && method === 'getActiveUserLocale') ||
        kind === 'Utilities'
      );
    case 'CUSTOM_FUNCTION':
      switch (kind) {
        case 'SpreadsheetApp':
          return READ.test(method) && method !== 'getUi';
        case 'Spreadsheet':
          return READ.test(method);
        case 'PropertiesService':
          return READ.test(method);
        case 'Properties':
          return method === 'getProperty' || method === 'getProperties' || method === 'getKeys';
        case 'Session':
          return method !== 'getActiveUser' && method !== 'getEffectiveUser';
        case 'Cache':
        case 'CacheService':
        case 'Utilities':
          return true;
        default:
          return false; // Ui, Menu, LockService, Lock, HtmlService, HtmlOutput, Charts, ScriptApp
      }
  }
}

/** The script's realm: constructors and helpers evaluated inside the context. */
interface Realm {
  arrayFrom: (a: ArrayLike<unknown>, f: (v: unknown) => unknown) => unknown[];
  date: (t: number) => Date;
  error: (message: string) => Error;
  object: () => Record<string, unknown>;
  /** Deep copy of host data (arrays, plain objects, Dates) into the realm. */
  toRealm: (v: unknown) => unknown;
  /** Whether a value could cross google.script.run: primitives, arrays, plain objects; no Dates. */
  transportable: (v: unknown) => string | null;
}

const DATA_METHODS = new Set(['getProperties', 'getAll']);

class Sandbox {
  readonly rt: LocalRuntime;
  readonly ctx: vm.Context;
  readonly realm: Realm;
  mode: Mode = 'FULL';
  readonly violations: string[] = [];
  readonly logs: unknown[][] = [];
  readonly source: string;
  /** Calls of this context's custom functions by the engine (formulas evaluated). */
  evaluated = 0;
  private readonly targets = new WeakMap<object, object>();

  constructor(opts: { timeZone?: string; locale?: string } = {}) {
    this.rt = new LocalRuntime(opts);
    // A context of our own, stripped before anything runs in it. (The local runtime's context
    // has run code already; there V8 kept resolving a deleted WebAssembly.)
    this.ctx = vm.createContext({});
    this.source = readFileSync(join(DIST, 'Code.js'), 'utf8');
    const make = <T>(code: string): T => vm.runInContext(code, this.ctx) as T;
    this.realm = {
      arrayFrom: make('(function (a, f) { return Array.from(a, f); })'),
      date: make('(function (t) { return new Date(t); })'),
      error: make('(function (m) { return new Error(m); })'),
      object: make('(function () { return {}; })'),
      toRealm: make(`(function toRealm(v) {
        if (v === null || typeof v !== 'object') return v;
        if (Object.prototype.toString.call(v) === '[object Date]') return new Date(v.getTime());
        if (Array.isArray(v)) return Array.from(v, toRealm);
        var o = {};
        Object.keys(v).forEach(function (k) { o[k] = toRealm(v[k]); });
        return o;
      })`),
      transportable: make(`(function check(v, at) {
        at = at || 'result';
        if (v === null || v === undefined) return null;
        var t = typeof v;
        if (t === 'string' || t === 'boolean') return null;
        if (t === 'number') return isFinite(v) ? null : at + ' is ' + v;
        if (t !== 'object') return at + ' is a ' + t;
        if (Object.prototype.toString.call(v) === '[object Date]') return at + ' is a Date';
        var proto = Object.getPrototypeOf(v);
        if (Array.isArray(v)) {
          for (var i = 0; i < v.length; i++) { var a = check(v[i], at + '[' + i + ']'); if (a) return a; }
          return null;
        }
        if (proto !== Object.prototype && proto !== null) return at + ' is not a plain object';
        var keys = Object.keys(v);
        for (var k = 0; k < keys.length; k++) { var b = check(v[keys[k]], at + '.' + keys[k]); if (b) return b; }
        return null;
      })`),
    };

    // Only what Apps Script has: V8's extras go, console and Logger are Apps Script's.
    const sink = (level: string, args: unknown[]) => {
      this.logs.push([level, ...args]);
    };
    make<(s: typeof sink) => void>(`(function (sink) {
      delete globalThis.WebAssembly;
      delete globalThis.console;
      function method(level) { return function () { sink(level, Array.prototype.slice.call(arguments)); }; }
      globalThis.console = { log: method('log'), info: method('info'), warn: method('warn'),
        error: method('error'), time: method('time'), timeEnd: method('timeEnd') };
      var logged = [];
      globalThis.Logger = {
        log: function () { var a = Array.prototype.slice.call(arguments); logged.push(a.join(' ')); sink('Logger', a); return this; },
        getLog: function () { return logged.join('\\n'); },
        clear: function () { logged.length = 0; },
      };
    })`)(sink);
    for (const name of SERVICES) this.ctx[name] = this.guard(this.rt.context[name], name);

    // Every execution starts by running the script's top level: it may call no service.
    this.mode = 'LOAD';
    vm.runInContext(this.source, this.ctx, { filename: 'Code.js' });
    this.mode = 'FULL';

    // Formulas the engine evaluates call this context's custom functions, with their arguments
    // copied into its realm.
    for (const { name } of customFunctionsOf(this.source)) {
      const fn = this.ctx[name] as (...a: unknown[]) => unknown;
      this.rt.context[name] = (...args: unknown[]) => {
        this.evaluated++;
        return fn(...args.map((a) => this.realm.toRealm(a)));
      };
    }
  }

  /** Custom functions evaluated by the engine (during a build's writes) run as custom functions. */
  get effectiveMode(): Mode {
    return this.rt.counter.evaluating > 0 ? 'CUSTOM_FUNCTION' : this.mode;
  }

  private guard(target: object, kind: string): object {
    const existing = this.targets.get(target);
    if (existing) return target; // already a guard
    const proxy: object = new Proxy(target, {
      get: (obj, prop) => {
        const value = Reflect.get(obj, prop);
        if (typeof prop !== 'string' || prop === 'constructor') return value;
        if (typeof value !== 'function') {
          // Enums (ScriptApp.AuthMode, Charts.ChartType …): plain values, or guarded objects.
          return value !== null && typeof value === 'object' ? this.guard(value, kind) : value;
        }
        return (...args: unknown[]) => {
          const mode = this.effectiveMode;
          if (!allowed(mode, kind, prop)) {
            const what = `${kind}.${prop}`;
            this.violations.push(`${mode}: ${what}`);
            throw this.realm.error(`${what} is not available in ${mode} (Apps Script sandbox)`);
          }
          let out: unknown;
          try {
            out = value.apply(
              obj,
              args.map((a) => this.unwrap(a)),
            );
          } catch (e) {
            // A service error reaches the script as an Error of its own realm.
            throw this.realm.error(e instanceof Error ? e.message : String(e));
          }
          if (out === obj) return proxy;
          if (DATA_METHODS.has(prop)) return this.realm.toRealm(out);
          return this.wrap(out, kindOf(kind, prop));
        };
      },
    });
    this.targets.set(proxy, target);
    return proxy;
  }

  private unwrap(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.unwrap(x));
    if (v !== null && typeof v === 'object') return this.targets.get(v) ?? v;
    return v;
  }

  /** A service's result as the script sees it: realm arrays and Dates, guarded objects. */
  private wrap(v: unknown, kind: string): unknown {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
    if (Array.isArray(v)) return this.realm.arrayFrom(v, (x) => this.wrap(x, kind));
    if (Object.prototype.toString.call(v) === '[object Date]') {
      return this.realm.date((v as Date).getTime());
    }
    if (typeof v === 'function') return v;
    return this.guard(v, kind);
  }

  /** Evaluates code in the script's global scope, in a mode. */
  run<T = unknown>(code: string, mode: Mode = 'FULL'): T {
    return this.inMode(mode, () => vm.runInContext(code, this.ctx) as T);
  }

  /** Calls a global of the script with host data copied into its realm (as google.script.run does). */
  call<T = unknown>(mode: Mode, name: string, ...args: unknown[]): T {
    const fn = this.ctx[name];
    if (typeof fn !== 'function') throw new Error(`no global function ${name}`);
    const realmArgs = args.map((a) => this.realm.toRealm(a));
    return this.inMode(mode, () => fn(...realmArgs) as T);
  }

  private inMode<T>(mode: Mode, body: () => T): T {
    const before = this.mode;
    // Apps Script drops an execution's locks when it ends, however it ends.
    const held = { ...this.rt.env.locks };
    this.mode = mode;
    try {
      return body();
    } finally {
      this.mode = before;
      this.rt.env.locks = held;
    }
  }
}

/** Plain data of a result (JSON round trip: what the sidebar receives). */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v ?? null));

/** The script's globals named in `global.X = …` (the entry file's exports). */
function exportsOf(source: string): string[] {
  return [...source.matchAll(/\bglobal\.([A-Za-z_$][\w$]*)=/g)].map((m) => m[1]);
}

/** A deals tab from the sample's leads that became deals: one row per deal. */
function dealsTab(leads: unknown[][]): unknown[][] {
  const rows: unknown[][] = [['商談ID', 'リードID', '商談作成日', 'フェーズ', '完了日', '金額']];
  for (const r of leads.slice(1)) {
    if (r[11] === '' || r[11] === undefined) continue;
    const stage = r[7] === '受注' ? '受注' : r[7] === '失注' ? '失注' : '提案中';
    rows.push([`D${rows.length}`, r[0], r[11], stage, stage === '受注' ? r[12] : '', r[13]]);
  }
  return rows;
}

describe('the bundle with nothing but Apps Script’s globals', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = new Sandbox({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
  });

  it('has only ECMAScript built-ins, console, Logger and the Apps Script services as globals', () => {
    const names = sb.run<string[]>('Object.getOwnPropertyNames(globalThis)');
    const ours = new Set(['global', ...exportsOf(sb.source)]);
    const apps = new Set<string>([...SERVICES, 'console', 'Logger']);
    const extra = [...names].filter((n) => !ECMASCRIPT.has(n) && !apps.has(n) && !ours.has(n));
    expect(extra).toEqual([]);
    for (const n of NOT_IN_APPS_SCRIPT) {
      expect(sb.run(`typeof ${n}`), n).toBe('undefined');
    }
    for (const n of [...SERVICES, 'console', 'Logger', 'Intl', 'Proxy', 'Reflect', 'WeakRef']) {
      expect(sb.run(`typeof ${n}`), n).not.toBe('undefined');
    }
    // console is the sandbox's, not Node's or V8's inspector console.
    expect(sb.run('Object.getPrototypeOf(console) === Object.prototype')).toBe(true);
    expect(sb.run('Object.getPrototypeOf(globalThis.console.log) === Function.prototype')).toBe(
      true,
    );
  });

  it('loads without calling any service (the top level runs before every execution)', () => {
    expect(sb.violations).toEqual([]);
    expect(sb.run('typeof COHORT_CONVERSION')).toBe('function');
  });

  it('refuses what custom functions and AuthMode.NONE may not do (the guard itself works)', () => {
    const probe = new Sandbox({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    probe.rt.loadSheets([{ name: 'Data', rows: [['a'], [1]] }]);
    const refused = (code: string, mode: Mode) =>
      expect(() => probe.run(code, mode), `${mode}: ${code}`).toThrow(/Apps Script sandbox/);
    const ok = (code: string, mode: Mode) => probe.run(code, mode);

    const sheet = 'SpreadsheetApp.getActiveSpreadsheet().getSheetByName("Data")';
    ok(`${sheet}.getRange(1, 1, 2, 1).getValues()`, 'CUSTOM_FUNCTION');
    ok('PropertiesService.getDocumentProperties().getProperty("x")', 'CUSTOM_FUNCTION');
    ok('Utilities.formatDate(new Date(0), "Asia/Tokyo", "Z")', 'CUSTOM_FUNCTION');
    ok('CacheService.getDocumentCache().get("x")', 'CUSTOM_FUNCTION');
    refused('SpreadsheetApp.getUi()', 'CUSTOM_FUNCTION');
    refused(`${sheet}.getRange(1, 1).setValue(2)`, 'CUSTOM_FUNCTION');
    refused(`${sheet}.getRange(1, 1, 1, 1).setValues([[2]])`, 'CUSTOM_FUNCTION');
    refused(`${sheet}.getRange(1, 1).setNumberFormat("0")`, 'CUSTOM_FUNCTION');
    refused('SpreadsheetApp.getActiveSpreadsheet().insertSheet("x")', 'CUSTOM_FUNCTION');
    refused('SpreadsheetApp.getActiveSpreadsheet().toast("x")', 'CUSTOM_FUNCTION');
    refused(`${sheet}.activate()`, 'CUSTOM_FUNCTION');
    refused('PropertiesService.getDocumentProperties().setProperty("x", "1")', 'CUSTOM_FUNCTION');
    refused('PropertiesService.getDocumentProperties().deleteProperty("x")', 'CUSTOM_FUNCTION');
    refused('LockService.getDocumentLock()', 'CUSTOM_FUNCTION');
    refused('HtmlService.createHtmlOutput("x")', 'CUSTOM_FUNCTION');
    ok('SpreadsheetApp.getUi().createAddonMenu().addItem("a", "b").addToUi()', 'NONE');
    ok('Session.getActiveUserLocale()', 'NONE');
    refused('SpreadsheetApp.getActiveSpreadsheet()', 'NONE');
    refused('PropertiesService.getDocumentProperties()', 'NONE');
    refused('LockService.getDocumentLock()', 'NONE');
    refused('Session.getActiveUserLocale()', 'LOAD');
    // Refusals are the script realm's Errors, and recorded even where the script swallows them.
    expect(
      probe.run(
        '(function () { try { SpreadsheetApp.getUi(); } catch (e) { return e instanceof Error; } })()',
        'CUSTOM_FUNCTION',
      ),
    ).toBe(true);
    expect(probe.violations.length).toBe(16);
    // Values come in the script's realm.
    expect(
      probe.run(`${sheet}.getRange(1, 1, 2, 1).getValues() instanceof Array`, 'CUSTOM_FUNCTION'),
    ).toBe(true);
    expect(
      probe.run(
        'SpreadsheetApp.getActiveSpreadsheet().getSheets() instanceof Array',
        'CUSTOM_FUNCTION',
      ),
    ).toBe(true);
  });

  it('runs every custom function on realistic ranges as a custom function', () => {
    const cf = new Sandbox({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    const book = sampleWorkbook({ leads: 120 });
    cf.rt.loadSheets(book);
    const leads = cf.rt.values('Leads').slice(1);
    const acts = cf.rt.values('Activities').slice(1, 61);
    const column = (rows: unknown[][], c: number) => rows.map((r) => [r[c]]);
    const deals = dealsTab(cf.rt.values('Leads')).slice(1);
    const called = new Set<string>();
    const run = (name: string, ...args: unknown[]) => {
      called.add(name);
      return plain(cf.call<unknown[][]>('CUSTOM_FUNCTION', name, ...args));
    };

    const cohort = run(
      'COHORT_CONVERSION',
      column(leads, 1),
      column(leads, 12),
      'chase',
      'month',
      '',
      column(leads, 2),
    );
    expect(cohort[0].slice(0, 4)).toEqual(['period', 'companies', 'converted', 'rate']);
    const slice = run('COHORT_CONVERSION', column(leads, 1), column(leads, 11), 'slice', 'quarter');
    expect(slice.slice(1).reduce((n, r) => n + (r[1] as number), 0)).toBe(
      leads.filter((r) => r[1] !== '').length,
    );

    const area = run('ACTIVITY_AREA', column(acts, 2), column(acts, 4), column(acts, 1), 0.5);
    expect(area[0]).toEqual(['owner', 'activities', 'companies', 'area', 'coverage', 'health']);
    expect(area.at(-1)?.[0]).toBe('Total');

    const capacity = run(
      'CAPACITY',
      [['リード'], ['MQL'], ['商談'], ['受注']],
      [[0.2], [0.4], [0.3], ['']],
      [[''], [2], [3], ['']],
      [[''], [100], [20], ['']],
      30_000_000,
      1_500_000,
    );
    expect(capacity.map((r) => r[1])).toEqual(['required', 840, 168, 67, 20]);

    const funnel = run(
      'KPI_FUNNEL',
      column(leads, 1),
      column(leads, 10),
      column(leads, 11),
      column(leads, 12),
      column(leads, 13),
      column(leads, 2),
      column(leads, 15),
      'month',
      new Date(Date.UTC(2024, 3, 1) - 9 * 3_600_000),
      new Date(Date.UTC(2025, 2, 31) - 9 * 3_600_000),
      'no',
      column(leads, 7),
      'MQL=mql; 商談化=sql; 受注=won; 失注=lost',
    );
    expect(funnel.at(-1)?.[0]).toMatch(/合計|Total/);
    expect(funnel.length).toBe(12 + 2);

    const kpiCohort = run(
      'KPI_COHORT',
      column(leads, 1),
      column(deals, 4),
      'month',
      column(deals, 3),
      '受注=won; 失注=lost',
      'won',
      column(leads, 0),
      column(deals, 1),
      'id',
    );
    expect(kpiCohort[0].slice(0, 4)).toEqual(['period', 'leads', 'converted', 'rate']);
    const converted = kpiCohort.slice(1).reduce((n, r) => n + (r[2] as number), 0);
    expect(converted).toBe(deals.filter((d) => d[3] === '受注' && d[4] !== '').length);

    const cycle = run('CYCLE_TIME', column(leads, 1), column(leads, 11), 'month', column(leads, 6));
    expect(cycle[0]).toEqual([
      'period',
      'group',
      'count',
      'median days',
      'p75 days',
      'mean days',
      'open',
    ]);
    expect(cycle.at(-1)?.slice(0, 2)).toEqual(['Total', 'all']);
    const list = cf.rt.values('ターゲットリスト').slice(1);
    const coverage = run(
      'LIST_COVERAGE',
      column(list, 0),
      column(acts, 2),
      column(acts, 4),
      column(acts, 1),
      2,
    );
    expect(coverage.at(-1)?.slice(0, 2)).toEqual(['Total', list.length]);
    const customers = cf.rt.values('顧客').slice(1);
    const retention = run(
      'RETENTION',
      column(customers, 1),
      column(customers, 2),
      'quarter',
      '',
      column(customers, 0),
    );
    expect(retention[0].slice(0, 3)).toEqual(['period', 'customers', '+0']);
    const deals12 = leads.filter((r) => r[11] !== '');
    const quadrants = run(
      'DEAL_QUADRANTS',
      column(deals12, 15),
      column(deals12, 16),
      column(deals12, 13),
      column(deals12, 12),
      [['高']],
    );
    expect(quadrants.at(-1)?.slice(0, 3)).toEqual(['Total', '', deals12.length]);
    const prospect = run(
      'PROSPECT_ACCURACY',
      column(leads, 6),
      column(leads, 8),
      column(leads, 9),
      column(leads, 11),
      column(leads, 13),
      column(leads, 12),
      [
        ['A', 90],
        ['*', 180],
      ],
    );
    expect(prospect[0].slice(0, 3)).toEqual(['owner', 'rank', 'judged']);
    // The forecasts: the cohort method over created and won dates, the pipeline over the status,
    // amount and won date of the same rows (no closing date: open deals land after the median).
    const asOf = new Date(Date.UTC(2025, 8, 29, 15)); // 30 Sep 2025 in Tokyo
    const forecast = run(
      'KPI_COHORT_FORECAST',
      column(leads, 1),
      column(leads, 12),
      asOf,
      'month',
      3,
      column(leads, 13),
      '',
      '',
      'skip',
    );
    expect(forecast.map((r) => r[0])).toEqual(['period', '2025-09', '2025-10', '2025-11']);
    const pipeline = run(
      'KPI_PIPELINE_FORECAST',
      column(leads, 7),
      column(leads, 13),
      column(leads, 12),
      '',
      asOf,
      'month',
      3,
      '',
      column(leads, 11),
      '',
      'skip',
    );
    expect(pipeline[0]).toEqual([
      'period',
      'open deals',
      'pipeline',
      'forecast won',
      'forecast revenue',
    ]);
    // The self-check's probe (Extensions → KPI tree → Check this spreadsheet) only reads too.
    expect(run('KPI_SELF_CHECK', 'rows', 3)).toEqual([[1], [2], [3]]);
    expect(run('KPI_SELF_CHECK', 'date', new Date(Date.UTC(2025, 2, 31, 15)))).toEqual([
      ['[object Date]', '2025-04-01 00:00:00'],
    ]);

    // Every custom function of the bundle is covered here.
    expect([...called].sort()).toEqual(
      customFunctionsOf(cf.source)
        .map((f) => f.name)
        .sort(),
    );
    expect(cf.violations).toEqual([]);
  });

  it('runs the custom functions in a zone that needs Intl, checked against Utilities.formatDate', () => {
    const ny = new Sandbox({ timeZone: 'America/New_York', locale: 'en_US' });
    // 2025-04-01 03:30 UTC is 23:30 on 31 March in New York (EDT, UTC−4).
    const instant = Date.UTC(2025, 3, 1, 3, 30);
    const label = () =>
      plain(
        ny.call<unknown[][]>(
          'CUSTOM_FUNCTION',
          'COHORT_CONVERSION',
          [[new Date(instant)]],
          [['']],
          'slice',
        ),
      )[1][0];
    const before = ny.rt.counter.counts['Utilities.formatDate'] ?? 0;
    expect(label()).toBe('2025-03');
    expect((ny.rt.counter.counts['Utilities.formatDate'] ?? 0) - before).toBe(4); // the check

    // An Intl whose offsets are an hour off (23:30 → 00:30, April): the check catches it and
    // the function follows Utilities.formatDate.
    ny.run(`(function () {
      var Real = Intl.DateTimeFormat;
      Intl.DateTimeFormat = function (locale, options) {
        var f = new Real(locale, options);
        return { formatToParts: function (t) { return f.formatToParts(+t + 3600000); },
                 format: function (t) { return f.format(+t + 3600000); },
                 resolvedOptions: function () { return f.resolvedOptions(); } };
      };
    })()`);
    expect(label()).toBe('2025-03');
    expect(ny.rt.counter.counts['Utilities.formatDate'] - before).toBeGreaterThan(8);
    expect(ny.violations).toEqual([]);
  });

  it('onOpen in AuthMode.NONE and onInstall only build the menu', () => {
    const fresh = new Sandbox({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    fresh.rt.loadSheets(sampleWorkbook({ leads: 50 }));
    fresh.rt.counter.reset();
    const event = () => fresh.run('({ authMode: ScriptApp.AuthMode.NONE })');
    fresh.call('NONE', 'onOpen', event());
    fresh.call('NONE', 'onInstall', event());
    expect(fresh.violations).toEqual([]);
    expect(Object.keys(fresh.rt.counter.counts).sort()).toEqual([
      'Session.getActiveUserLocale',
      'SpreadsheetApp.getUi',
      'Ui.createAddonMenu',
    ]);
    expect(fresh.rt.env.ui.menus).toHaveLength(2);
    for (const item of fresh.rt.env.ui.menus[0].items) {
      if (item.fn) expect(fresh.run(`typeof ${item.fn}`), item.fn).toBe('function');
    }
  });

  it('answers every sidebar API call and menu action with only those globals', () => {
    const full = new Sandbox({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    const sample = sampleWorkbook({ leads: 300 });
    full.rt.loadSheets([...sample, { name: '商談', rows: dealsTab(sample[0].rows) }]);
    const called = new Set<string>();
    const api = <T>(name: string, ...args: unknown[]): T => {
      called.add(name);
      const out = full.call<T>('FULL', name, ...args);
      expect(full.realm.transportable(out), `${name}'s result crosses google.script.run`).toBe(
        null,
      );
      return plain(out);
    };

    const tabs = api<{ tabs: { name: string }[]; suggested: string }>('kpiListTabs');
    expect(tabs.suggested).toBe('Leads');
    expect(tabs.tabs.map((t) => t.name)).toEqual([
      'Leads',
      'Activities',
      'ターゲットリスト',
      '顧客',
      'コスト',
      '商談',
    ]);
    expect(api('kpiLocale')).toBe('ja');
    expect(api('kpiLoadSettings')).toBe(null);
    const ins = api<TabInspection>('kpiInspectTab', 'Leads');
    expect(ins.mapping.created).toBe(1);
    const deals = api<DealsInspection>('kpiInspectDeals', '商談', 'Leads', ins.mapping);
    expect(deals.joinBy).toBe('id');
    const extras = sampleExtras((name, kind) =>
      api<{ name: string; headerRow: number; columns: object }>('kpiInspectExtra', name, kind),
    );
    // The sample's 月額 is the amount per month (the retention sheet's LTV).
    expect(extras.customers?.columns).toEqual({ company: 0, start: 1, end: 2, amount: 3 });
    const settings: KpiSettings = settingsFor(ins, {
      ...extras,
      from: ins.defaults.from,
      to: ins.defaults.to,
      revenueTarget: 30_000_000,
      lang: 'ja',
      deals: {
        sheet: deals.name,
        headerRow: deals.headerRow,
        mapping: deals.mapping,
        joinBy: deals.joinBy,
        leadKey: deals.leadKey,
        dealKey: deals.dealKey,
      },
    });
    const built = api<{ sheets: { name: string }[] }>('kpiBuild', settings);
    expect(built.sheets.length).toBeGreaterThanOrEqual(11); // the optional tabs' sheets too
    // The build's formulas were evaluated by the engine, as custom functions, under their rules.
    expect(full.rt.counter.counts['CustomFunction.KPI_FUNNEL']).toBeGreaterThan(0);
    expect(full.evaluated).toBe(full.rt.counter.total('CustomFunction.'));
    for (const { name } of built.sheets) {
      const errors = full.rt
        .values(name)
        .flat()
        .filter((v) => typeof v === 'string' && /^#[A-Z/0-9!?]+/.test(v));
      expect(errors, name).toEqual([]);
    }
    expect(plain(api<KpiSettings>('kpiLoadSettings')).leadSheet).toBe('Leads');
    api('kpiActivate', built.sheets[1].name);
    expect(full.rt.spreadsheet.self.getActiveSheet().getName()).toBe(built.sheets[1].name);
    const snap = api<{ rows: number }>('kpiSnapshot');
    expect(snap.rows).toBeGreaterThan(5);
    expect(api<{ name: string }>('kpiInsertTemplate').name).toBe('リード');
    // The self-check dialog's calls (sidebar/check/): its probes, then what the page sent.
    const checked = api<{ checks: { id: string }[] }>('kpiSelfCheck');
    expect(checked.checks.length).toBeGreaterThan(15);
    expect(api('kpiSelfCheckArrived', { a: null, b: [1, null] })).toMatchObject({ status: 'pass' });

    // The BigQuery source, in the Sheets-only edition: refused in the user's language, no
    // Connected Sheets call made (this edition's manifest has no BigQuery scope).
    for (const [name, args] of [
      ['kpiInspectBigQuery', ['my-project', 'my-project.crm.leads']],
      ['kpiRefreshBigQuery', []],
    ] as const) {
      called.add(name);
      expect(() => full.call('FULL', name, ...args), name).toThrow(
        name === 'kpiInspectBigQuery'
          ? /BigQuery 版をインストール/
          : /BigQuery テーブルから作成したレポートがありません/,
      );
    }
    expect(full.rt.counter.total('SpreadsheetApp.enableBigQueryExecution')).toBe(0);

    // The sidebar's whole server API is covered here.
    const sidebarApi = exportsOf(full.source).filter(
      (n) => n.startsWith('kpi') && !n.startsWith('kpiMenu') && n !== 'kpiOpenSidebar',
    );
    expect([...called].sort()).toEqual(sidebarApi.sort());

    // The menu's actions.
    full.call('FULL', 'kpiOpenSidebar');
    const sidebar = full.rt.env.ui.sidebars[0];
    expect(sidebar.html).toContain('<main id="app">');
    expect(sidebar.title).toBe('KPIツリー');
    expect(sidebar.width).toBeUndefined(); // sidebars are always 300 px: no setWidth
    full.call('FULL', 'kpiMenuHelp');
    full.call('FULL', 'kpiMenuRebuild');
    full.call('FULL', 'kpiMenuSnapshot');
    full.call('FULL', 'kpiMenuTemplate');
    full.call('FULL', 'kpiMenuSelfCheck');
    expect(full.rt.env.ui.dialogs.at(-1)?.title).toBe('動作チェック');
    expect(full.rt.env.ui.toasts.at(-1)).toEqual(['KPIシートを再作成しました。']);
    expect(full.rt.wb.sheetId('リード (2)')).toBeDefined();
    expect(full.violations).toEqual([]);
  });
});

describe('a runtime whose Intl has no data for the sheet’s zone', () => {
  const noZoneData = () => {
    const ny = new Sandbox({ timeZone: 'America/New_York', locale: 'en_US' });
    ny.rt.loadSheets([
      {
        name: 'Leads',
        rows: [
          ['Lead ID', 'Created'],
          ['L1', new Date(Date.UTC(2025, 3, 1, 3, 30))],
        ],
      },
    ]);
    ny.run(`Intl.DateTimeFormat = function (locale, options) {
      if (options && options.timeZone && options.timeZone !== 'UTC') throw new RangeError('Invalid time zone specified');
      return {};
    };`);
    return ny;
  };

  it('custom functions carry on with Utilities.formatDate', () => {
    const ny = noZoneData();
    const out = plain(
      ny.call<unknown[][]>(
        'CUSTOM_FUNCTION',
        'COHORT_CONVERSION',
        [[new Date(Date.UTC(2025, 3, 1, 3, 30))]],
        [['']],
        'slice',
      ),
    );
    expect(out[1][0]).toBe('2025-03'); // 23:30 on 31 March in New York
    expect(ny.violations).toEqual([]);
  });

  // Known gap: src/addon/api.ts builds `new ZoneClock(tz)` without a fallback, so every sidebar
  // call throws "time zone: … is not valid" here (and an Intl that lies goes unchecked there).
  // Turn `it.fails` into `it` once api.ts passes `utilitiesOffset(tz)` from functions/env.
  it('the sidebar API carries on too (fails today: api.ts has no fallback)', () => {
    const ny = noZoneData();
    expect(plain(ny.call<{ suggested: string }>('FULL', 'kpiListTabs')).suggested).toBe('Leads');
  });
});
