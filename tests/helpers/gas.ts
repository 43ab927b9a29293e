/**
 * Loads the built bundle into one node:vm context, as Apps Script loads a project: one global
 * scope, the bundle's own Date/Array realm, and stubbed services for what custom functions use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';

export const DIST = join(import.meta.dirname, '../../dist');

export interface GasOptions {
  timeZone?: string;
  locale?: string;
  /** Simulate a function run outside a spreadsheet (getActiveSpreadsheet() → null). */
  noSpreadsheet?: boolean;
}

export interface Gas {
  context: vm.Context;
  /** Evaluates an expression inside the context (values of the bundle's realm). */
  run<T = unknown>(code: string): T;
  /** Calls a global function of the bundle with arguments built inside the context. */
  call<T = unknown>(name: string, ...argsCode: string[]): T;
  calls: Record<string, number>;
}

export function serverBundles(): string[] {
  return readdirSync(DIST).filter((f) => f.endsWith('.js'));
}

function services(opts: GasOptions, calls: Record<string, number>): Record<string, unknown> {
  const count = (name: string) => {
    calls[name] = (calls[name] ?? 0) + 1;
  };
  const spreadsheet = {
    getSpreadsheetTimeZone: () => {
      count('Spreadsheet.getSpreadsheetTimeZone');
      return opts.timeZone ?? 'Asia/Tokyo';
    },
    getSpreadsheetLocale: () => {
      count('Spreadsheet.getSpreadsheetLocale');
      return opts.locale ?? 'en_US';
    },
  };
  return {
    SpreadsheetApp: {
      getActiveSpreadsheet: () => {
        count('SpreadsheetApp.getActiveSpreadsheet');
        return opts.noSpreadsheet ? null : spreadsheet;
      },
    },
    Session: {
      getScriptTimeZone: () => {
        count('Session.getScriptTimeZone');
        return 'Asia/Tokyo';
      },
    },
    Utilities: {
      /** Only the 'Z' pattern (RFC 822 offset, "+0900") that the add-on uses. */
      formatDate: (date: Date, tz: string, pattern: string) => {
        count('Utilities.formatDate');
        if (pattern !== 'Z') throw new Error(`stub supports only 'Z', got ${pattern}`);
        const parts = new Intl.DateTimeFormat('en-US', {
          timeZone: tz,
          timeZoneName: 'longOffset',
        }).formatToParts(date);
        const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
        const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
        return m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
      },
    },
    console,
  };
}

export function loadBundle(opts: GasOptions = {}): Gas {
  const calls: Record<string, number> = {};
  const context = vm.createContext(services(opts, calls));
  for (const file of serverBundles()) {
    vm.runInContext(readFileSync(join(DIST, file), 'utf8'), context, { filename: file });
  }
  const run = <T>(code: string): T => vm.runInContext(code, context) as T;
  return {
    context,
    run,
    call: <T>(name: string, ...argsCode: string[]) => run<T>(`${name}(${argsCode.join(', ')})`),
    calls,
  };
}

/**
 * For benchmarks only: the bundle in this process's own global scope. Node's vm contexts route
 * every global lookup (Math, Date, a top-level var) through an interceptor that costs hundreds of
 * nanoseconds — Apps Script has no such thing — so timings inside a vm context measure Node, not
 * the add-on. Still one global scope, as in Apps Script. Call once per process.
 */
export function loadBundleHere(opts: GasOptions = {}): Gas {
  const calls: Record<string, number> = {};
  Object.assign(globalThis, services(opts, calls));
  for (const file of serverBundles()) {
    vm.runInThisContext(readFileSync(join(DIST, file), 'utf8'), { filename: file });
  }
  const run = <T>(code: string): T => vm.runInThisContext(code) as T;
  return {
    context: globalThis as unknown as vm.Context,
    run,
    call: <T>(name: string, ...argsCode: string[]) => run<T>(`${name}(${argsCode.join(', ')})`),
    calls,
  };
}

/** Code for a Date in the context at a Tokyo wall-clock time (what a date cell in Tokyo holds). */
export function tokyo(y: number, m: number, d: number, h = 0, mi = 0): string {
  return `new Date(${Date.UTC(y, m - 1, d, h - 9, mi)})`;
}

/** Code for a single-column 2D range from cell codes. */
export function col(...cells: string[]): string {
  return `[${cells.map((c) => `[${c}]`).join(', ')}]`;
}
