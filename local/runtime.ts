/**
 * The local runtime: the built bundle (dist/*.js) in one node:vm global scope, as Apps Script
 * runs it, over a workbook evaluated by HyperFormula. Custom functions of the bundle are
 * registered with the engine, so a formula typed in a cell calls them like Sheets does.
 * Never pushed to Apps Script.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { maxOf } from '../src/core/numbers';
import { toA1 } from './a1';
import { type BigQueryEngine, ConnectedSheets, spreadsheetAppMembers } from './connected';
import {
  type CustomFunctionState,
  cellKey,
  DEFAULT_GRID_COLS,
  DEFAULT_GRID_ROWS,
  isDateFormat,
  Workbook,
} from './engine';
import { argsToServer, returnToClient } from './scriptRun';
import { appsScriptGlobals, CallCounter, LocalSpreadsheet, type RuntimeEnv } from './services';
import { parseUserEntered, splitPasted } from './userEntered';

export const DIST = join(import.meta.dirname, '..', 'dist');
/** The BigQuery edition's bundle (npm run build:bigquery). */
export const DIST_BIGQUERY = join(import.meta.dirname, '..', 'dist-bigquery');

export interface RuntimeOptions {
  timeZone?: string;
  locale?: string;
  distDir?: string;
  /** false: formulas are stored as text, never evaluated (Workbook.opaque; fault sweeps). */
  evaluate?: boolean;
  /**
   * BigQuery's stand-in for Connected Sheets (local/connected.ts): data source queries run through
   * it. Without one, every data execution ends in the ERROR state.
   */
  bigQuery?: BigQueryEngine;
}

export interface CustomFunctionSpec {
  name: string;
  params: string[];
}

/** Top-level `function NAME(params)` declarations whose JSDoc says @customfunction. */
export function customFunctionsOf(source: string): CustomFunctionSpec[] {
  const out: CustomFunctionSpec[] = [];
  const re = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\nfunction\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (!/@customfunction\b/.test(m[1])) continue;
    out.push({
      name: m[2].toUpperCase(),
      params: m[3]
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    });
  }
  return out;
}

/**
 * The first script run in a fresh context: `const { Math, Date, Map, … } = this;` over the
 * context's own built-ins (every configurable global with an identifier name, except `console`,
 * which the services may replace, `eval` and `globalThis`).
 *
 * Why: a node:vm context answers every global-variable lookup (`Math`, `Date`, `Map` …) through
 * an interceptor on its global object, which V8's inline caches cannot cache: ~0.1–0.4 µs per
 * lookup, so bundle code ran 2–100× slower here than in plain Node (a `Math.floor` loop ~90×).
 * Apps Script has no such cost. Top-level `const`s of one script are visible to every later
 * script of the context, and V8 resolves a name in that shared top-level lexical scope before it
 * asks the global object: the bundle, `run()` code and the realm copy read these like variables.
 * The bundle itself still runs unchanged as script code, so its top-level declarations (the
 * esbuild-gas-plugin stubs, `var global = this`, which the IIFE's `global.NAME = …` overwrite)
 * are properties of the context's global: one global scope, as in Apps Script. What changes: a
 * later script may not declare one of these names again (`var Map`: SyntaxError), and assigning
 * `globalThis.Date = …` no longer reaches code that names `Date`.
 */
function bindIntrinsics(context: vm.Context): string {
  const names = vm.runInContext(
    `Object.getOwnPropertyNames(this).filter(function (n) {
      var d = Object.getOwnPropertyDescriptor(this, n);
      return /^[A-Za-z_$][\\w$]*$/.test(n) && d.configurable &&
        n !== 'console' && n !== 'eval' && n !== 'globalThis';
    }, this)`,
    context,
  ) as string[];
  return `const { ${names.join(', ')} } = this;`;
}

/** A formula to enter after the values of a load or a paste. */
interface PendingFormula {
  id: number;
  r: number;
  c: number;
  f: string;
}

/** Raw cell content for loading files: a value, a formula as written, or a date serial. */
export type RawCell = unknown | { formula: string } | { serial: number };

export interface LoadedSheet {
  name: string;
  rows: RawCell[][];
  /** Number formats etc. by "row,col" (1-based). */
  formats?: Map<string, { numberFormat?: string; background?: string; fontWeight?: string }>;
  /**
   * 'user-entered': the rows are text as a CSV file or a paste gives it, and each string cell is
   * stored as Sheets stores it when that text is imported into a spreadsheet of the runtime's
   * locale (local/userEntered.ts: numbers, dates, percents, currencies, booleans, formulas; a
   * leading apostrophe keeps text). Unset: strings stay text as written (an .xlsx's own cell
   * types, or content generated for a test).
   */
  parse?: 'user-entered';
}

/**
 * The bundle, read and compiled once per process (per test file under vitest): every runtime of
 * a run executes the same code, even if `npm run build` rewrites dist/ meanwhile (a full test
 * run once compared a report built by the old bundle with one built by the new), and the
 * hundreds of runtimes of a fault sweep skip re-parsing 230 KB each.
 */
interface Bundle {
  scripts: vm.Script[];
  customFunctions: CustomFunctionSpec[];
}
const bundles = new Map<string, Bundle>();
function bundleOf(distDir: string): Bundle {
  const cached = bundles.get(distDir);
  if (cached) return cached;
  const files = readdirSync(distDir).filter((f) => f.endsWith('.js'));
  if (files.length === 0) throw new Error(`No bundle in ${distDir}: run npm run build first.`);
  const codes = files.map((f) => ({ f, code: readFileSync(join(distDir, f), 'utf8') }));
  const bundle = {
    scripts: codes.map(({ f, code }) => new vm.Script(code, { filename: f })),
    customFunctions: codes.flatMap(({ code }) => customFunctionsOf(code)),
  };
  bundles.set(distDir, bundle);
  return bundle;
}

export class LocalRuntime {
  readonly context: vm.Context;
  readonly wb: Workbook;
  readonly env: RuntimeEnv;
  readonly spreadsheet: LocalSpreadsheet;
  /** Connected Sheets: data sources, extracts, data source sheets (its `engine` may be swapped). */
  readonly connected: ConnectedSheets;
  readonly counter = new CallCounter();
  readonly customFunctions: CustomFunctionSpec[];
  private readonly toRealm: (rows: unknown) => unknown;

  constructor(opts: RuntimeOptions = {}) {
    const distDir = opts.distDir ?? DIST;
    const bundle = bundleOf(distDir);
    this.customFunctions = bundle.customFunctions;

    const sandbox: Record<string, unknown> = {};
    this.context = vm.createContext(sandbox);
    vm.runInContext(bindIntrinsics(this.context), this.context, { filename: 'intrinsics.js' });
    const DateCtor = vm.runInContext('Date', this.context) as DateConstructor;
    // Arrays handed to custom functions belong to the bundle's realm, as in Apps Script.
    this.toRealm = vm.runInContext(
      '(function (v) { return Array.isArray(v) ? Array.from(v, function (r) { return Array.isArray(r) ? Array.from(r) : r; }) : v; })',
      this.context,
    ) as (rows: unknown) => unknown;
    this.wb = new Workbook({
      timeZone: opts.timeZone ?? 'Asia/Tokyo',
      locale: opts.locale ?? 'ja_JP',
      DateCtor,
      customFunctions: this.customFunctions,
      evaluate: opts.evaluate,
      callGlobal: (name, args) => {
        const fn = sandbox[name];
        if (typeof fn !== 'function') throw new Error(`Unknown function: ${name}`);
        this.counter.add(`CustomFunction.${name}`);
        // Sheets evaluates formulas on its own, not as calls of the script's run: faults by
        // position skip what happens inside a custom function.
        this.counter.evaluating++;
        try {
          return fn(...args.map(this.toRealm));
        } finally {
          this.counter.evaluating--;
        }
      },
    });
    this.wb.customState = (name) => {
      const state = this.customStates.get(name);
      return state === 'loading' && this.wb.lenient.loading ? undefined : state;
    };
    this.env = {
      wb: this.wb,
      counter: this.counter,
      timeZone: opts.timeZone ?? 'Asia/Tokyo',
      locale: opts.locale ?? 'ja_JP',
      htmlDir: distDir,
      ui: { menus: [], sidebars: [], dialogs: [], alerts: [], toasts: [] },
      properties: { document: new Map(), script: new Map(), user: new Map() },
      locks: {},
    };
    this.spreadsheet = new LocalSpreadsheet(this.env);
    this.connected = new ConnectedSheets(this.env, this.spreadsheet, {
      engine: opts.bigQuery,
      DateCtor,
    });
    this.env.connected = this.connected;
    Object.assign(
      sandbox,
      appsScriptGlobals(this.env, this.spreadsheet, spreadsheetAppMembers(this.connected)),
    );
    for (const script of bundle.scripts) script.runInContext(this.context);
  }

  /**
   * Test hook: holds every cell of a custom function in a state Sheets can show — loading, an
   * error thrown with a message, or past the 30 s limit — or releases it (undefined), and
   * recalculates its cells. The bundle sees it only as Sheets shows it: the cells' values.
   */
  setCustomFunctionState(name: string, state: CustomFunctionState | undefined): void {
    this.customStates.set(name.toUpperCase(), state);
    this.wb.recalculateCustom(name);
  }
  private readonly customStates = new Map<string, CustomFunctionState | undefined>();

  /** Evaluates code in the bundle's global scope. */
  run<T = unknown>(code: string): T {
    return vm.runInContext(code, this.context) as T;
  }

  /** Calls a global function of the bundle (a menu handler, a sidebar API, a custom function). */
  call<T = unknown>(name: string, ...args: unknown[]): T {
    const fn = (this.context as Record<string, unknown>)[name];
    if (typeof fn !== 'function') throw new Error(`The bundle has no global function ${name}`);
    // Apps Script releases an execution's locks when it ends, however it ends (killed included).
    const held = { ...this.env.locks };
    try {
      return fn(...args.map(this.toRealm)) as T;
    } finally {
      this.env.locks = held;
    }
  }

  /**
   * Adds sheets from a file or generated content without going through the counted services.
   * A sheet flagged `parse: 'user-entered'` (a CSV import) has its text parsed as Sheets parses
   * text in this spreadsheet's locale (see LoadedSheet.parse); in any other sheet values stay
   * values (text that starts with '=' stays text). In both, `{ formula }` cells are formulas and
   * Dates and `{ serial }` cells become date cells. Formulas are entered after every sheet's
   * values, one by one, so that custom functions see their data when their spill size is fixed.
   */
  loadSheets(sheets: LoadedSheet[]): string[] {
    const pending: PendingFormula[] = [];
    for (const sheet of sheets) {
      const id = this.wb.addSheet(sheet.name);
      this.spreadsheet.adopt(id);
      const meta = this.wb.sheetMeta(id);
      meta.gridRows = Math.max(DEFAULT_GRID_ROWS, sheet.rows.length);
      meta.gridCols = maxOf(
        sheet.rows.map((r) => r.length),
        DEFAULT_GRID_COLS,
      );
      if (sheet.formats) for (const [k, f] of sheet.formats) meta.formats.set(k, { ...f });
      this.writeRaw(id, 1, 1, sheet.rows, sheet.parse === 'user-entered', pending);
    }
    return this.enterFormulas(pending);
  }

  /**
   * Pastes text into a sheet at a cell (default A1), as Ctrl+V of text copied from another
   * program does: tab-separated text (cells copied from a spreadsheet or a web table) or CSV is
   * split into cells and each cell is parsed in this spreadsheet's locale (USER_ENTERED, see
   * LoadedSheet.parse). The sheet is created when missing; a paste past the grid's edge adds the
   * rows and columns it needs (*assumed*: Sheets grows the grid for a paste). Returns the
   * problems of formulas that refer to missing sheets, as loadSheets does.
   */
  paste(sheetName: string, text: string, at: { row?: number; col?: number } = {}): string[] {
    let id = this.wb.sheetId(sheetName);
    if (id === undefined) {
      id = this.wb.addSheet(sheetName);
      this.spreadsheet.adopt(id);
      const fresh = this.wb.sheetMeta(id);
      fresh.gridRows = DEFAULT_GRID_ROWS;
      fresh.gridCols = DEFAULT_GRID_COLS;
    }
    const rows = splitPasted(text);
    const row = at.row ?? 1;
    const col = at.col ?? 1;
    const meta = this.wb.sheetMeta(id);
    meta.gridRows = Math.max(meta.gridRows, row + rows.length - 1);
    meta.gridCols = Math.max(
      meta.gridCols,
      col -
        1 +
        maxOf(
          rows.map((r) => r.length),
          1,
        ),
    );
    const pending: PendingFormula[] = [];
    this.writeRaw(id, row, col, rows, true, pending);
    return this.enterFormulas(pending);
  }

  /** The locale's value of one raw cell, its format set in `meta`; formulas go to `pending`. */
  private writeRaw(
    id: number,
    row: number,
    col: number,
    rows: readonly (readonly RawCell[])[],
    userEntered: boolean,
    pending: PendingFormula[],
  ): void {
    const meta = this.wb.sheetMeta(id);
    const setFormat = (key: string, numberFormat: string, keepDate: boolean) => {
      const f = meta.formats.get(key) ?? {};
      if (keepDate && isDateFormat(f.numberFormat)) return;
      meta.formats.set(key, { ...f, numberFormat });
    };
    const values = rows.map((line, r) =>
      line.map((v, c) => {
        const key = cellKey(row + r, col + c);
        if (typeof v === 'object' && v !== null && 'formula' in v) {
          pending.push({
            id,
            r: row + r,
            c: col + c,
            f: String((v as { formula: string }).formula),
          });
          return '';
        }
        if (typeof v === 'object' && v !== null && 'serial' in v) {
          // A date from a file: its wall-clock serial, shown as a date.
          setFormat(key, 'yyyy-mm-dd', true);
          return (v as { serial: number }).serial;
        }
        if (typeof v !== 'string' || v === '') return v;
        // A leading apostrophe keeps text as text, exactly as typing it in Sheets does.
        if (!userEntered) return `'${v}`;
        const cell = parseUserEntered(v, this.env.locale);
        switch (cell.kind) {
          case 'blank':
            return '';
          case 'text':
            return `'${cell.value}`;
          case 'boolean':
            return cell.value;
          case 'formula':
            pending.push({ id, r: row + r, c: col + c, f: cell.formula });
            return '';
        }
        // A number or a date: its value, with the format Sheets gives it.
        if (cell.format) setFormat(key, cell.format, false);
        return cell.value;
      }),
    );
    if (values.length === 0) return;
    const width = maxOf(
      values.map((r) => r.length),
      1,
    );
    const block = values.map((r) => [...r, ...new Array(width - r.length).fill('')]);
    this.wb.setValues(id, row, col, block);
  }

  /** Enters formulas one by one; the problems of those that refer to missing sheets. */
  private enterFormulas(pending: readonly PendingFormula[]): string[] {
    const problems: string[] = [];
    for (const p of pending) {
      const text = p.f.startsWith('=') ? p.f : `=${p.f}`;
      this.wb.setFormulas(p.id, p.r, p.c, [[text]]);
      const missing = this.missingSheets(text);
      if (missing.length > 0) {
        problems.push(
          `${this.wb.sheetName(p.id)}!${toA1(p.r, p.c)}: ${text} refers to ${missing.map((m) => `"${m}"`).join(', ')}, which is not a sheet of this workbook`,
        );
      }
    }
    return problems;
  }

  /** Sheet names a formula refers to that the workbook does not have. */
  missingSheets(formula: string): string[] {
    const names = new Set<string>();
    const re = /(?:'((?:[^']|'')+)'|([^\s!"'(),;:=+\-*/&<>^%{}]+))!/g;
    const noStrings = formula.replace(/"[^"]*"/g, '""');
    for (let m = re.exec(noStrings); m; m = re.exec(noStrings)) {
      names.add(m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2]);
    }
    return [...names].filter((n) => this.wb.sheetId(n) === undefined);
  }

  /** Plain values of a whole sheet (Dates in the bundle's realm), for tests and previews. */
  values(name: string): unknown[][] {
    const id = this.wb.sheetId(name);
    if (id === undefined) throw new Error(`No sheet ${name}`);
    const { rows, cols } = this.wb.extent(id);
    return this.wb.getValues(id, 1, 1, Math.max(1, rows), Math.max(1, cols));
  }

  /**
   * Calls a sidebar API function exactly as the sidebar does through google.script.run
   * (local/scriptRun.ts): the arguments serialised as Apps Script serialises them — a Date, a
   * function or a circular object refused with Apps Script's TypeError before the call,
   * `undefined` → null, every object a copy in the bundle's realm — and the value the success
   * handler receives (a copy; `null` when it holds a Date). A thrown error is what the failure
   * handler receives.
   */
  callFromSidebar<T = unknown>(name: string, ...args: unknown[]): T {
    const parse = this.run<(text: string) => unknown>('JSON.parse');
    // (lenient.scriptRun, test-only: the arguments as JSON carries them, undefined fields dropped.)
    const wired = this.wb.lenient.scriptRun ? JSON.parse(JSON.stringify(args)) : argsToServer(args);
    const copies = (wired as unknown[]).map((a) => parse(JSON.stringify(a)));
    return returnToClient(this.call(name, ...copies)) as T;
  }
}
